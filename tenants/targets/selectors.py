"""Read queries for targets and coverage (全覆盖)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tenants.office.models import CoverageMode, OfficeSettings
from tenants.targets.models import Target


def target_list(*, query: str = "", level: str = "", tag: str = "", active_only: bool = False) -> QuerySet[Target]:
    targets = Target.objects.prefetch_related("leaders")
    if query:
        targets = targets.filter(name__icontains=query)
    if level:
        targets = targets.filter(level=level)
    if tag:
        targets = targets.filter(business_tags__contains=[tag])
    if active_only:
        targets = targets.filter(is_active=True)
    return targets


COVERAGE_STATUS = {
    "ok": _("Covered"),
    "at_risk": _("Due soon"),
    "overdue": _("Overdue"),
    "never": _("Never inspected"),
    "pending": _("Not yet inspected this term"),
}


@dataclass(frozen=True)
class Coverage:
    target: Target
    last_inspected_on: date | None
    due_by: date | None
    status: str  # ok / pending / at_risk / overdue / never

    @property
    def at_risk(self) -> bool:
        return self.status in ("at_risk", "overdue", "never")

    @property
    def status_label(self) -> str:
        return str(COVERAGE_STATUS[self.status])


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def coverage_of(*, target: Target, today: date, settings: OfficeSettings) -> Coverage:
    """When the target must next be inspected under the office's cycle, and whether that is at risk.

    Per term with a term start: a target not inspected since the start is due by the term's end.
    Otherwise: due N years after the last inspection; never inspected means at risk now.
    """
    last = target.last_inspected_on
    if settings.coverage_mode == CoverageMode.PER_TERM and settings.current_term_start:
        term_end = _add_years(settings.current_term_start, settings.term_years) - timedelta(days=1)
        if last and last >= settings.current_term_start:
            return Coverage(target, last, _add_years(term_end, settings.term_years), "ok")
        due = term_end
    elif last is None:
        return Coverage(target, None, None, "never")
    else:
        due = _add_years(last, settings.coverage_cycle_years)
    if today > due:
        status = "overdue"
    elif today >= due - timedelta(days=settings.coverage_warning_days):
        status = "at_risk"
    elif settings.coverage_mode == CoverageMode.PER_TERM and settings.current_term_start:
        status = "pending"
    else:
        status = "ok"
    return Coverage(target, last, due, status)


def coverage_list(*, today: date, at_risk_only: bool = False) -> list[Coverage]:
    settings = OfficeSettings.current()
    rows = [coverage_of(target=t, today=today, settings=settings) for t in Target.objects.filter(is_active=True)]
    if at_risk_only:
        rows = [row for row in rows if row.at_risk]
    order = {"overdue": 0, "never": 1, "at_risk": 2, "pending": 3, "ok": 4}
    return sorted(rows, key=lambda row: (order[row.status], row.due_by or date.min, row.target.name))
