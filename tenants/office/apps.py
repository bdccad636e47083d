from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "tenants.office"
    label = "office"
    verbose_name = _("Office settings (巡察办设置)")

    def ready(self):
        from tenants.kernel.panels import office_panel
        from xuncha import home_panels

        home_panels.register(office_panel)
