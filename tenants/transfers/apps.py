from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "tenants.transfers"
    label = "transfers"
    verbose_name = _("Transfers (移交)")

    def ready(self):
        from tenants.transfers import panels, sharing  # noqa: F401  (bus registrations)
        from xuncha import home_panels

        home_panels.register(panels.transfers_panel)
        home_panels.register(panels.received_panel)
