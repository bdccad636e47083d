from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "tenants.planning"
    label = "planning"
    verbose_name = _("Planning (巡察规划与计划)")
