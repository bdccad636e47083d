"""Office settings keep to the ranges the rules allow, so no setting can break the pages that count with it.

Found by the API fuzzer: a term of 2,000 years was accepted, and the coverage page (and its API) then
failed with a server error while adding the term to its start date.
"""

from __future__ import annotations

import pytest

ORG = "/org/410621/"


@pytest.fixture
def office_admin(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    return client


@pytest.mark.parametrize(
    "field, value",
    [
        ("term_years", 2000),
        ("coverage_years", 5000),
        ("coverage_warning_days", 400000),
        ("min_onsite_working_days", 30000),
        ("hearing_working_days", 30000),
        ("hearing_calendar_days", 30000),
        ("rectification_plan_working_days", 30000),
        ("rectification_report_months", 30000),
        ("transfer_feedback_months", 30000),
        ("clue_feedback_interval_months", 30000),
    ],
)
def test_out_of_range_settings_are_refused_in_chinese_and_nothing_changes(office_admin, field, value):
    before = office_admin.get(ORG + "api/office/settings/").json()
    response = office_admin.patch(ORG + "api/office/settings/", {field: value}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()[field][0].startswith("请确保该值小于或者等于 ")
    assert office_admin.get(ORG + "api/office/settings/").json() == before


def test_a_term_start_far_in_the_future_is_refused(office_admin):
    response = office_admin.patch(
        ORG + "api/office/settings/", {"current_term_start": "9999-12-31"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "current_term_start" in response.json()


def test_the_longest_allowed_term_keeps_the_coverage_page_and_api_working(office_admin):
    response = office_admin.patch(
        ORG + "api/office/settings/",
        {"term_years": 10, "coverage_years": 10, "current_term_start": "2099-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert office_admin.get(ORG + "api/targets/coverage/").status_code == 200
    assert office_admin.get(ORG + "targets/coverage/").status_code == 200
