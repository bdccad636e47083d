from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "tenants.transfers"
    label = "transfers"
    verbose_name = _("Transfers (移交)")

    def ready(self):
        from tenants.reminders.selectors import due_source_register
        from tenants.transfers import deadlines, panels, sharing  # noqa: F401  (sharing: bus registrations)
        from xuncha import home_panels

        due_source_register(name="transfers", order=30, source=deadlines.transfer_due_items)
        due_source_register(name="clue feedback", order=40, source=deadlines.clue_feedback_due_items)
        home_panels.register(panels.transfers_panel)
        home_panels.register(panels.received_panel)
