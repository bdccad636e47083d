from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    name = "tenants.administration"
    label = "administration"
    verbose_name = _("Administration (三员分立)")

    def ready(self):
        from tenants.administration.panels import accounts_panel, audit_panel, memberships_panel
        from xuncha import home_panels

        for panel in (accounts_panel, memberships_panel, audit_panel):
            home_panels.register(panel)
