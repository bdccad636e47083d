"""The system administrator keeps the office's configuration (issue 13, 三员分立): on the settings page and the API
they change the settings, each change is an audit event with the values before and after; the security and audit
administrators and the content roles that do not keep the settings are refused, and bad input writes nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tenants.audit.models import AuditEvent
from tenants.office.models import OfficeSettings

ORG = "/org/410621/"
PAGE, API = f"{ORG}office/settings/", f"{ORG}api/office/settings/"


@pytest.fixture
def people(orgs, make_member):
    county = orgs["county_a"]
    return {
        "sys": make_member(county, "system_admin", clearance=0),
        "sec": make_member(county, "security_admin", clearance=0),
        "aud": make_member(county, "audit_admin", clearance=0),
        "office_admin": make_member(county, "office_admin", clearance=3),
        "office_staff": make_member(county, "office_staff", clearance=3),
        "team_member": make_member(county, "team_member", clearance=3),
    }


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _setting_events():
    with schema_context("org_410621"):
        return list(AuditEvent.objects.filter(action="settings_change").order_by("seq"))


def _form(**changes) -> dict:
    with schema_context("org_410621"):
        current = OfficeSettings.current()
    data = {
        name: getattr(current, name)
        for name in (
            "coverage_mode",
            "term_years",
            "coverage_years",
            "coverage_warning_days",
            "min_onsite_working_days",
            "hearing_deadline_mode",
            "hearing_working_days",
            "hearing_calendar_days",
            "rectification_plan_working_days",
            "rectification_report_months",
            "transfer_feedback_months",
            "clue_feedback_interval_months",
            "duty_separation",
            "campaign_reminder_interval_hours",
        )
    }
    data["current_term_start"] = current.current_term_start.isoformat() if current.current_term_start else ""
    return {**data, **changes}


def test_the_system_administrator_changes_the_settings_on_the_page_and_each_change_is_audited(people):
    client = _client(people["sys"])
    home = client.get(ORG).content.decode()
    assert f'href="{PAGE}"' in home  # the home page offers the settings to the system administrator
    page = client.get(PAGE).content.decode()
    assert '<form method="post" class="stacked">' in page and 'name="term_years"' in page
    before = _form()["term_years"]
    response = client.post(PAGE, _form(term_years=7))
    assert (response.status_code, response["Location"]) == (302, PAGE)
    with schema_context("org_410621"):
        assert OfficeSettings.current().term_years == 7
    [event] = _setting_events()
    assert (event.username, event.record_type, event.classification) == (
        people["sys"].username,
        "office.officesettings",
        1,
    )
    assert json.loads(event.detail) == {"before": {"term_years": before}, "after": {"term_years": 7}}
    # the edit of what they made, then through the API: a second event, with its own before and after
    assert 'value="7"' in client.get(PAGE).content.decode()
    response = client.patch(API, {"hearing_working_days": 12}, content_type="application/json")
    assert (response.status_code, response.json()["hearing_working_days"]) == (200, 12)
    assert [json.loads(e.detail)["after"] for e in _setting_events()] == [
        {"term_years": 7},
        {"hearing_working_days": 12},
    ]
    # saving the same values again changes nothing and logs nothing
    assert client.post(PAGE, _form()).status_code == 302
    assert len(_setting_events()) == 2


def test_bad_input_is_refused_in_chinese_beside_its_field_and_writes_nothing(people):
    client = _client(people["sys"])
    response = client.post(PAGE, _form(term_years=2000))
    assert response.status_code == 200
    page = response.content.decode()
    error = '<ul class="errorlist" id="id_term_years_error"><li>确保该值小于或等于10。</li></ul>'
    assert error in page  # beside its field (the field's own error list, which the input names)
    assert 'aria-describedby="id_term_years_error"' in page
    response = client.patch(API, {"term_years": 2000}, content_type="application/json")
    assert response.status_code == 400 and response.json()["term_years"][0].startswith("请确保该值小于或者等于 ")
    with schema_context("org_410621"):
        assert OfficeSettings.current().term_years != 2000
    assert _setting_events() == []


@pytest.mark.parametrize("name", ["sec", "aud", "team_member"])
def test_the_other_administrators_and_the_teams_are_refused(people, name):
    client = _client(people[name])
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, _form(term_years=7)).status_code == 403
    response = client.patch(API, {"term_years": 7}, content_type="application/json")
    assert response.status_code == 403
    assert client.get(API).status_code == 403
    assert f'href="{PAGE}"' not in client.get(ORG).content.decode()
    assert _setting_events() == []
    # positive control on the same addresses: the system administrator reads both
    assert _client(people["sys"]).get(API).status_code == 200


def test_office_staff_read_the_settings_but_may_not_change_them(people):
    client = _client(people["office_staff"])
    page = client.get(PAGE).content.decode()
    assert 'data-testid="settings-values"' in page and 'name="term_years"' not in page
    assert client.post(PAGE, _form(term_years=7)).status_code == 403
    assert client.patch(API, {"term_years": 7}, content_type="application/json").status_code == 403
    assert _setting_events() == []
    # the office's administrator keeps them too (the edit is logged as theirs)
    assert _client(people["office_admin"]).post(PAGE, _form(term_years=6)).status_code == 302
    assert [e.username for e in _setting_events()] == [people["office_admin"].username]


def test_the_settings_pages_show_the_system_administrator_no_case_content(people):
    client = _client(people["sys"])
    for path in (f"{ORG}rounds/", f"{ORG}findings/", f"{ORG}api/rounds/"):
        assert client.get(path).status_code == 403, path
    assert _client(people["office_admin"]).get(f"{ORG}rounds/").status_code == 200  # positive control
