"""Chinese working days for deadlines (工作日).

Order of authority for one day: the office's own table (HolidayOverride) wins; then the published
State Council table as packaged by `chinesecalendar` (holidays and 调休 adjusted working days);
for a year neither covers, the provisional calendar: the statutory holidays that the national
holiday regulation (全国年节及纪念日放假办法) fixes by rule — 元旦, 春节 (除夕 to 初三), 清明, 劳动节
(two days), 端午, 中秋, 国庆 (three days), and the 补假 on the next working day when one falls on a
weekend — as computed with lunar dates by the `holidays` library, plus weekends. The 调休 swaps are
announced each year and cannot be known ahead, so every deadline that counted such a day is marked
provisional (暂定), and so is everything derived from it. Nothing here raises for a date outside the
published table: chinesecalendar raises NotImplementedError outside the years it ships (2004–2026 in
1.11), which we catch.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
import holidays
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenants.office.models import HolidayOverride


@dataclass(frozen=True)
class Deadline:
    due: date
    provisional: bool
    reason: str


@dataclass(frozen=True)
class DayStatus:
    working: bool
    source: str  # "office", "official" or "provisional" (statutory holidays by rule, no table)


def office_overrides() -> dict[date, bool]:
    """The office's holiday table in the current schema, as {date: is_working_day}."""
    # The table holds a few dozen rows per year: read it whole, so counting back is covered too.
    return dict(HolidayOverride.objects.values_list("date", "is_working_day"))


@functools.lru_cache(maxsize=32)
def statutory_holidays(year: int) -> frozenset[date]:
    """The days off that the national regulation fixes for `year`, by rule (lunar dates included),
    with the 补假 for a holiday on a weekend; never the yearly 调休 swaps (the library lists those
    only for published years, named 调休, and the working weekend that pays for each is not there)."""
    try:
        rules = holidays.China(years=year, language="zh_CN")
    except (NotImplementedError, OverflowError, ValueError):
        return frozenset()
    return frozenset(day for day, name in rules.items() if "调休" not in name)


def day_status(day: date, overrides: Mapping[date, bool]) -> DayStatus:
    if day in overrides:
        return DayStatus(working=bool(overrides[day]), source="office")
    try:
        return DayStatus(working=chinese_calendar.is_workday(day), source="official")
    except (NotImplementedError, KeyError, ValueError):
        return DayStatus(working=day.weekday() < 5 and day not in statutory_holidays(day.year), source="provisional")


def _fallback_years(days: list[date], statuses: list[DayStatus]) -> list[int]:
    return sorted({day.year for day, status in zip(days, statuses, strict=True) if status.source == "provisional"})


def _reason(base: str, fallback_years: list[int]) -> str:
    if not fallback_years:
        return base
    years = "、".join(str(year) for year in fallback_years)
    return (
        base
        + "; "
        + _(
            "no published holiday table for %(years)s: statutory holidays computed by rule, weekends off, "
            "adjusted working days not yet known"
        )
        % {"years": years}
    )


def add_working_days(*, start: date, days: int, overrides: Mapping[date, bool] | None = None) -> Deadline:
    """The `days`-th working day after `start` (start itself not counted); negative counts back.

    `overrides` defaults to the current organisation's HolidayOverride table.
    """
    if overrides is None:
        overrides = office_overrides()
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    seen_days: list[date] = []
    seen_statuses: list[DayStatus] = []
    try:
        while remaining:
            day = day + timedelta(days=step)
            status = day_status(day, overrides)
            seen_days.append(day)
            seen_statuses.append(status)
            if status.working:
                remaining -= 1
    except OverflowError:
        return Deadline(
            due=date.max if step > 0 else date.min, provisional=True, reason=_("the deadline lies outside the calendar")
        )
    fallback = _fallback_years(seen_days, seen_statuses)
    base = _("%(days)s working days from %(start)s") % {"days": days, "start": date_format(start)}
    return Deadline(due=day, provisional=bool(fallback), reason=_reason(base, fallback))


def add_months(*, start: date, months: int, overrides: Mapping[date, bool] | None = None) -> Deadline:
    """Same day `months` calendar months later (clamped to the month's end); a deadline that lands on
    a day off moves to the next working day (期间届满日为休息日的，顺延至其后第一个工作日)."""
    if overrides is None:
        overrides = office_overrides()
    try:
        month_index = start.year * 12 + (start.month - 1) + months
        year, month = divmod(month_index, 12)
        month += 1
        if not 1 <= year <= 9999:
            raise OverflowError
        day_of_month = min(start.day, calendar.monthrange(year, month)[1])
        due = date(year, month, day_of_month)
        seen_days, seen_statuses = [due], [day_status(due, overrides)]
        while not seen_statuses[-1].working:
            due = due + timedelta(days=1)
            seen_days.append(due)
            seen_statuses.append(day_status(due, overrides))
    except (OverflowError, ValueError):
        return Deadline(
            due=date.max if months >= 0 else date.min,
            provisional=True,
            reason=_("the deadline lies outside the calendar"),
        )
    base = _("%(months)s months from %(start)s") % {"months": months, "start": date_format(start)}
    if len(seen_days) > 1:
        base += "; " + _("moved past days off to the next working day")
    fallback = _fallback_years(seen_days, seen_statuses)
    return Deadline(due=due, provisional=bool(fallback), reason=_reason(base, fallback))


def working_days_between(*, start: date, end: date, overrides: Mapping[date, bool] | None = None) -> tuple[int, bool]:
    """Working days in [start, end] inclusive, and whether any day relied on the provisional calendar."""
    if overrides is None:
        overrides = office_overrides()
    count, provisional = 0, False
    day = start
    while day <= end:
        status = day_status(day, overrides)
        count += status.working
        provisional = provisional or status.source == "provisional"
        if day == date.max:
            break
        day += timedelta(days=1)
    return count, provisional
