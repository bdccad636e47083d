"""The rectification app's deadlines, checked by the reminders app (registered in RectificationConfig.ready())."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from tenants.rectification.models import Feedback, Submission
from tenants.reminders.selectors import DueItem


def rectification_due_items(*, today: date, organization, overrides) -> list[DueItem]:
    """The unit's rectification plan and report, due after the feedback (整改方案, 整改报告)."""
    items = []
    for kind, due_field, item_type, text in (
        ("plan", "plan_due", "rectification_plan", _("Rectification plan of %(unit)s (%(round)s)")),
        ("report", "report_due", "rectification_report", _("Rectification report of %(unit)s (%(round)s)")),
    ):
        pending = (
            Feedback.objects.filter(**{f"{due_field}__isnull": False})
            .exclude(Exists(Submission.objects.filter(feedback=OuterRef("pk"), kind=kind)))
            .select_related("round", "target")
        )
        for feedback in pending:
            items.append(
                DueItem(
                    item_type,
                    f"feedback:{feedback.pk}",
                    text % {"unit": feedback.target.name, "round": feedback.round.name},
                    getattr(feedback, due_field),
                    provisional=getattr(feedback, f"{due_field}_provisional"),
                )
            )
    return items
