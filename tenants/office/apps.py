from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "tenants.office"
    label = "office"
    verbose_name = _("Office settings (巡察办设置)")
