"""The rectification app's deadlines, checked by the reminders app (registered in RectificationConfig.ready())."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from tenants.agencies.models import UnitLiaison
from tenants.rectification.models import Feedback, Submission
from tenants.reminders.selectors import DueItem


def rectification_due_items(*, today: date, organization, overrides) -> list[DueItem]:
    """The unit's rectification plan and report, due after the feedback (整改方案, 整改报告)."""
    liaisons: dict[int, list[int]] = {}
    for target_id, user_id in UnitLiaison.objects.values_list("target_id", "user_id").order_by("user_id"):
        liaisons.setdefault(target_id, []).append(user_id)
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
                    link=f"rectification/feedback/{feedback.pk}/",
                    provisional=getattr(feedback, f"{due_field}_provisional"),
                    classification=feedback.classification,
                    people=tuple(liaisons.get(feedback.target_id, ())),  # the unit's liaisons submit it
                )
            )
    return items
