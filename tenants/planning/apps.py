from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "tenants.planning"
    label = "planning"
    verbose_name = _("Planning (巡察规划与计划)")

    def ready(self):
        from tenants.kernel.panels import plans_panel
        from xuncha import home_panels

        home_panels.register(plans_panel)
        from tenants.planning import sharing  # noqa: F401  (registers the shared plan types)
