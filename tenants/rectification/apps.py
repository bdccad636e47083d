from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "tenants.rectification"
    label = "rectification"
    verbose_name = _("Feedback and rectification (反馈与整改)")

    def ready(self):
        from tenants.rectification import deadlines, panels, sharing  # noqa: F401  (sharing: bus registrations)
        from tenants.reminders.selectors import due_source_register
        from xuncha import home_panels

        due_source_register(name="rectification", order=20, source=deadlines.rectification_due_items)
        home_panels.register(panels.rectification_panel)
        home_panels.register(panels.supervised_panel)
