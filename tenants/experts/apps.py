from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "tenants.experts"
    label = "experts"
    verbose_name = _("Expert pool (巡察人才库)")

    def ready(self):
        from tenants.kernel.panels import experts_panel
        from xuncha import home_panels

        home_panels.register(experts_panel)
