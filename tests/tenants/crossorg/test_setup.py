"""The city office sets up cross-county and elevated rounds and campaigns from its pages and the API, with
county units and people picked from the counties' replicas (issue 12 points 1 and 2)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django_tenants.utils import schema_context

from sync.models import Replica
from tenants.crossorg.models import Campaign, RegistryAdoption
from tenants.rounds.models import Round, TeamMember, TeamTarget
from tenants.targets.models import Target

from .conftest import TODAY, deliver_all

CROSS_NEW = "/org/410600/crossorg/cross/new/"
ELEVATED_NEW = "/org/410600/crossorg/elevated/new/"
CAMPAIGN_NEW = "/org/410600/crossorg/campaigns/new/"


def _cross_form(ids, **changes):
    data = {
        "name": "2026年交叉巡察（浚县→淇县）",
        "home_org_code": "410621",
        "host_org_code": "410622",
        "onsite_start": TODAY().isoformat(),
        "onsite_end": (TODAY() + timedelta(days=25)).isoformat(),
        "team_name": "交叉巡察组",
        "people": [ids["浚县组长"], ids["浚县组员"]],
        "leader": ids["浚县组长"],
        "units": [ids["淇县单位甲"], ids["淇县单位乙"]],
    }
    data.update(changes)
    return data


def _city_counts(orgs):
    with schema_context(orgs["city"].schema_name):
        return (
            Round.objects.count(),
            Target.objects.count(),
            RegistryAdoption.objects.count(),
            Campaign.objects.count(),
        )


def test_the_city_sees_its_counties_registries_and_an_edit_updates_them(orgs, registries, client, city_admin):
    """Point 2: units and people arrive as replicas (no contact data, the declared relation with them); a
    county's edit updates the city's copy."""
    from tenants.targets.models import Target as CountyTarget
    from tenants.targets.services import target_update

    client.force_login(city_admin)
    page = client.get("/org/410600/crossorg/registries/?county=410622").content.decode()
    assert 'data-testid="registry-units"' in page and "淇县单位甲" in page and "李明（局长）" in page
    assert "鹤山区单位" not in page  # another county's unit, on that county's tab
    page = client.get("/org/410600/crossorg/registries/?county=410621").content.decode()
    assert "浚县组长" in page and "淇县单位甲（公务回避）" in page
    with schema_context(orgs["city"].schema_name):
        person = Replica.objects.get(pk=registries["ids"]["郑专家"])
    assert "note" not in person.body and person.body["relations"] == [
        {"unit": "淇县单位甲", "managing_org_code": "410622", "kind": "official_matter"}
    ]

    with schema_context(orgs["county_b"].schema_name):
        target_update(target=CountyTarget.objects.get(name="淇县单位乙"), name="淇县单位乙（更名）")
    deliver_all(orgs["county_b"], orgs)
    page = client.get("/org/410600/crossorg/registries/?county=410622").content.decode()
    assert "淇县单位乙（更名）" in page and "淇县单位甲" in page


def test_the_city_office_creates_a_cross_county_round_from_the_page_and_edits_it(orgs, registries, client, city_admin):
    ids = registries["ids"]
    client.force_login(city_admin)
    form = client.get(CROSS_NEW).content.decode()
    assert 'data-testid="who-sees-what"' in form and "浚县 · 浚县组长" in form and "淇县 · 淇县单位甲" in form
    response = client.post(CROSS_NEW, _cross_form(ids))
    assert response.status_code == 302, response.content.decode()[-3000:]
    with schema_context(orgs["city"].schema_name):
        round = Round.objects.get(name="2026年交叉巡察（浚县→淇县）")
        assert (round.kind, round.arrangement.home_org_code, round.arrangement.host_org_code) == (
            "cross",
            "410621",
            "410622",
        )
        members = {(m.expert.name, m.role, m.expert.user_id) for m in TeamMember.objects.filter(round=round)}
        assert members == {
            ("浚县组长", "leader", registries["users"]["leader"].pk),
            ("浚县组员", "member", registries["users"]["member"].pk),
        }
        units = {(tt.target.name, tt.target.managing_org_code) for tt in TeamTarget.objects.filter(round=round)}
        assert units == {("淇县单位甲", "410622"), ("淇县单位乙", "410622")}

    edit = f"/org/410600/crossorg/rounds/{round.pk}/edit/"
    assert "2026年交叉巡察（浚县→淇县）" in client.get(edit).content.decode()
    later = TODAY() + timedelta(days=3)
    response = client.post(
        edit,
        {
            "name": "2026年交叉巡察（改）",
            "onsite_start": later.isoformat(),
            "onsite_end": (later + timedelta(days=25)).isoformat(),
        },
    )
    assert response.status_code == 302
    with schema_context(orgs["city"].schema_name):
        round.refresh_from_db()
    assert (round.name, round.onsite_start) == ("2026年交叉巡察（改）", later)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"host_org_code": "410621"}, "host_org_code", "交叉巡察"),
        ({"onsite_start": ""}, "onsite_start", "进驻"),
        ({"units": ["鹤山区单位"]}, "units", "不是淇县的单位"),
        ({"people": ["淇县人员"], "leader": "淇县人员"}, "people", "不在浚县的人才库中"),
        ({"people": ["郑专家"], "leader": "郑专家"}, "people", "公务回避"),
    ],
    ids=["same-county", "window-missing", "unit-outside-county", "person-outside-home-county", "declared-relation"],
)
def test_each_refusal_names_its_rule_next_to_the_field_and_writes_nothing(
    orgs, registries, client, city_admin, changes, field, rule
):
    ids = registries["ids"]
    resolved = {
        key: ([ids[v] for v in value] if isinstance(value, list) else ids.get(value, value))
        for key, value in changes.items()
    }
    client.force_login(city_admin)
    before = _city_counts(orgs)
    response = client.post(CROSS_NEW, _cross_form(ids, **resolved))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert rule in " ".join(errors[field]), errors
    assert _city_counts(orgs) == before  # nothing half-written: no round, no copied unit, no adoption


@pytest.mark.parametrize("role", ["team_member", "unit_liaison", "leading_group"])
def test_other_city_roles_are_refused(orgs, registries, client, make_member, role):
    user = make_member(orgs["city"], role, clearance=3)
    client.force_login(user)
    before = _city_counts(orgs)
    for path in (CROSS_NEW, ELEVATED_NEW, CAMPAIGN_NEW, "/org/410600/crossorg/registries/"):
        assert client.get(path).status_code == 403, path
    assert client.post(CROSS_NEW, _cross_form(registries["ids"])).status_code == 403
    response = client.post(
        "/org/410600/api/crossorg/cross/", json.dumps(_cross_form(registries["ids"])), content_type="application/json"
    )
    assert response.status_code == 403
    assert _city_counts(orgs) == before


def test_a_county_office_is_refused(orgs, registries, client, make_member):
    county_admin = make_member(orgs["county_a"], "office_admin", clearance=3)
    client.force_login(county_admin)
    assert client.get("/org/410621/crossorg/cross/new/").status_code == 404  # no such page in a county
    assert client.get(CROSS_NEW).status_code == 403  # not a member of the city
    assert client.get("/org/410621/crossorg/").status_code == 200  # positive control: its own page answers
    before = _city_counts(orgs)
    assert client.post(CROSS_NEW, _cross_form(registries["ids"])).status_code == 403
    assert _city_counts(orgs) == before


def test_the_api_creates_the_same_round_and_refuses_by_field(orgs, registries, client, city_admin):
    client.force_login(city_admin)
    ids = registries["ids"]
    refused = client.post(
        "/org/410600/api/crossorg/cross/",
        json.dumps(_cross_form(ids, people=[ids["郑专家"]], leader=ids["郑专家"])),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "公务回避" in " ".join(refused.json()["people"])
    created = client.post(
        "/org/410600/api/crossorg/cross/", json.dumps(_cross_form(ids)), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    with schema_context(orgs["city"].schema_name):
        round = Round.objects.get(pk=created.json()["id"])
        assert TeamTarget.objects.filter(round=round).count() == 2
    edited = client.put(
        f"/org/410600/api/crossorg/rounds/{round.pk}/",
        json.dumps({"name": round.name, "onsite_start": None, "onsite_end": None}),
        content_type="application/json",
    )
    assert edited.status_code == 400 and set(edited.json()) == {"onsite_start", "onsite_end"}


def test_an_adopted_unit_follows_its_county_and_is_deactivated_when_withdrawn(orgs, registries, client, city_admin):
    from tenants.targets.models import Target as CountyTarget
    from tenants.targets.services import parse_leaders, target_update

    client.force_login(city_admin)
    assert client.post(CROSS_NEW, _cross_form(registries["ids"])).status_code == 302
    with schema_context(orgs["county_b"].schema_name):
        target = CountyTarget.objects.get(name="淇县单位甲")
        target_update(target=target, leaders=parse_leaders("王新:局长*"))
    deliver_all(orgs["county_b"], orgs)
    with schema_context(orgs["city"].schema_name):
        copy = Target.objects.get(name="淇县单位甲")
        assert [(leader.name, leader.post) for leader in copy.leaders.all()] == [("王新", "局长")]
        assert copy.is_active
    with schema_context(orgs["county_b"].schema_name):
        target_update(target=target, is_active=False)
    deliver_all(orgs["county_b"], orgs)
    with schema_context(orgs["city"].schema_name):
        assert Target.objects.get(name="淇县单位甲").is_active is False
        assert Target.objects.get(name="淇县单位乙").is_active is True


def test_the_round_pages_expert_choices_tell_two_people_of_the_same_name_apart(orgs, registries, client, city_admin):
    """A city's pool holds its own people and its counties' (adopted): the drop-downs that authorise a person and
    put them on the team name each choice with its unit, and an adopted person's county too (they showed two
    identical names)."""
    from tenants.experts.models import Expert
    from tenants.experts.services import expert_create
    from tenants.rounds.services import round_create, team_create

    client.force_login(city_admin)
    assert client.post(CROSS_NEW, _cross_form(registries["ids"])).status_code == 302  # adopts 浚县's 浚县组长
    with schema_context(orgs["city"].schema_name):
        own = expert_create(name="浚县组长", unit="县纪委监委")  # the city's own, same name and unit
        adopted = Expert.objects.get(name="浚县组长", adoption__source="410621")
        round = round_create(name="市委第一轮巡察", kind="regular", actor=city_admin)
        team_create(round=round, name="市委第一巡察组")
    url = f"/org/410600/rounds/{round.pk}/"

    def choices(form: str) -> list[str]:
        select = client.get(url).content.decode().split(f'/{form}/"', 1)[1].split("</select>", 1)[0]
        return [label for label in re.findall(r'<option value="\d+">([^<]*)</option>', select) if "浚县组长" in label]

    assert choices("authorise") == ["浚县组长（浚县 · 县纪委监委）", "浚县组长（县纪委监委）"]  # by name, then id
    for expert in (own, adopted):
        assert client.post(f"{url}authorise/", {"expert": expert.pk}).status_code == 302
    assert choices("members") == ["浚县组长（浚县 · 县纪委监委）", "浚县组长（县纪委监委）"]


def test_the_city_creates_an_elevated_round_and_the_county_is_told_the_cooperation(
    orgs, registries, client, city_admin
):
    client.force_login(city_admin)
    data = {
        "name": "提级巡察鹤山区单位",
        "host_org_code": "410611",
        "onsite_start": TODAY().isoformat(),
        "onsite_end": (TODAY() + timedelta(days=30)).isoformat(),
        "cooperation": "请提供办公场所",
        "team_name": "市委第二巡察组",
        "units": [registries["ids"]["鹤山区单位"]],
    }
    refused = client.post(ELEVATED_NEW, {**data, "units": [registries["ids"]["淇县单位甲"]]})
    assert "不是鹤山区的单位" in " ".join(refused.context["form"].errors["units"])
    assert client.post(ELEVATED_NEW, data).status_code == 302
    with schema_context(orgs["city"].schema_name):
        round = Round.objects.get(name="提级巡察鹤山区单位")
    edit = f"/org/410600/crossorg/rounds/{round.pk}/edit/"
    assert client.post(edit, {**data, "cooperation": "请提供办公场所和档案室"}).status_code == 302
    deliver_all(orgs["city"], orgs)
    with schema_context(orgs["county_c"].schema_name):
        notice = Replica.objects.get(record_type="rounds.round", record_key=str(round.pk))
    assert notice.body["cooperation"] == "请提供办公场所和档案室" and "findings_count" not in notice.body


def test_the_city_launches_a_campaign_and_a_county_taken_off_loses_it(orgs, client, city_admin):
    client.force_login(city_admin)
    data = {
        "title": "2026年乡村振兴专项联动巡察",
        "topic": "乡村振兴",
        "start_date": TODAY().isoformat(),
        "end_date": (TODAY() + timedelta(days=60)).isoformat(),
        "county_codes": ["410621", "410622", "410611"],
        "summary": "各县区围绕涉农资金开展巡察",
    }
    refused = client.post(CAMPAIGN_NEW, {**data, "end_date": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["end_date"]
    assert client.post(CAMPAIGN_NEW, data).status_code == 302
    with schema_context(orgs["city"].schema_name):
        campaign = Campaign.objects.get(title=data["title"])
    deliver_all(orgs["city"], orgs)
    edit = f"/org/410600/crossorg/campaigns/{campaign.pk}/edit/"
    assert "各县区围绕涉农资金开展巡察" in client.get(edit).content.decode()
    assert client.post(edit, {**data, "county_codes": ["410621", "410622"]}).status_code == 302
    deliver_all(orgs["city"], orgs)
    held = {}
    for county in ("county_a", "county_b", "county_c"):
        with schema_context(orgs[county].schema_name):
            held[county] = Replica.objects.get(record_type="planning.campaign", record_key=str(campaign.pk)).tombstone
    assert held == {"county_a": False, "county_b": False, "county_c": True}
