"""三员分立 in the browser's path and the API: each administrator reaches their own pages only, none reaches case
content by that role (with the office's own people as the positive control on the same addresses), and the
audit administrator filters and exports the log, the administrators' own actions included."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from shared.accounts.models import Membership, User
from tenants.audit.models import AuditEvent

ORG = "/org/410621/"
PASSWORD = "a-long-enough-passphrase-42"
ADMIN_PAGES = ["users/", "memberships/", "audit/"]
# Addresses that are not case content: the home page, the API's own description and the caller's identity.
NOT_CONTENT = {"", "api/schema/", "api/docs/", "api/me/", *ADMIN_PAGES, "api/accounts/", "api/memberships/"}
NOT_CONTENT |= {"api/audit-events/"}
# The office's configuration is the system administrator's (no case content), and every person keeps their API tokens.
NOT_CONTENT |= {
    "office/settings/",
    "office/holidays/",
    "office/holidays/import/",
    "office/categories/",
    "office/settings/preset/",
}
NOT_CONTENT |= {"api/office/settings/", "api/office/holidays/", "api/office/finding-categories/"}
NOT_CONTENT |= {"tokens/", "api/tokens/"}


@pytest.fixture
def people(orgs, make_member):
    county = orgs["county_a"]
    made = {
        "sys": make_member(county, "system_admin", clearance=0, username="xa.sys"),
        "sec": make_member(county, "security_admin", clearance=0, username="xa.sec"),
        "aud": make_member(county, "audit_admin", clearance=0, username="xa.aud"),
        "office": make_member(county, "office_admin", clearance=3, username="xa.office"),
    }
    User.objects.filter(username__startswith="xa.").update(home_organization=county)
    return {name: User.objects.get(pk=user.pk) for name, user in made.items()}


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _routes(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route and "^" not in route:
            yield route


def content_routes() -> list[str]:
    """Every parameterless page and API list of an organisation that is not the shell or administration."""
    return sorted(
        route
        for route in set(_routes(get_resolver("xuncha.urls")))
        if route not in NOT_CONTENT and not route.endswith((".xlsx", ".docx", ".csv", ".xlsx/"))
    )


def test_each_administrator_reaches_their_own_pages_only(people):
    seen = {
        name: [_client(people[name]).get(f"{ORG}{page}").status_code for page in ADMIN_PAGES]
        for name in ("sys", "sec", "aud", "office")
    }
    assert seen == {"sys": [200, 403, 403], "sec": [403, 200, 403], "aud": [403, 403, 200], "office": [403, 403, 403]}


def test_no_administrator_sees_case_content_by_that_role(people):
    routes = content_routes()
    assert {"rounds/", "findings/", "targets/", "plans/", "search/", "api/rounds/", "api/findings/clues/"} <= set(
        routes
    )
    office = _client(people["office"])
    reached_by_office = [route for route in routes if office.get(f"{ORG}{route}").status_code == 200]
    # positive control: the office's administrator reads the case pages and API lists on the same addresses
    assert {"rounds/", "findings/", "targets/", "plans/", "api/rounds/", "api/findings/clues/"} <= set(
        reached_by_office
    )
    for name in ("sys", "sec", "aud"):
        client = _client(people[name])
        answered = {route: client.get(f"{ORG}{route}").status_code for route in reached_by_office}
        assert [route for route, status in answered.items() if status == 200] == [], (
            name,
            [r for r, s in answered.items() if s == 200],
        )
    # the home page offers each their own panel and no case panel; the office's shows the rounds
    homes = {name: _client(people[name]).get(ORG).content.decode() for name in ("sys", "sec", "aud", "office")}
    assert ("账号管理" in homes["sys"], "角色与密级" in homes["sec"], "审计日志" in homes["aud"]) == (True, True, True)
    for page in ("rounds/", "search/", "reminders/", "crossorg/"):  # found by the browser walk: 搜索, 通知 offered
        assert [name for name, html in homes.items() if f'href="{ORG}{page}"' in html] == ["office"], page


def test_the_system_administrator_creates_an_account_the_security_administrator_grants_it(people):
    sys_client, sec_client = _client(people["sys"]), _client(people["sec"])
    response = sys_client.post(f"{ORG}users/", {"username": "chen.qi", "display_name": "陈七", "password": PASSWORD})
    person = User.objects.get(username="chen.qi")
    assert response.status_code == 302 and response["Location"] == f"{ORG}users/{person.pk}/edit/"
    assert "陈七" in sys_client.get(f"{ORG}users/").content.decode()
    # the edit after the create
    response = sys_client.post(f"{ORG}users/{person.pk}/edit/", {"display_name": "陈七（办公室）", "is_active": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).display_name == "陈七（办公室）"
    # the new person is offered to the security administrator, who grants a role; the administrator is not
    page = sec_client.get(f"{ORG}memberships/").content.decode()
    assert f'value="{person.pk}"' in page and f'value="{people["sec"].pk}"' not in page
    response = sec_client.post(f"{ORG}memberships/", {"user": person.pk, "role": "office_staff", "clearance": "2"})
    assert response.status_code == 302
    granted = Membership.objects.get(user=person)
    assert (granted.role, granted.clearance, granted.is_active) == ("office_staff", 2, True)
    response = sec_client.post(f"{ORG}memberships/{granted.pk}/edit/", {"clearance": "1"})  # unticked: withdrawn
    assert response.status_code == 302
    assert Membership.objects.filter(pk=granted.pk).values_list("clearance", "is_active").get() == (1, False)
    # nobody edits their own roles: no link, and the page refuses
    own = Membership.objects.get(user=people["sec"])
    assert f"memberships/{own.pk}/edit/" not in sec_client.get(f"{ORG}memberships/").content.decode()
    assert sec_client.get(f"{ORG}memberships/{own.pk}/edit/").status_code == 403


def test_a_second_administrator_role_is_refused_in_chinese_on_the_page_and_the_api(people):
    sec_client = _client(people["sec"])
    response = sec_client.post(
        f"{ORG}memberships/", {"user": people["sys"].pk, "role": "audit_admin", "clearance": "0"}
    )
    assert response.status_code == 200
    assert "三员分立：此人已是系统管理员，不得再担任安全审计员。" in response.content.decode()
    response = sec_client.post(
        f"{ORG}api/memberships/",
        json.dumps({"user": people["aud"].pk, "role": "security_admin"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"role": ["三员分立：此人已是安全审计员，不得再担任安全保密管理员。"]}
    assert sorted(
        Membership.objects.filter(user__in=[people["sys"], people["aud"]]).values_list("role", flat=True)
    ) == ["audit_admin", "system_admin"]


def test_the_api_for_each_administrator_and_no_one_else(people):
    sys_api, sec_api, aud_api = (_client(people[name]) for name in ("sys", "sec", "aud"))
    created = sys_api.post(
        f"{ORG}api/accounts/",
        json.dumps({"username": "sun.ba", "display_name": "孙八", "password": PASSWORD}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created["Cache-Control"] == "no-store"
    person_id = created.json()["id"]
    changed = sys_api.patch(
        f"{ORG}api/accounts/{person_id}/", json.dumps({"display_name": "孙八八"}), content_type="application/json"
    )
    assert (changed.status_code, changed.json()["display_name"]) == (200, "孙八八")
    granted = sec_api.post(
        f"{ORG}api/memberships/",
        json.dumps({"user": person_id, "role": "team_member", "clearance": 2}),
        content_type="application/json",
    )
    assert (granted.status_code, granted.json()["role"], granted.json()["clearance"]) == (201, "team_member", 2)
    events = aud_api.get(f"{ORG}api/audit-events/", {"who": "xa.sec"}).json()
    assert [(e["action"], e["changes"]) for e in events] == [
        ("membership_create", ["用户：sun.ba", "角色：巡察组成员", "涉密等级：秘密", "有效：是"])
    ]
    # each one's API refuses the other administrators and the office's own administrator
    office = _client(people["office"])
    refused = {
        "api/accounts/": [sec_api, aud_api, office],
        "api/memberships/": [sys_api, aud_api, office],
        "api/audit-events/": [sys_api, sec_api, office],
    }
    answers = {route: [c.get(f"{ORG}{route}").status_code for c in clients] for route, clients in refused.items()}
    assert answers == {route: [403, 403, 403] for route in refused}
    # a case API refuses an administrator in the API's own shape (found by the API fuzzer: an HTML page)
    refusal = sys_api.get(f"{ORG}api/rounds/")
    assert (refusal.status_code, refusal["Content-Type"], refusal.json()) == (
        403,
        "application/json",
        {"detail": "您在本单位的角色不允许此操作。"},
    )


def test_the_audit_log_shows_the_administrators_own_actions_filtered_and_exported(people, orgs):
    sys_client, sec_client, aud_client = (_client(people[name]) for name in ("sys", "sec", "aud"))
    sys_client.post(f"{ORG}users/", {"username": "zhou.jiu", "display_name": "周九", "password": PASSWORD})
    person = User.objects.get(username="zhou.jiu")
    sec_client.post(f"{ORG}memberships/", {"user": person.pk, "role": "unit_liaison", "clearance": "0"})
    sec_client.post(f"{ORG}memberships/", {"user": people["office"].pk, "role": "audit_admin", "clearance": "0"})

    def table(query=None):
        return aud_client.get(f"{ORG}audit/", query or {}).content.decode().split('data-testid="audit-events"')[1]

    page = table()
    assert "创建账号" in page and "用户名：zhou.jiu" in page and "角色：被巡察单位联络员" in page
    assert "角色：安全审计员" in page  # the security administrator's grant of an administrator role
    only_sec = table({"who": "xa.sec"})
    assert "授予角色" in only_sec and "创建账号" not in only_sec  # the negative on the same response
    only_create = table({"action": "account_create"})
    assert "创建账号" in only_create and "角色：被巡察单位联络员" not in only_create
    by_office = table({"organization": "410621"})
    assert "zhou.jiu" in by_office
    elsewhere = table({"organization": "410600"})
    assert "没有符合条件的记录。" in elsewhere
    future = table({"since": "2999-01-01"})
    assert "没有符合条件的记录。" in future and "zhou.jiu" not in future
    widest = table({"since": "0001-01-01", "until": "9999-12-31"})  # found by the API fuzzer: they overflowed
    assert "zhou.jiu" in widest
    bad = table({"since": "not-a-date"})
    assert "没有符合条件的记录。" in bad and "zhou.jiu" not in bad

    xlsx = aud_client.get(f"{ORG}audit/export.xlsx", {"who": "xa.sys"})
    assert xlsx.status_code == 200 and xlsx["Cache-Control"] == "no-store"
    assert "attachment" in xlsx["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][:6] == ("链上序号", "时间", "用户", "单位", "访问依据", "操作")
    assert [(row[2], row[5], row[6]) for row in rows[1:]] == [("xa.sys", "创建账号", "用户")]
    moment = load_workbook(io.BytesIO(xlsx.content)).active["B2"]  # a date cell (it sorts), read in Chinese
    assert moment.is_date and moment.number_format == 'yyyy"年"m"月"d"日 "hh":"mm":"ss'
    text = aud_client.get(f"{ORG}audit/export.csv", {"action": "membership_create"})
    assert text["Cache-Control"] == "no-store"
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert [(line[2], line[5]) for line in lines[1:]] == [("xa.sec", "授予角色"), ("xa.sec", "授予角色")]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", line[1]) for line in lines[1:])  # CSV: for programs
    # the exports are themselves in the log, with their filters
    with schema_context(orgs["county_a"].schema_name):
        exported = [json.loads(e.detail) for e in AuditEvent.objects.filter(action="export", username="xa.aud")]
    assert exported == [
        {"filters": {"who": "xa.sys"}, "format": "xlsx", "rows": 1},
        {"filters": {"action": "membership_create"}, "format": "csv", "rows": 2},
    ]
    assert aud_client.get(f"{ORG}audit/export.pdf").status_code == 404


def test_an_export_cell_is_never_a_formula(people, orgs, make_member):
    """A user name may start with @, + or - (Django allows them), which a spreadsheet would run as a formula."""
    other = make_member(orgs["county_a"], "system_admin", clearance=0, username="@sys")
    User.objects.filter(pk=other.pk).update(home_organization=orgs["county_a"])
    _client(other).post(f"{ORG}users/", {"username": "wu.shi", "display_name": "吴十", "password": PASSWORD})
    lines = list(
        csv.reader(io.StringIO(_client(people["aud"]).get(f"{ORG}audit/export.csv").content.decode("utf-8-sig")))
    )
    assert [line[2] for line in lines[1:]] == ["'@sys"]
