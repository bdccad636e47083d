"""The demo's 工作台 deadlines (xuncha/demo/workload.py) are counted back from the day it is seeded, so that what
the walk (tests/browser/test_workbench_walk.py) writes out as overdue is overdue, and what is weeks away is not this
week's, on every day: checked here for every day of three years, holidays and 调休 included (the official table
for the years it covers, the statutory holidays by rule after)."""

from __future__ import annotations

import datetime

from tenants.office.workdays import add_months, add_working_days
from xuncha.demo.workload import hearing_window, rectifying_dates

PLAN_WORKING_DAYS, REPORT_MONTHS, TRANSFER_MONTHS, HEARING_WORKING_DAYS = 10, 2, 3, 15  # the office's defaults


def _days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def test_the_seeded_deadlines_are_overdue_or_weeks_away_whatever_the_day():
    wrong = []
    for today in _days(datetime.date(2026, 1, 1), datetime.date(2028, 12, 31)):
        week_end = today + datetime.timedelta(days=6 - today.weekday())
        dates = rectifying_dates(today, overrides={})
        _start, end = hearing_window(today)
        deadlines = {
            "hearing": (add_working_days(start=end, days=HEARING_WORKING_DAYS, overrides={}).due, "overdue"),
            "plan": (add_working_days(start=dates.signed, days=PLAN_WORKING_DAYS, overrides={}).due, "overdue"),
            "transfer": (add_months(start=dates.handed_over, months=TRANSFER_MONTHS, overrides={}).due, "overdue"),
            "report": (add_months(start=dates.signed, months=REPORT_MONTHS, overrides={}).due, "later"),
        }
        for what, (due, should) in deadlines.items():
            if (due < today) != (should == "overdue") or (should == "later" and due <= week_end):
                wrong.append((today.isoformat(), what, due.isoformat()))
        if not dates.delivered < dates.signed < today:
            wrong.append((today.isoformat(), "receipt", dates.signed.isoformat()))
    assert wrong == []


def test_a_calendar_span_would_not_do():
    """The case the working-day count fixes: a receipt 21 days back leaves the plan due on the day itself after
    the 2026 National Day holiday (10 working days from 18 September are 9 October, 21 days on: the day itself)."""
    assert add_working_days(start=datetime.date(2026, 9, 18), days=PLAN_WORKING_DAYS, overrides={}).due == (
        datetime.date(2026, 10, 9)
    )
    assert rectifying_dates(datetime.date(2026, 10, 9), overrides={}).signed < datetime.date(2026, 9, 18)
