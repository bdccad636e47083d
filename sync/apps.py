from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "sync"
    label = "sync"
    verbose_name = _("Sync bus")

    def ready(self) -> None:
        from sync.views import sync_panel
        from xuncha import home_panels

        home_panels.register(sync_panel)
