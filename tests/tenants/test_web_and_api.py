"""The core apps through the browser and the API, with permissions checked per role."""

from __future__ import annotations

import io
import re

import pytest
from django_tenants.utils import schema_context

from tenants.experts.models import Expert
from tenants.rounds.models import Round, RoundTransition
from tenants.targets.models import Target

ORG = "/org/410621/"
ALL_ROLES = ["office_admin", "office_staff", "leading_group", "team_leader", "team_member",
             "unit_liaison", "agency_receiver", "province_viewer"]
OVERSEERS = {"office_admin", "office_staff", "leading_group"}
MANAGERS = {"office_admin", "office_staff"}


@pytest.fixture
def as_role(client, orgs, make_member):
    def login(role, clearance=1):
        user = make_member(orgs["county_a"], role, clearance=clearance)
        client.force_login(user)
        return user
    return login


OFFICE_PATHS = ["targets/", "targets/coverage/", "plans/", "experts/", "office/settings/", "office/holidays/",
                "office/categories/", "api/targets/", "api/targets/coverage/", "api/plans/annual/", "api/experts/",
                "api/office/settings/", "api/office/finding-categories/", "api/office/holidays/"]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_reading_office_pages_and_api_per_role(client, as_role, role):
    as_role(role)
    expected = 200 if role in OVERSEERS else 403
    assert {path: client.get(ORG + path).status_code for path in OFFICE_PATHS} == {
        path: expected for path in OFFICE_PATHS}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_rounds_are_readable_by_office_leading_group_and_team_roles_only(client, as_role, role):
    as_role(role)
    expected = 200 if role in OVERSEERS | {"team_leader", "team_member"} else 403
    assert client.get(ORG + "rounds/").status_code == expected
    assert client.get(ORG + "api/rounds/").status_code == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_creating_targets_and_rounds_is_for_the_office_only(client, as_role, role):
    as_role(role)
    allowed = role in MANAGERS
    response = client.post(ORG + "api/targets/", {"name": f"单位-{role}", "level": "township",
                                                  "managing_org_code": "410621"}, content_type="application/json")
    assert response.status_code == (201 if allowed else 403)
    response = client.post(ORG + "api/rounds/", {"name": f"轮次-{role}", "kind": "ad_hoc"},
                           content_type="application/json")
    assert response.status_code == (201 if allowed else 403)
    response = client.post(ORG + "rounds/new/", {"name": f"网页轮次-{role}", "kind": "ad_hoc", "classification": 1})
    assert response.status_code == (302 if allowed else 403)
    with schema_context("org_410621"):
        assert Target.objects.filter(name=f"单位-{role}").exists() is allowed
        assert Round.objects.filter(name__in=[f"轮次-{role}", f"网页轮次-{role}"]).count() == (2 if allowed else 0)


@pytest.mark.parametrize("role,allowed", [("office_admin", True), ("office_staff", False), ("leading_group", False)])
def test_only_the_office_admin_edits_settings(client, as_role, role, allowed):
    as_role(role)
    response = client.patch(ORG + "api/office/settings/", {"min_onsite_working_days": 25},
                            content_type="application/json")
    assert response.status_code == (200 if allowed else 403)
    response = client.post(ORG + "api/office/holidays/", {"date": "2027-02-08", "is_working_day": False,
                                                          "note": "春节（预估）"}, content_type="application/json")
    assert response.status_code == (200 if allowed else 403)


def test_deadline_api_marks_unpublished_years_provisional(client, as_role):
    as_role("office_staff")
    body = client.get(ORG + "api/office/deadline/", {"start": "2026-09-25", "working_days": 15}).json()
    assert body == {"due": "2026-10-22", "provisional": False, "reason": body["reason"]}
    body = client.get(ORG + "api/office/deadline/", {"start": "2031-01-01", "working_days": 10}).json()
    assert body["due"] == "2031-01-15" and body["provisional"] is True
    assert client.get(ORG + "api/office/deadline/", {"start": "2026-01-01"}).status_code == 400


def test_only_the_leading_group_decides_plans(client, as_role):
    as_role("office_staff")
    plan = client.post(ORG + "api/plans/annual/", {"title": "2026年计划", "year": 2026},
                       content_type="application/json").json()
    assert client.post(ORG + f"api/plans/annual/{plan['id']}/submit/").status_code == 200
    assert client.post(ORG + f"api/plans/annual/{plan['id']}/decide/", {"decision": "approved"},
                       content_type="application/json").status_code == 403
    as_role("leading_group")
    response = client.post(ORG + f"api/plans/annual/{plan['id']}/decide/", {"decision": "approved", "note": "同意"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["decision"] == "approved"
    page = client.get(ORG + f"plans/annual/{plan['id']}/").content.decode()
    assert "同意" in page


def test_team_members_see_only_their_own_rounds(client, orgs, as_role, make_member):
    member = make_member(orgs["county_a"], "team_member", username="组员甲")
    as_role("office_staff")
    mine = client.post(ORG + "api/rounds/", {"name": "我的轮次", "kind": "ad_hoc"}, content_type="application/json").json()
    other = client.post(ORG + "api/rounds/", {"name": "别人的轮次", "kind": "ad_hoc"}, content_type="application/json").json()
    with schema_context("org_410621"):
        expert = Expert.objects.create(name="组员甲", user=member)
    team = client.post(ORG + f"api/rounds/{mine['id']}/teams/", {"name": "一组"}, content_type="application/json").json()
    assert client.post(ORG + f"api/rounds/{mine['id']}/authorise/", {"expert": expert.pk},
                       content_type="application/json").status_code == 201
    assert client.post(ORG + f"api/rounds/{mine['id']}/teams/{team['id']}/members/", {"expert": expert.pk},
                       content_type="application/json").status_code == 201
    client.force_login(member)
    names = [r["name"] for r in client.get(ORG + "api/rounds/").json()]
    assert "我的轮次" in names and "别人的轮次" not in names
    assert client.get(ORG + f"rounds/{mine['id']}/").status_code == 200
    assert client.get(ORG + f"rounds/{other['id']}/").status_code == 404
    assert client.get(ORG + f"api/rounds/{other['id']}/").status_code == 404
    # A team member cannot move the round.
    response = client.post(ORG + f"api/rounds/{mine['id']}/transition/", {"to_state": "team_formed"},
                           content_type="application/json")
    assert response.status_code == 403


def test_rounds_above_the_callers_clearance_are_invisible(client, as_role):
    as_role("office_staff", clearance=2)
    secret = client.post(ORG + "api/rounds/", {"name": "秘密轮次", "kind": "ad_hoc", "classification": 2},
                         content_type="application/json").json()
    as_role("office_staff", clearance=1)
    assert client.get(ORG + f"api/rounds/{secret['id']}/").status_code == 404
    assert "秘密轮次" not in client.get(ORG + "rounds/").content.decode()
    response = client.post(ORG + "api/rounds/", {"name": "越级", "kind": "ad_hoc", "classification": 3},
                           content_type="application/json")
    assert response.status_code == 400


def test_avoidance_refusal_through_the_api_names_the_rule(client, as_role):
    as_role("office_staff")
    target = client.post(ORG + "api/targets/", {"name": "屯子镇党委", "level": "township",
                                                "managing_org_code": "410621"}, content_type="application/json").json()
    expert = client.post(ORG + "api/experts/", {"name": "回避人", "specialty": "audit"},
                         content_type="application/json").json()
    client.post(ORG + f"api/experts/{expert['id']}/conflicts/", {"target": target["id"], "kind": "official_matter"},
                content_type="application/json")
    round = client.post(ORG + "api/rounds/", {"name": "回避测试", "kind": "ad_hoc"}, content_type="application/json").json()
    team = client.post(ORG + f"api/rounds/{round['id']}/teams/", {"name": "一组"}, content_type="application/json").json()
    client.post(ORG + f"api/rounds/{round['id']}/teams/{team['id']}/targets/", {"target": target["id"]},
                content_type="application/json")
    client.post(ORG + f"api/rounds/{round['id']}/authorise/", {"expert": expert["id"]}, content_type="application/json")
    response = client.post(ORG + f"api/rounds/{round['id']}/teams/{team['id']}/members/", {"expert": expert["id"]},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "avoidance_official_matter" and "公务回避" in response.json()["detail"][0]


def test_import_through_the_browser_reports_rows_and_imports_nothing(client, as_role):
    as_role("office_staff")
    bad = "单位名称,级别,主管巡察机构代码\n好单位A,乡镇,410621\n坏单位,火星,410621\n".encode()
    upload = io.BytesIO(bad)
    upload.name = "t.csv"
    page = client.post(ORG + "targets/import/", {"file": upload})
    body = page.content.decode()
    assert page.status_code == 200 and "第3行" in body and "火星" in body  # pages are Chinese by default
    with schema_context("org_410621"):
        assert not Target.objects.filter(name="好单位A").exists()
    upload = io.BytesIO("单位名称,级别,主管巡察机构代码\n好单位A,乡镇,410621\n".encode())
    upload.name = "t.csv"
    assert client.post(ORG + "targets/import/", {"file": upload}).status_code == 302
    export = client.get(ORG + "api/targets/export/", {"file_format": "csv"})
    assert export.status_code == 200 and "好单位A" in export.content.decode("utf-8-sig")


def test_walk_a_round_in_the_browser_from_plan_to_closed(client, orgs, make_member):
    staff = make_member(orgs["county_a"], "office_staff", username="办公室小王")
    leader_group = make_member(orgs["county_a"], "leading_group", username="领导小组老李")
    client.force_login(staff)
    # A target and a person in the pool.
    assert client.post(ORG + "targets/new/", {
        "name": "北关村党支部", "level": "village", "managing_org_code": "410621", "leaders": "刘书记:支部书记*",
        "is_active": "on"}).status_code == 302
    assert client.post(ORG + "experts/new/", {"name": "张组长", "specialty": "discipline", "is_active": "on"}).status_code == 302
    response = client.post(ORG + "rounds/new/", {
        "name": "2026年第二轮巡察", "kind": "regular", "onsite_start": "2026-03-02", "onsite_end": "2026-03-31",
        "classification": 1})
    assert response.status_code == 302
    round_url = response["Location"]
    round_id = int(re.search(r"rounds/(\d+)/", round_url).group(1))
    with schema_context("org_410621"):
        expert_id = Expert.objects.get(name="张组长").pk
        target_id = Target.objects.get(name="北关村党支部").pk
    client.post(round_url + "teams/", {"name": "第一巡察组"})
    with schema_context("org_410621"):
        team_id = Round.objects.get(pk=round_id).teams.get().pk
    client.post(round_url + "authorise/", {"expert": expert_id})
    client.post(round_url + f"teams/{team_id}/members/", {"expert": expert_id, "role": "leader"})
    client.post(round_url + f"teams/{team_id}/targets/", {"target": target_id})
    page = client.get(round_url).content.decode()
    assert "张组长" in page and "北关村党支部" in page and "刘书记" in page
    for to_state in ["team_formed", "announced", "on_site", "reporting", "hearing"]:
        assert client.post(round_url + "transition/", {"to_state": to_state, "note": ""}).status_code == 302
    page = client.get(round_url).content.decode()
    assert 'data-testid="transition-form"' not in page  # the office cannot record the hearing
    client.force_login(leader_group)
    assert 'data-testid="transition-form"' in client.get(round_url).content.decode()
    client.post(round_url + "transition/", {"to_state": "feedback", "note": "同意反馈"})
    client.force_login(staff)
    for to_state in ["rectification", "closed"]:
        client.post(round_url + "transition/", {"to_state": to_state, "note": ""})
    with schema_context("org_410621"):
        round = Round.objects.get(pk=round_id)
        assert round.state == "closed"
        assert RoundTransition.objects.filter(round=round).count() == 8
        assert Target.objects.get(pk=target_id).last_inspected_on.isoformat() == "2026-03-31"
    page = client.get(round_url).content.decode()
    assert "同意反馈" in page and "领导小组老李" in page


def test_an_illegal_step_in_the_browser_shows_the_reason(client, as_role):
    as_role("office_staff")
    response = client.post(ORG + "rounds/new/", {"name": "空轮次", "kind": "ad_hoc", "classification": 1})
    round_url = response["Location"]
    page = client.post(round_url + "transition/", {"to_state": "closed"}, follow=True).content.decode()
    assert "空轮次" in page and ("cannot go from" in page or "不能" in page)
    page = client.post(round_url + "transition/", {"to_state": "team_formed"}, follow=True).content.decode()
    assert "at least one team" in page or "至少" in page


def test_home_panels_follow_the_role(client, as_role):
    as_role("office_staff")
    page = client.get(ORG).content.decode()
    assert ORG + "rounds/" in page and ORG + "targets/" in page and ORG + "office/settings/" in page
    as_role("team_member")
    page = client.get(ORG).content.decode()
    assert ORG + "rounds/" in page and ORG + "targets/" not in page
    as_role("unit_liaison")
    page = client.get(ORG).content.decode()
    assert ORG + "rounds/" not in page and ORG + "plans/" not in page


def test_openapi_schema_lists_the_core_endpoints(client, as_role):
    as_role("office_staff")
    schema = client.get(ORG + "api/schema/").content.decode()
    for path in ["/api/rounds/{id}/transition/", "/api/targets/import/", "/api/office/deadline/",
                 "/api/plans/{kind}/{id}/decide/", "/api/experts/{id}/conflicts/", "/api/rounds/{id}/teams/{team_pk}/members/"]:
        assert path in schema
