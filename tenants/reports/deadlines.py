"""The reports app's deadlines, checked by the reminders app (registered in ReportsConfig.ready()):
the leading group's hearing of a round back from site, and a city's annual filings with the province."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from tenants.kernel.roles import OVERSEERS
from tenants.office.models import HearingDeadlineMode, OfficeSettings
from tenants.office.workdays import add_working_days
from tenants.reminders.models import ReminderSettings
from tenants.reminders.selectors import DueItem
from tenants.reports.models import Filing, FilingKind, HearingRecord
from tenants.rounds.models import Round, RoundState


def hearing_due_items(*, today: date, organization, overrides) -> list[DueItem]:
    """A round back from site needs its leading-group hearing (听取汇报) within the office's deadline."""
    office = OfficeSettings.current()
    pending = Round.objects.filter(
        onsite_end__isnull=False, state__in=[RoundState.ON_SITE, RoundState.REPORTING, RoundState.HEARING]
    ).exclude(Exists(HearingRecord.objects.filter(round=OuterRef("pk"))))
    items = []
    for round in pending:
        if office.hearing_deadline_mode == HearingDeadlineMode.CALENDAR_DAYS:
            due, provisional = round.onsite_end + timedelta(days=office.hearing_calendar_days), False
        else:
            deadline = add_working_days(start=round.onsite_end, days=office.hearing_working_days, overrides=overrides)
            due, provisional = deadline.due, deadline.provisional
        items.append(
            DueItem(
                "hearing",
                f"round:{round.pk}",
                _("Leading-group hearing of %(round)s") % {"round": round.name},
                due,
                link=f"rounds/{round.pk}/",
                roles=OVERSEERS,
                provisional=provisional,
                classification=round.classification,
            )
        )
    return items


def filing_due_items(*, today: date, organization, overrides) -> list[DueItem]:
    """A city files its annual plan for the year and its summary of the previous year."""
    if organization is None or organization.kind != "city":
        return []
    settings = ReminderSettings.current()
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
