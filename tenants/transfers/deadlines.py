"""The transfers app's deadlines, checked by the reminders app (registered in TransfersConfig.ready())."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from tenants.agencies.models import AgencyDesk
from tenants.kernel.roles import OVERSEERS
from tenants.office.workdays import add_working_days
from tenants.reminders.selectors import DueItem
from tenants.transfers.models import Transfer


def transfer_due_items(*, today: date, organization, overrides) -> list[DueItem]:
    """A handed-over transfer's handling report (办理情况反馈), due from the receiving agency's desk."""
    desks: dict[int, list[int]] = {}
    for agency_id, user_id in AgencyDesk.objects.values_list("agency_id", "user_id").order_by("user_id"):
        desks.setdefault(agency_id, []).append(user_id)
    return [
        DueItem(
            "transfer_feedback",
            f"transfer:{transfer.pk}",
            _("Handling report on transfer No. %(number)s") % {"number": transfer.pk},
            transfer.feedback_due,
            link="transfers/",
            provisional=transfer.feedback_due_provisional,
            classification=transfer.classification,
            people=tuple(desks.get(transfer.agency_id, ())),
        )
        for transfer in Transfer.objects.filter(status="handed_over", feedback_due__isnull=False)
    ]


def _quarter_end(day: date) -> date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    following = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return following - timedelta(days=1)


def clue_feedback_due_items(*, today: date, organization, overrides) -> list[DueItem]:
    """Each quarter the leading group hears how transferred clues are being handled (seed 000 §16):
    due on the quarter's last working day while any transferred clue awaits its handling report."""
    if not Transfer.objects.filter(status="handed_over", clue__isnull=False).exists():
        return []
    end = _quarter_end(today)
    deadline = add_working_days(start=end + timedelta(days=1), days=-1, overrides=overrides)
    quarter = (end.month - 1) // 3 + 1
    return [
        DueItem(
            "clue_feedback",
            f"{end.year}-Q{quarter}",
            _("Quarterly report to the leading group on transferred clues, %(year)s Q%(quarter)s")
            % {"year": end.year, "quarter": quarter},
            deadline.due,
            link="transfers/",
            roles=OVERSEERS,
            provisional=deadline.provisional,
        )
    ]
