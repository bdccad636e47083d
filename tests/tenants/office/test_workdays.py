"""Deadlines in Chinese working days (chinesecalendar + the office's table + provisional fallback)."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from tenants.office.services import holiday_override_set
from tenants.office.workdays import Deadline, add_months, add_working_days, working_days_between


def test_spring_festival_2026_and_its_saturday_working_day():
    # 2026: 14 Feb (Sat) is a 调休 working day, 15–23 Feb are off.
    deadline = add_working_days(start=date(2026, 2, 12), days=5, overrides={})
    assert deadline == Deadline(due=date(2026, 2, 26), provisional=False, reason=deadline.reason)
    assert not deadline.provisional


def test_hearing_deadline_across_national_day_2026():
    # 15 working days after a round ends on Fri 25 Sep 2026: 1–7 Oct off, Sat 10 Oct works.
    assert add_working_days(start=date(2026, 9, 25), days=15, overrides={}).due == date(2026, 10, 22)


def test_an_adjusted_sunday_counts_as_a_working_day():
    # Sun 20 Sep 2026 is a 调休 working day before National Day.
    assert add_working_days(start=date(2026, 9, 18), days=1, overrides={}).due == date(2026, 9, 20)


def test_plain_weekends_are_skipped():
    assert add_working_days(start=date(2026, 6, 12), days=1, overrides={}).due == date(2026, 6, 15)


def test_the_office_table_wins_over_the_published_one(county):
    holiday_override_set(day=date(2026, 2, 26), is_working_day=False, note="本地停工")
    holiday_override_set(day=date(2026, 2, 21), is_working_day=True, note="值班")
    # Uses the current organisation's table when no overrides are passed.
    assert add_working_days(start=date(2026, 2, 12), days=5).due == date(2026, 2, 25)
    holiday_override_set(day=date(2026, 2, 21), is_working_day=False)
    assert add_working_days(start=date(2026, 2, 12), days=5).due == date(2026, 2, 27)


def test_office_table_makes_an_unpublished_year_day_off_but_the_deadline_stays_provisional(county):
    holiday_override_set(day=date(2031, 1, 2), is_working_day=False, note="元旦（预估）")
    deadline = add_working_days(start=date(2031, 1, 1), days=1)
    assert deadline.due == date(2031, 1, 3)
    assert deadline.provisional


def test_a_year_without_table_counts_weekdays_and_is_provisional():
    with pytest.raises(NotImplementedError):  # the library itself refuses: that is what we guard against
        chinese_calendar.is_workday(date(2031, 1, 2))
    deadline = add_working_days(start=date(2031, 1, 1), days=10, overrides={})
    assert deadline.due == date(2031, 1, 15)
    assert deadline.provisional and "2031" in deadline.reason


def test_a_deadline_running_into_an_unpublished_year_is_provisional():
    last_year = max(day.year for day in chinese_calendar.holidays)
    deadline = add_working_days(start=date(last_year, 12, 28), days=10, overrides={})
    assert deadline.due.year == last_year + 1 and deadline.provisional
    inside = add_working_days(start=date(last_year, 6, 1), days=10, overrides={})
    assert not inside.provisional


def test_months_move_past_days_off():
    # 7 Oct 2026 is in the National Day holiday: due the next working day.
    deadline = add_months(start=date(2026, 8, 7), months=2, overrides={})
    assert deadline.due == date(2026, 10, 8) and not deadline.provisional
    # 31 Jan + 1 month clamps to 28 Feb 2026, a 调休 Saturday that is a working day.
    assert add_months(start=date(2026, 1, 31), months=1, overrides={}).due == date(2026, 2, 28)
    assert add_months(start=date(2040, 3, 10), months=2, overrides={}).provisional


@pytest.mark.parametrize("year", [1990, 2003, 2027, 2031, 2050, 2100, 9999])
def test_no_deadline_computation_raises_in_any_year(year):
    for start in (date(year, 1, 1), date(year, 6, 15), date(year, 12, 31)):
        for days in (0, 1, 15, 400, -20):
            assert isinstance(add_working_days(start=start, days=days, overrides={}), Deadline)
        for months in (0, 2, 3, 120, -1):
            assert isinstance(add_months(start=start, months=months, overrides={}), Deadline)
        working_days_between(
            start=start, end=min(start + timedelta(days=40), date.max) if year < 9999 else start, overrides={}
        )


def test_counting_backwards_and_zero_days():
    assert add_working_days(start=date(2026, 2, 24), days=-1, overrides={}).due == date(2026, 2, 14)
    assert add_working_days(start=date(2026, 2, 24), days=0, overrides={}).due == date(2026, 2, 24)


def test_working_days_in_an_on_site_window():
    assert working_days_between(start=date(2026, 3, 2), end=date(2026, 3, 31), overrides={}) == (22, False)
    days, provisional = working_days_between(start=date(2031, 3, 3), end=date(2031, 3, 7), overrides={})
    assert (days, provisional) == (5, True)
