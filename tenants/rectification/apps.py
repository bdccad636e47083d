from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "tenants.rectification"
    label = "rectification"
    verbose_name = _("Feedback and rectification (反馈与整改)")

    def ready(self):
        from tenants.rectification import panels, sharing  # noqa: F401  (bus registrations)
        from xuncha import home_panels

        home_panels.register(panels.rectification_panel)
        home_panels.register(panels.supervised_panel)
