"""Deadlines this office must meet (due items) and the notifications a person may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from tenants.office.workdays import add_working_days, office_overrides


@dataclass(frozen=True)
class DueItem:
    item_type: str  # hearing | rectification_plan | rectification_report | transfer_feedback |
    # clue_feedback | annual_plan_filing | annual_summary_filing
    item_key: str
    label: str  # never carries confidential content (no clue text, no names of persons)
    due: date
    link: str = ""
    roles: tuple[str, ...] = ("office_admin", "office_staff")
    provisional: bool = False  # computed in a year without a published holiday table (暂定)


def _installed(*labels: str) -> bool:
    return all(apps.is_installed(f"tenants.{label}") for label in labels)


def _hearing_items(overrides) -> list[DueItem]:
    from tenants.office.models import HearingDeadlineMode, OfficeSettings
    from tenants.reports.models import HearingRecord
    from tenants.rounds.models import Round, RoundState

    office = OfficeSettings.current()
    pending = Round.objects.filter(
        onsite_end__isnull=False, state__in=[RoundState.ON_SITE, RoundState.REPORTING, RoundState.HEARING]
    ).exclude(Exists(HearingRecord.objects.filter(round=OuterRef("pk"))))
    items = []
    for round_ in pending:
        if office.hearing_deadline_mode == HearingDeadlineMode.CALENDAR_DAYS:
            due, provisional = round_.onsite_end + timedelta(days=office.hearing_calendar_days), False
        else:
            deadline = add_working_days(start=round_.onsite_end, days=office.hearing_working_days, overrides=overrides)
            due, provisional = deadline.due, deadline.provisional
        items.append(
            DueItem(
                "hearing",
                f"round:{round_.pk}",
                _("Leading-group hearing of %(round)s") % {"round": round_.name},
                due,
                roles=("office_admin", "office_staff", "leading_group"),
                provisional=provisional,
            )
        )
    return items


def _rectification_items() -> list[DueItem]:
    if not _installed("rectification"):
        return []
    Feedback = apps.get_model("rectification", "Feedback")
    Submission = apps.get_model("rectification", "Submission")
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


def _transfer_items() -> list[DueItem]:
    if not _installed("transfers"):
        return []
    Transfer = apps.get_model("transfers", "Transfer")
    return [
        DueItem(
            "transfer_feedback",
            f"transfer:{transfer.pk}",
            _("Handling report on transfer No. %(number)s") % {"number": transfer.pk},
            transfer.feedback_due,
            provisional=transfer.feedback_due_provisional,
        )
        for transfer in Transfer.objects.filter(status="handed_over", feedback_due__isnull=False)
    ]


def _quarter_end(day: date) -> date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    following = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return following - timedelta(days=1)


def _clue_feedback_items(today: date, overrides) -> list[DueItem]:
    """Each quarter the leading group hears how transferred clues are being handled (seed 000 §16):
    due on the quarter's last working day while any transferred clue awaits its handling report."""
    if not _installed("transfers"):
        return []
    Transfer = apps.get_model("transfers", "Transfer")
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
            roles=("office_admin", "office_staff", "leading_group"),
            provisional=deadline.provisional,
        )
    ]


def _filing_items(today: date, organization) -> list[DueItem]:
    """A city files its annual plan for the year and its summary of the previous year."""
    from tenants.reminders.models import ReminderSettings
    from tenants.reports.models import Filing, FilingKind

    if organization is None or organization.kind != "city":
        return []
    settings = ReminderSettings.current()
    import calendar

    month = settings.annual_filing_due_month
    due = date(today.year, month, min(settings.annual_filing_due_day, calendar.monthrange(today.year, month)[1]))
    items = []
    if not Filing.objects.filter(kind=FilingKind.ANNUAL_PLAN, period=str(today.year)).exists():
        items.append(
            DueItem(
                "annual_plan_filing",
                str(today.year),
                _("File the %(year)s annual plan with the province") % {"year": today.year},
                due,
                link="reports/filings/new/",
            )
        )
    if not Filing.objects.filter(kind=FilingKind.ANNUAL_SUMMARY, period=str(today.year - 1)).exists():
        items.append(
            DueItem(
                "annual_summary_filing",
                str(today.year - 1),
                _("File the %(year)s work summary with the province") % {"year": today.year - 1},
                due,
                link="reports/filings/new/",
            )
        )
    return items


def due_items(*, today: date, organization=None) -> list[DueItem]:
    overrides = office_overrides()
    return (
        _hearing_items(overrides)
        + _rectification_items()
        + _transfer_items()
        + _clue_feedback_items(today, overrides)
        + _filing_items(today, organization)
    )


def overdue_open_count() -> int:
    from tenants.reminders.models import OverdueEscalation

    return OverdueEscalation.objects.filter(resolved_on__isnull=True).count()


def notifications_for(*, access):
    from tenants.reminders.models import Notification

    return Notification.objects.filter(roles__overlap=sorted(access.roles))


def notifications_unread_count(*, access, user) -> int:
    return notifications_for(access=access).exclude(reads__user=user).count()
