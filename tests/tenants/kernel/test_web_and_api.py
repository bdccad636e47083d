"""The core apps through the browser and the API, with permissions checked per role."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django_tenants.utils import schema_context

from tenants.experts.models import Expert
from tenants.rounds.models import Round, RoundTransition
from tenants.targets.models import Target

ORG = "/org/410621/"
ALL_ROLES = [
    "office_admin",
    "office_staff",
    "leading_group",
    "team_leader",
    "team_member",
    "unit_liaison",
    "agency_receiver",
    "province_viewer",
]
OVERSEERS = {"office_admin", "office_staff", "leading_group"}
MANAGERS = {"office_admin", "office_staff"}


@pytest.fixture
def as_role(client, orgs, make_member):
    def login(role, clearance=1):
        user = make_member(orgs["county_a"], role, clearance=clearance)
        client.force_login(user)
        return user

    return login


@pytest.fixture
def office_records(orgs):
    """One record of each kind the office pages list, made by the services in county A's schema."""
    from shared.accounts.models import User
    from tenants.experts.services import expert_create
    from tenants.office.services import holiday_override_set, office_settings_update
    from tenants.planning.services import plan_create
    from tenants.rounds.services import round_create
    from tenants.targets.services import target_create

    office = User.objects.create(username="records-office", display_name="records-office")
    with schema_context("org_410621"):
        target_create(name="城关镇党委（示例）", level="township", managing_org_code="410621")
        expert_create(name="专家甲（示例）", specialty="audit")
        plan_create(kind="annual", actor=office, title="2026年度巡察计划（示例）", year=2026)
        holiday_override_set(day=date(2027, 2, 8), is_working_day=False, note="本地假日（示例）")
        office_settings_update(changes={"min_onsite_working_days": 23})
        round_create(name="2026年专项巡察（示例）", kind="ad_hoc", actor=office)


# Each office page by its heading and (a pattern of) one record the fixture made; each API by what it must return.
OFFICE_PAGES = {
    "targets/": ("巡察对象", "城关镇党委（示例）"),
    "targets/coverage/": ("巡察全覆盖", "城关镇党委（示例）"),
    "plans/": ("巡察规划与计划", "2026年度巡察计划（示例）"),
    "experts/": ("巡察人才库", "专家甲（示例）"),
    "office/settings/": (
        "巡察办设置",
        r'最少进驻工作日(?:</th><td>|:</label>\s*<input type="number" name="min_onsite_working_days" value=")23\b',
    ),
    "office/holidays/": ("节假日表", "本地假日（示例）"),
    "office/categories/": ("问题类别", "政治纪律"),
}
OFFICE_API = {
    "api/targets/": lambda body: [row["name"] for row in body["results"]] == ["城关镇党委（示例）"],
    "api/targets/coverage/": lambda body: "城关镇党委（示例）" in str(body),
    "api/plans/annual/": lambda body: [row["title"] for row in body["results"]] == ["2026年度巡察计划（示例）"],
    "api/experts/": lambda body: [row["name"] for row in body["results"]] == ["专家甲（示例）"],
    "api/office/settings/": lambda body: body["min_onsite_working_days"] == 23,
    "api/office/finding-categories/": lambda body: "政治纪律" in [row["name"] for row in body["results"]],
    "api/office/holidays/": lambda body: (
        [(row["date"], row["note"]) for row in body["results"]] == [("2027-02-08", "本地假日（示例）")]
    ),
}
RECORDS = (
    "城关镇党委（示例）",
    "专家甲（示例）",
    "2026年度巡察计划（示例）",
    "本地假日（示例）",
    "2026年专项巡察（示例）",
)


def _heading(response) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return found.group(1).strip() if found else ""


def assert_refused_page(response):
    """A refusal: the 403 page in Chinese, and none of the records."""
    body = response.content.decode()
    assert (response.status_code, _heading(response)) == (403, "无权访问") and "您无权访问此页面。" in body
    assert not [record for record in RECORDS if record in body]


def assert_refused_api(response):
    body = response.content.decode()
    assert response.status_code == 403 and response.json() == {"detail": "您在本单位的角色不允许此操作。"}
    assert not [record for record in RECORDS if record in body]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_reading_office_pages_and_api_per_role(client, as_role, office_records, role):
    as_role(role)
    for path, (heading, record) in OFFICE_PAGES.items():
        response = client.get(ORG + path)
        if role in OVERSEERS:
            assert (response.status_code, _heading(response)) == (200, heading), path
            assert re.search(record, response.content.decode()), path
        else:
            assert_refused_page(response)
    for path, check in OFFICE_API.items():
        response = client.get(ORG + path)
        if role in OVERSEERS:
            assert response.status_code == 200 and check(response.json()), path
        else:
            assert_refused_api(response)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_rounds_are_readable_by_office_leading_group_and_team_roles_only(client, as_role, office_records, role):
    """Overseers see the round; team roles see the list of their own rounds (not this one); others are refused."""
    as_role(role)
    page, api = client.get(ORG + "rounds/"), client.get(ORG + "api/rounds/")
    if role in OVERSEERS | {"team_leader", "team_member"}:
        assert (page.status_code, _heading(page)) == (200, "巡察轮次")
        names = [row["name"] for row in api.json()["results"]]
        assert api.status_code == 200 and names == (["2026年专项巡察（示例）"] if role in OVERSEERS else [])
        assert ("2026年专项巡察（示例）" in page.content.decode()) is (role in OVERSEERS)
    else:
        assert_refused_page(page)
        assert_refused_api(api)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_creating_targets_and_rounds_is_for_the_office_only(client, as_role, role):
    as_role(role)
    allowed = role in MANAGERS
    response = client.post(
        ORG + "api/targets/",
        {"name": f"单位-{role}", "level": "township", "managing_org_code": "410621"},
        content_type="application/json",
    )
    assert response.status_code == (201 if allowed else 403)
    response = client.post(
        ORG + "api/rounds/", {"name": f"轮次-{role}", "kind": "ad_hoc"}, content_type="application/json"
    )
    assert response.status_code == (201 if allowed else 403)
    response = client.post(ORG + "rounds/new/", {"name": f"网页轮次-{role}", "kind": "ad_hoc", "classification": 1})
    assert response.status_code == (302 if allowed else 403)
    with schema_context("org_410621"):
        assert Target.objects.filter(name=f"单位-{role}").exists() is allowed
        assert Round.objects.filter(name__in=[f"轮次-{role}", f"网页轮次-{role}"]).count() == (2 if allowed else 0)


@pytest.mark.parametrize("role,allowed", [("office_admin", True), ("office_staff", False), ("leading_group", False)])
def test_only_the_office_admin_edits_settings(client, as_role, role, allowed):
    from tenants.office.models import HolidayOverride, OfficeSettings

    as_role(role)
    response = client.patch(
        ORG + "api/office/settings/", {"min_onsite_working_days": 25}, content_type="application/json"
    )
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert response.json()["min_onsite_working_days"] == 25
    response = client.post(
        ORG + "api/office/holidays/",
        {"date": "2027-02-08", "is_working_day": False, "note": "春节（预估）"},
        content_type="application/json",
    )
    assert response.status_code == (200 if allowed else 403)
    with schema_context("org_410621"):  # the change is made, or nothing changed for a refused role
        assert OfficeSettings.current().min_onsite_working_days == (25 if allowed else 20)
        assert list(HolidayOverride.objects.values_list("date", "is_working_day", "note")) == (
            [(date(2027, 2, 8), False, "春节（预估）")] if allowed else []
        )
    assert client.get(ORG + "api/office/settings/").json()["min_onsite_working_days"] == (25 if allowed else 20)


def test_deadline_api_marks_unpublished_years_provisional(client, as_role):
    as_role("office_staff")
    body = client.get(ORG + "api/office/deadline/", {"start": "2026-09-25", "working_days": 15}).json()
    assert body == {"due": "2026-10-22", "provisional": False, "reason": "自 2026年9月25日 起 15 个工作日"}
    body = client.get(ORG + "api/office/deadline/", {"start": "2031-01-01", "working_days": 10}).json()
    assert body["due"] == "2031-01-15" and body["provisional"] is True
    assert client.get(ORG + "api/office/deadline/", {"start": "2026-01-01"}).status_code == 400


def test_only_the_leading_group_decides_plans(client, as_role):
    as_role("office_staff")
    plan = client.post(
        ORG + "api/plans/annual/", {"title": "2026年计划", "year": 2026}, content_type="application/json"
    ).json()
    assert client.post(ORG + f"api/plans/annual/{plan['id']}/submit/").status_code == 200
    assert (
        client.post(
            ORG + f"api/plans/annual/{plan['id']}/decide/", {"decision": "approved"}, content_type="application/json"
        ).status_code
        == 403
    )
    with schema_context("org_410621"):  # still undecided
        from tenants.planning.models import AnnualPlan, PlanApproval

        assert AnnualPlan.objects.get(pk=plan["id"]).status == "submitted" and not PlanApproval.objects.exists()
    as_role("leading_group")
    response = client.post(
        ORG + f"api/plans/annual/{plan['id']}/decide/",
        {"decision": "approved", "note": "同意"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["decision"] == "approved"
    page = client.get(ORG + f"plans/annual/{plan['id']}/").content.decode()
    assert "同意" in page


def test_team_members_see_only_their_own_rounds(client, orgs, as_role, make_member):
    member = make_member(orgs["county_a"], "team_member", username="组员甲")
    as_role("office_staff")
    mine = client.post(
        ORG + "api/rounds/", {"name": "我的轮次", "kind": "ad_hoc"}, content_type="application/json"
    ).json()
    other = client.post(
        ORG + "api/rounds/", {"name": "别人的轮次", "kind": "ad_hoc"}, content_type="application/json"
    ).json()
    with schema_context("org_410621"):
        from tenants.experts.services import expert_create

        expert = expert_create(name="组员甲", user=member)
    team = client.post(
        ORG + f"api/rounds/{mine['id']}/teams/", {"name": "一组"}, content_type="application/json"
    ).json()
    assert (
        client.post(
            ORG + f"api/rounds/{mine['id']}/authorise/", {"expert": expert.pk}, content_type="application/json"
        ).status_code
        == 201
    )
    assert (
        client.post(
            ORG + f"api/rounds/{mine['id']}/teams/{team['id']}/members/",
            {"expert": expert.pk},
            content_type="application/json",
        ).status_code
        == 201
    )
    client.force_login(member)
    names = [r["name"] for r in client.get(ORG + "api/rounds/").json()["results"]]
    assert "我的轮次" in names and "别人的轮次" not in names
    assert client.get(ORG + f"rounds/{mine['id']}/").status_code == 200
    assert client.get(ORG + f"rounds/{other['id']}/").status_code == 404
    assert client.get(ORG + f"api/rounds/{other['id']}/").status_code == 404
    # A team member cannot move the round.
    response = client.post(
        ORG + f"api/rounds/{mine['id']}/transition/", {"to_state": "team_formed"}, content_type="application/json"
    )
    assert response.status_code == 403
    with schema_context("org_410621"):
        assert Round.objects.get(pk=mine["id"]).state == "planned" and not RoundTransition.objects.exists()


def test_rounds_above_the_callers_clearance_are_invisible(client, as_role):
    as_role("office_staff", clearance=2)
    secret = client.post(
        ORG + "api/rounds/",
        {"name": "秘密轮次", "kind": "ad_hoc", "classification": 2},
        content_type="application/json",
    ).json()
    assert "秘密轮次" in client.get(ORG + "rounds/").content.decode()  # shown to the cleared officer
    as_role("office_staff", clearance=1)
    assert client.get(ORG + f"api/rounds/{secret['id']}/").status_code == 404
    page = client.get(ORG + "rounds/")
    assert _heading(page) == "巡察轮次" and "秘密轮次" not in page.content.decode()
    response = client.post(
        ORG + "api/rounds/", {"name": "越级", "kind": "ad_hoc", "classification": 3}, content_type="application/json"
    )
    assert response.status_code == 400
    with schema_context("org_410621"):
        assert not Round.objects.filter(name="越级").exists()


def test_avoidance_refusal_through_the_api_names_the_rule(client, as_role):
    as_role("office_staff")
    target = client.post(
        ORG + "api/targets/",
        {"name": "屯子镇党委", "level": "township", "managing_org_code": "410621"},
        content_type="application/json",
    ).json()
    expert = client.post(
        ORG + "api/experts/", {"name": "回避人", "specialty": "audit"}, content_type="application/json"
    ).json()
    client.post(
        ORG + f"api/experts/{expert['id']}/conflicts/",
        {"target": target["id"], "kind": "official_matter"},
        content_type="application/json",
    )
    round = client.post(
        ORG + "api/rounds/", {"name": "回避测试", "kind": "ad_hoc"}, content_type="application/json"
    ).json()
    team = client.post(
        ORG + f"api/rounds/{round['id']}/teams/", {"name": "一组"}, content_type="application/json"
    ).json()
    client.post(
        ORG + f"api/rounds/{round['id']}/teams/{team['id']}/targets/",
        {"target": target["id"]},
        content_type="application/json",
    )
    client.post(ORG + f"api/rounds/{round['id']}/authorise/", {"expert": expert["id"]}, content_type="application/json")
    response = client.post(
        ORG + f"api/rounds/{round['id']}/teams/{team['id']}/members/",
        {"expert": expert["id"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "avoidance_official_matter" and "公务回避" in response.json()["detail"][0]
    with schema_context("org_410621"):
        assert not Round.objects.get(pk=round["id"]).teams.get().members.exists()


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
    assert (
        client.post(
            ORG + "targets/new/",
            {
                "name": "北关村党支部",
                "level": "village",
                "managing_org_code": "410621",
                "leaders": "刘书记:支部书记*",
                "is_active": "on",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(ORG + "experts/new/", {"name": "张组长", "specialty": "discipline", "is_active": "on"}).status_code
        == 302
    )
    response = client.post(
        ORG + "rounds/new/",
        {
            "name": "2026年第二轮巡察",
            "kind": "regular",
            "onsite_start": "2026-03-02",
            "onsite_end": "2026-03-31",
            "classification": 1,
        },
    )
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
    assert "空轮次" in page and "轮次不能从“计划”转到“办结”。" in page
    page = client.post(round_url + "transition/", {"to_state": "team_formed"}, follow=True).content.decode()
    assert "请先组建至少一个巡察组。" in page
    with schema_context("org_410621"):
        assert Round.objects.get(name="空轮次").state == "planned" and not RoundTransition.objects.exists()


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
    for path in [
        "/api/rounds/{id}/transition/",
        "/api/targets/import/",
        "/api/office/deadline/",
        "/api/plans/{kind}/{id}/decide/",
        "/api/experts/{id}/conflicts/",
        "/api/rounds/{id}/teams/{team_pk}/members/",
    ]:
        assert path in schema
