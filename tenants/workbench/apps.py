from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """The home page's 工作台: what each person must do now, read from the other apps' records (no tables)."""

    name = "tenants.workbench"
    label = "workbench"
    verbose_name = _("Workbench (工作台)")
