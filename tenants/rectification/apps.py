from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "tenants.rectification"
    label = "rectification"
    verbose_name = _("Feedback and rectification (反馈与整改)")

    def ready(self):
        from tenants.attachments.registry import attachment_owner_register
        from tenants.attachments.travel import attachment_replica_register, attachment_travels
        from tenants.ledger.selectors import ledger_list
        from tenants.rectification import deadlines, panels, selectors, sharing  # noqa: F401  (sharing: bus registrations)
        from tenants.rectification.models import RectificationItem, Submission, SupervisedItem
        from tenants.reminders.selectors import due_source_register
        from xuncha import home_panels

        due_source_register(name="rectification", order=20, source=deadlines.rectification_due_items)
        home_panels.register(panels.rectification_panel)
        attachment_owner_register(
            model=RectificationItem,
            visible=selectors.item_list,
            classification=lambda item: item.feedback.classification,
        )
        attachment_owner_register(
            model=Submission,
            visible=selectors.submission_list,
            classification=lambda submission: submission.feedback.classification,
        )
        # The county's evidence on a supervised item goes up with its progress; at the city whoever may open the
        # item (and it is still that county's) opens the files.
        attachment_owner_register(
            model=SupervisedItem, visible=lambda *, actor, access: ledger_list(model=SupervisedItem, access=access)
        )
        attachment_travels(model=SupervisedItem)
        attachment_replica_register(record_type="rectification.progress", visible=selectors.progress_visible)
        home_panels.register(panels.supervised_panel)
