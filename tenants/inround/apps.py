from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InRoundConfig(AppConfig):
    name = "tenants.inround"
    label = "inround"
    verbose_name = _("In-round work (巡察了解)")

    def ready(self):
        from tenants.inround import panels
        from xuncha import home_panels

        home_panels.register(panels.inround_panel)
