from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "sync"
    label = "sync"
    verbose_name = _("Sync bus")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shared.orgs.models import Organization, Peer
        from sync.relay import routes_changed_notify
        from sync.views import sync_panel
        from xuncha import home_panels

        home_panels.register(sync_panel)
        for model in (Organization, Peer):  # a relay reads the routes again when one changes
            post_save.connect(routes_changed_notify, sender=model, dispatch_uid=f"sync.routes-save-{model.__name__}")
            post_delete.connect(routes_changed_notify, sender=model, dispatch_uid=f"sync.routes-del-{model.__name__}")
