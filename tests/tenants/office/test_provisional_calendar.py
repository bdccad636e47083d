"""The provisional calendar (issue 10, point 8): for a year without a published State Council table
(chinesecalendar ships none for 2027 yet), the statutory holidays that the national holiday regulation
fixes are off (元旦, 春节 with 除夕, 清明, 劳动节, 端午, 中秋, 国庆, and the 补假 when one falls on a
weekend), weekends are off, and every deadline computed from such a year is marked 暂定; the office's
own table still wins. Expected dates are written out from the 2027 calendar."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from tenants.office.services import holiday_override_set
from tenants.office.workdays import add_months, add_working_days, day_status, working_days_between

D = datetime.date

SPRING_FESTIVAL_2027 = [
    D(2027, 2, 5),
    D(2027, 2, 6),
    D(2027, 2, 7),
    D(2027, 2, 8),  # 除夕 Fri, 初一–初三
    D(2027, 2, 9),
    D(2027, 2, 10),
]  # 补假 for Sat 6 and Sun 7


def test_2027_has_no_published_table_yet():
    """The premise of the rest: if chinesecalendar ever ships 2027, these tests move to a later year."""
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 1))


def test_new_year_s_day_2027_is_off_and_the_deadline_after_it_is_provisional():
    deadline = add_working_days(start=D(2026, 12, 31), days=1, overrides={})
    assert deadline.due == D(2027, 1, 4)  # Fri 1 Jan off, then the weekend
    assert deadline.provisional
    assert "2027" in deadline.reason
    assert not day_status(D(2027, 1, 1), {}).working


def test_the_2027_spring_festival_days_are_off():
    for day in SPRING_FESTIVAL_2027:
        assert not day_status(day, {}).working, day
    assert day_status(D(2027, 2, 4), {}).working and day_status(D(2027, 2, 11), {}).working
    assert add_working_days(start=D(2027, 2, 4), days=1, overrides={}).due == D(2027, 2, 11)
    assert working_days_between(start=D(2027, 2, 1), end=D(2027, 2, 12), overrides={}) == (6, True)


@pytest.mark.parametrize(
    "before, after",
    [
        (D(2027, 4, 2), D(2027, 4, 6)),  # 清明 Mon 5 Apr
        (D(2027, 4, 30), D(2027, 5, 5)),  # 劳动节 Sat 1–Sun 2 May, 补假 Mon 3 and Tue 4
        (D(2027, 6, 8), D(2027, 6, 10)),  # 端午 Wed 9 Jun
        (D(2027, 9, 14), D(2027, 9, 16)),  # 中秋 Wed 15 Sep
        (D(2027, 9, 30), D(2027, 10, 6)),  # 国庆 Fri 1–Sun 3 Oct, 补假 Mon 4 and Tue 5
    ],
)
def test_each_statutory_holiday_of_2027_is_skipped(before, after):
    deadline = add_working_days(start=before, days=1, overrides={})
    assert (deadline.due, deadline.provisional) == (after, True)


def test_months_landing_on_the_2027_spring_festival_move_to_the_next_working_day():
    deadline = add_months(start=D(2026, 12, 8), months=2, overrides={})  # 8 Feb 2027 is 初三
    assert (deadline.due, deadline.provisional) == (D(2027, 2, 11), True)


def test_the_office_table_still_wins_in_a_provisional_year(county):
    holiday_override_set(day=D(2027, 2, 10), is_working_day=True, note="本办上班")
    holiday_override_set(day=D(2027, 1, 4), is_working_day=False, note="本办休息")
    assert add_working_days(start=D(2027, 2, 4), days=1).due == D(2027, 2, 10)
    deadline = add_working_days(start=D(2026, 12, 31), days=1)
    assert (deadline.due, deadline.provisional) == (D(2027, 1, 5), True)


def test_a_published_year_is_not_provisional():
    deadline = add_working_days(start=D(2026, 9, 30), days=1, overrides={})
    assert (deadline.due, deadline.provisional) == (D(2026, 10, 8), False)


def test_the_deadline_calculator_page_shows_the_provisional_2027_date(client, orgs, make_member):
    admin = make_member(orgs["county_a"], "office_admin")
    client.force_login(admin)
    page = client.get("/org/410621/office/settings/", {"start": "2026-12-31", "working_days": "1"}).content.decode()
    assert 'data-testid="deadline"' in page
    deadline = page.split('data-testid="deadline"', 1)[1].split("</p>", 1)[0]
    assert ("2027-01-04" in deadline or "2027年1月4日" in deadline) and "暂定" in deadline
    assert deadline.count("暂定") == 1  # one mark; the reason beside it does not say it again
    api = client.get("/org/410621/api/office/deadline/", {"start": "2026-12-31", "working_days": "1"}).json()
    assert api["due"] == "2027-01-04" and api["provisional"] is True


def test_the_2028_spring_festival_is_off_too_and_needs_no_make_up_day():
    # 除夕 Tue 25 Jan 2028 to 初三 Fri 28 Jan: none on a weekend, so no 补假
    for day in (D(2028, 1, 25), D(2028, 1, 26), D(2028, 1, 27), D(2028, 1, 28)):
        assert not day_status(day, {}).working, day
    deadline = add_working_days(start=D(2028, 1, 24), days=1, overrides={})
    assert (deadline.due, deadline.provisional) == (D(2028, 1, 31), True)
    assert add_working_days(start=D(2028, 5, 26), days=1, overrides={}).due == D(
        2028, 5, 30
    )  # 端午 Sun 28 May, 补假 Mon 29
