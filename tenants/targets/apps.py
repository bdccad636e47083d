from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "tenants.targets"
    label = "targets"
    verbose_name = _("Inspection targets (被巡察单位)")
