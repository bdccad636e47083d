from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "tenants.targets"
    label = "targets"
    verbose_name = _("Inspection targets (被巡察单位)")

    def ready(self):
        from tenants.kernel.panels import targets_panel
        from xuncha import home_panels

        home_panels.register(targets_panel)
