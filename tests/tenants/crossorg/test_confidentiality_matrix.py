"""Who sees what: round kind × role × organisation × record type, through the UI, the API and the
replicated tables; and a planted confidential marker found nowhere it must not be (every other
schema's text columns, the owner's outbox/copies/audit, the broker's queues and dead letters).

Every row of the tables below states, for one person and one page or endpoint, the status code, what
makes it the right page (a table's data-testid, or the JSON's shape), and exactly which of the
scenario's names and markers it shows: what is allowed must be there, and nothing else of the
scenario may be. Elevated (提级), cross-county (交叉) and linked (联动) rounds each have their table."""

from __future__ import annotations

import base64
import json
import os
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access
from sync import inbox
from sync.models import Replica
from sync.relay import outbox_relay_batch
from sync.replicas import replicas_of
from tenants.audit.models import AuditEvent
from tenants.crossorg.services import campaign_instantiate, campaign_launch, elevated_round_create
from tenants.findings.services import clue_create
from tenants.rounds.services import (
    round_create,
    round_expert_authorise,
    round_transition,
    team_create,
    team_member_add,
    team_target_add,
)
from tenants.targets.services import target_create

from .conftest import TODAY, deliver_all

MARKER_E = "MARKER-ELEVATED-" + uuid.uuid4().hex[:10]
MARKER_X = "MARKER-CROSS-" + uuid.uuid4().hex[:10]
MARKER_X_OTHER = "MARKER-CROSS-OTHER-" + uuid.uuid4().hex[:10]
MARKER_S = "MARKER-SECRET-" + uuid.uuid4().hex[:10]  # a 秘密 clue on the cross team's first target
MARKERS = (MARKER_E, MARKER_X, MARKER_X_OTHER, MARKER_S)

# The scenario's names (none is a substring of another).
R_E, R_X = "提级-矩阵", "2026年交叉巡察"
T_E, T_1, T_2, T_3 = "浚县矩阵单位", "淇县单位1", "淇县单位2", "淇县单位3"
COOPERATION = "请配合矩阵进驻"
A_OWN, B_OWN, C_OWN = "浚县本级巡察-矩阵", "淇县本级巡察-矩阵", "鹤山区本级巡察-矩阵"
UNIVERSE = (R_E, R_X, T_E, T_1, T_2, T_3, COOPERATION, A_OWN, B_OWN, C_OWN) + MARKERS


def page(testid: str, *shown: str):
    """An HTML page answering 200, recognised by its table's data-testid, showing exactly `shown`."""
    return (200, f'data-testid="{testid}"', frozenset(shown))


def api(shape: type, *shown: str):
    """A JSON endpoint answering 200 with a list or an object, showing exactly `shown`."""
    return (200, shape, frozenset(shown))


REFUSED = (403, None, frozenset())


def _assert_sees(client, url: str, expectation, universe) -> None:
    status, identity, shown = expectation
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == status, f"{url}: {response.status_code}, expected {status}"
    is_json = response.get("Content-Type", "").startswith("application/json")
    if status == 200 and identity in (list, dict):
        body = response.json() if is_json else None
        if identity is list and isinstance(body, dict) and {"count", "results"} <= set(body):
            body = body["results"]  # every API list is one page: {count, next, previous, results}
        assert isinstance(body, identity), f"{url} did not answer a JSON {identity.__name__}"
    elif status == 200:
        assert identity in text, f"{url} is not the expected page (no {identity})"
    elif is_json:  # a member whose role is refused: DRF's refusal
        assert set(response.json()) == {"detail"}, url
    else:  # the site's refusal page, in Chinese
        assert "无权访问" in text, f"{url}: not the refusal page"
    assert {item for item in universe if item in text} == shown, url


def _walk(client, user, code: str, expectations: dict, universe, **route_values) -> None:
    """Signed in as `user`, every route of `expectations` at organisation `code`."""
    client.force_login(user)
    for route, expectation in expectations.items():
        _assert_sees(client, f"/org/{code}/" + route.format(**route_values), expectation, universe)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The people here sign in with force_login: no need for the deliberately slow password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(orgs, make_member, cross_round, city_admin, city_access):
    """An elevated round on a 浚县 unit and the cross-county round (浚县 team on 淇县 units), each with a
    clue carrying a marker, a second 淇县 team whose target's clue the first team must not see, a 秘密
    clue on the first team's target; the cross round announced (grants issued); each county's own
    regular round; every outbox row of the city delivered."""
    from tenants.experts.services import expert_create

    with schema_context(orgs["city"].schema_name):
        elevated = elevated_round_create(
            name=R_E,
            host_org_code="410621",
            actor=city_admin,
            cooperation=COOPERATION,
            onsite_start=TODAY(),
            onsite_end=TODAY() + timedelta(days=9),
        )
        team = team_create(round=elevated, name="提级组")
        target_e = target_create(name=T_E, level="county", managing_org_code="410621")
        team_target_add(team=team, target=target_e)
        clue_create(
            actor=city_admin,
            access=city_access,
            round=elevated,
            target=target_e,
            summary=f"{MARKER_E} 关于某局长的问题线索",
            persons=[{"name": f"{MARKER_E}-人名"}],
        )

        cross = cross_round["round"]
        other_team = team_create(round=cross, name="交叉二组")
        other_leader = expert_create(name="浚县二组组长", home_region_code="410621")
        round_expert_authorise(round=cross, expert=other_leader, actor=city_admin)
        team_member_add(team=other_team, expert=other_leader, role="leader", actor=city_admin)
        team_target_add(team=other_team, target=cross_round["other_target"])
        round_transition(round=cross, to_state="announced", actor=city_admin, access=city_access)
        clue_create(
            actor=city_admin,
            access=city_access,
            round=cross,
            target=cross_round["targets"][0],
            summary=f"{MARKER_X} 线索",
        )
        clue_create(
            actor=city_admin,
            access=city_access,
            round=cross,
            target=cross_round["other_target"],
            summary=f"{MARKER_X_OTHER} 线索",
        )
        clue_create(
            actor=city_admin,
            access=city_access,
            round=cross,
            target=cross_round["targets"][0],
            summary=f"{MARKER_S} 线索",
            classification=Classification.SECRET,
        )
    deliver_all(orgs["city"], orgs)
    users = {
        "city_office": city_admin,
        "city_staff_secret": make_member(orgs["city"], "office_staff", clearance=2),
        "city_leading": make_member(orgs["city"], "leading_group", clearance=3),
        "city_liaison": make_member(orgs["city"], "unit_liaison", clearance=0),
        "granted_leader": cross_round["leader"],  # 浚县, clearance 3 at home, on the cross team
        "granted_member": cross_round["member"],  # 浚县, clearance 2
        "county_a_office": make_member(orgs["county_a"], "office_admin", clearance=3),
        "county_a_liaison": make_member(orgs["county_a"], "unit_liaison", clearance=0),
        "county_b_office": make_member(orgs["county_b"], "office_admin", clearance=3),
        "county_c_office": make_member(orgs["county_c"], "office_admin", clearance=3),
        "province": make_member(orgs["province"], "province_viewer", clearance=3),
    }
    for code, name in (("county_a", A_OWN), ("county_b", B_OWN), ("county_c", C_OWN)):
        with schema_context(orgs[code].schema_name):
            round_create(name=name, kind="regular", actor=users[f"{code}_office"])
    return {"elevated": elevated, "cross": cross, "users": users}


CITY_ROUTES = (
    "rounds/",
    "findings/",
    "crossorg/",
    "api/rounds/",
    "api/findings/clues/",
    "api/findings/clues/?round={cross}",
    "api/crossorg/",
)
OUTSIDER = {route: REFUSED for route in CITY_ROUTES}  # not a member of the city, no grant
CITY_OVERSEER = {  # the city office and its leading group, both cleared 机密
    "rounds/": page("round-list", R_E, R_X),
    "findings/": page("clues", R_E, R_X, T_E, T_1, T_2, T_3, MARKER_E, MARKER_X, MARKER_X_OTHER, MARKER_S),
    "crossorg/": page("organised-rounds", R_E, R_X),
    "api/rounds/": api(list, R_E, R_X),
    "api/findings/clues/": api(list, MARKER_E, MARKER_X, MARKER_X_OTHER, MARKER_S),
    "api/findings/clues/?round={cross}": api(list, MARKER_X, MARKER_X_OTHER, MARKER_S),
    "api/crossorg/": api(dict, R_E, R_X),
}
CITY_EXPECTATIONS = {
    "city_office": CITY_OVERSEER,
    # reads, records nothing: no record forms, so the unit without a clue (T_2) is not listed for it
    "city_leading": {
        **CITY_OVERSEER,
        "findings/": page("clues", R_E, R_X, T_E, T_1, T_3, MARKER_E, MARKER_X, MARKER_X_OTHER, MARKER_S),
    },
    "city_staff_secret": {  # 秘密: every round and unit, the 秘密 clue only
        "rounds/": page("round-list", R_E, R_X),
        "findings/": page("clues", R_E, R_X, T_E, T_1, T_2, T_3, MARKER_S),
        "crossorg/": page("organised-rounds", R_E, R_X),
        "api/rounds/": api(list, R_E, R_X),
        "api/findings/clues/": api(list, MARKER_S),
        "api/findings/clues/?round={cross}": api(list, MARKER_S),
        "api/crossorg/": api(dict, R_E, R_X),
    },
    "granted_leader": {  # by grant: the cross round, the team's own two units and their clues
        "rounds/": page("round-list", R_X),
        "findings/": page("clues", R_X, T_1, T_2, MARKER_X, MARKER_S),
        "crossorg/": page("granted-targets", R_X, T_1, T_2),
        "api/rounds/": api(list, R_X),
        "api/findings/clues/": api(list, MARKER_X, MARKER_S),
        "api/findings/clues/?round={cross}": api(list, MARKER_X, MARKER_S),
        "api/crossorg/": api(dict, R_X, T_1, T_2),
    },
    "granted_member": {  # by grant, cleared 秘密 at home: the same without the 机密 clue
        "rounds/": page("round-list", R_X),
        "findings/": page("clues", R_X, T_1, T_2, MARKER_S),
        "crossorg/": page("granted-targets", R_X, T_1, T_2),
        "api/rounds/": api(list, R_X),
        "api/findings/clues/": api(list, MARKER_S),
        "api/findings/clues/?round={cross}": api(list, MARKER_S),
        "api/crossorg/": api(dict, R_X, T_1, T_2),
    },
    "city_liaison": {  # a unit's liaison (公开): no rounds, no clues, an empty overview
        "rounds/": REFUSED,
        "findings/": REFUSED,
        "api/rounds/": REFUSED,
        "crossorg/": page("organised-rounds"),
        "api/findings/clues/": REFUSED,  # as the findings page
        "api/findings/clues/?round={cross}": REFUSED,
        "api/crossorg/": api(dict),
    },
    "county_a_office": OUTSIDER,
    "county_a_liaison": OUTSIDER,
    "county_b_office": OUTSIDER,
    "county_c_office": OUTSIDER,
    "province": OUTSIDER,
}


@pytest.mark.parametrize("who", sorted(CITY_EXPECTATIONS))
def test_city_pages_and_api_by_role(world, client, who):
    assert set(CITY_EXPECTATIONS[who]) == set(CITY_ROUTES)
    _walk(client, world["users"][who], "410600", CITY_EXPECTATIONS[who], UNIVERSE, cross=world["cross"].pk)


def test_granted_reads_of_clues_are_audited_as_grant_access(world, client):
    client.force_login(world["users"]["granted_leader"])
    assert MARKER_X in client.get("/org/410600/api/findings/clues/").content.decode()
    with schema_context("org_410600"):
        event = AuditEvent.objects.filter(username="a-leader", record_type="findings.clue").latest("seq")
        assert event.access_via.startswith("grant:") and event.action == "list"
        assert all(marker not in event.detail for marker in MARKERS)


# Replicated tables: what each organisation holds about the two rounds.
def test_replicas_by_organisation(orgs, world):
    elevated = world["elevated"]
    with schema_context(orgs["county_a"].schema_name):  # target county of the elevated round, home of the cross team
        held = {(r.record_type, r.record_key): r for r in Replica.objects.filter(source="410600")}
        assert set(held) == {("rounds.round", str(elevated.pk))}
        notice = held[("rounds.round", str(elevated.pk))].body
        assert set(notice) == {"name", "kind", "start_date", "end_date", "cooperation", "target_managing_org_code"}
        assert (notice["name"], notice["kind"], notice["cooperation"], notice["target_managing_org_code"]) == (
            R_E,
            "elevated",
            COOPERATION,
            "410621",
        )
    for code in ("county_b", "county_c", "province"):  # target county of the cross round, others
        with schema_context(orgs[code].schema_name):
            assert not Replica.objects.filter(source="410600", record_type="rounds.round").exists()


COUNTY_EXPECTATIONS = {  # who -> (their organisation, route -> expectation)
    "county_a_office": (
        "410621",
        {  # manages the elevated round's unit: the notice (name, dates, cooperation)
            "crossorg/": page("elevated-notices", R_E, COOPERATION),
            "api/crossorg/": api(dict, R_E, COOPERATION),
            "rounds/": page("round-list", A_OWN),
            "api/rounds/": api(list, A_OWN),
            "findings/": page("clues", A_OWN),
            "api/findings/clues/": api(list),
        },
    ),
    "county_a_liaison": (
        "410621",
        {  # 公开: the notice is 内部
            "crossorg/": page("elevated-notices"),
            "api/crossorg/": api(dict),
            "rounds/": REFUSED,
            "api/rounds/": REFUSED,
            "findings/": REFUSED,
            "api/findings/clues/": REFUSED,
        },
    ),
    "county_b_office": (
        "410622",
        {  # inspected by the cross round: told nothing of it
            "crossorg/": page("elevated-notices"),
            "api/crossorg/": api(dict),
            "rounds/": page("round-list", B_OWN),
            "api/rounds/": api(list, B_OWN),
            "findings/": page("clues", B_OWN),
            "api/findings/clues/": api(list),
        },
    ),
    "county_c_office": (
        "410611",
        {
            "crossorg/": page("elevated-notices"),
            "api/crossorg/": api(dict),
            "rounds/": page("round-list", C_OWN),
            "api/rounds/": api(list, C_OWN),
            "findings/": page("clues", C_OWN),
            "api/findings/clues/": api(list),
        },
    ),
}


@pytest.mark.parametrize("who", sorted(COUNTY_EXPECTATIONS))
def test_county_pages_by_organisation(world, client, who):
    code, expectations = COUNTY_EXPECTATIONS[who]
    _walk(client, world["users"][who], code, expectations, UNIVERSE)


# --- linked rounds (联动巡察): the city's campaign, each selected county's own round -----------------

CAMPAIGN = "惠民资金联动部署-矩阵"
L_A, L_B = "浚县惠民巡察-矩阵", "淇县惠民巡察-矩阵"
LT_A, LT_B = "浚县联动单位-矩阵", "淇县联动单位-矩阵"
MARKER_LA = "MARKER-LINKED-A-" + uuid.uuid4().hex[:10]  # 机密 clue of 浚县's linked round
MARKER_LA_S = "MARKER-LINKED-AS-" + uuid.uuid4().hex[:10]  # 秘密 clue of the same round
MARKER_LB = "MARKER-LINKED-B-" + uuid.uuid4().hex[:10]
MARKER_LB_S = "MARKER-LINKED-BS-" + uuid.uuid4().hex[:10]
LINKED_MARKERS = (MARKER_LA, MARKER_LA_S, MARKER_LB, MARKER_LB_S)
LINKED_UNIVERSE = (CAMPAIGN, L_A, L_B, LT_A, LT_B) + LINKED_MARKERS


@pytest.fixture
def linked_world(orgs, make_member, city_admin):
    """The city launches a campaign to 浚县 and 淇县 (not 鹤山区); each county starts its own linked
    round through the campaign, with a team on one unit and two clues (机密, 秘密); every outbox row of
    the city and of both counties delivered (the campaign down, each round's progress up)."""
    with schema_context(orgs["city"].schema_name):
        campaign = campaign_launch(
            title=CAMPAIGN,
            topic="惠民资金",
            county_codes=["410621", "410622"],
            start_date=TODAY(),
            end_date=TODAY() + timedelta(days=60),
            actor=city_admin,
        )
    deliver_all(orgs["city"], orgs)
    users = {
        "city_office": city_admin,
        "city_staff": make_member(orgs["city"], "office_staff", clearance=2),
        "city_liaison": make_member(orgs["city"], "unit_liaison", clearance=0),
        "county_c_office": make_member(orgs["county_c"], "office_admin", clearance=3),
        "province": make_member(orgs["province"], "province_viewer", clearance=3),
    }
    rounds = {}
    for code, name, unit, markers in (
        ("county_a", L_A, LT_A, (MARKER_LA, MARKER_LA_S)),
        ("county_b", L_B, LT_B, (MARKER_LB, MARKER_LB_S)),
    ):
        office = users[f"{code}_office"] = make_member(orgs[code], "office_admin", clearance=3)
        users[f"{code}_staff"] = make_member(orgs[code], "office_staff", clearance=2)
        users[f"{code}_leading"] = make_member(orgs[code], "leading_group", clearance=3)
        users[f"{code}_liaison"] = make_member(orgs[code], "unit_liaison", clearance=0)
        access = organization_access(person=office, organization_id=orgs[code].pk)
        with schema_context(orgs[code].schema_name):
            [received] = replicas_of(record_type="planning.campaign", sources=["410600"])
            round = rounds[code] = campaign_instantiate(
                replica=received, name=name, actor=office, onsite_start=TODAY(), onsite_end=TODAY() + timedelta(days=30)
            )
            target = target_create(name=unit, level="township", managing_org_code=orgs[code].code)
            team_target_add(team=team_create(round=round, name="联动巡察组"), target=target)
            clue_create(actor=office, access=access, round=round, target=target, summary=f"{markers[0]} 线索")
            clue_create(
                actor=office,
                access=access,
                round=round,
                target=target,
                summary=f"{markers[1]} 线索",
                classification=Classification.SECRET,
            )
        deliver_all(orgs[code], orgs)
    return {"campaign": campaign, "rounds": rounds, "users": users}


def _linked_county(own_round, unit, marker, marker_secret):
    """A selected county's office or leading group (机密), and its 秘密 office staff."""
    overseer = {
        "rounds/": page("round-list", own_round),
        "api/rounds/": api(list, own_round),
        "findings/": page("clues", own_round, unit, marker, marker_secret),
        "api/findings/clues/": api(list, marker, marker_secret),
        "crossorg/": page("campaigns-received", CAMPAIGN),
        "api/crossorg/": api(dict, CAMPAIGN),
    }
    staff = {
        **overseer,
        "findings/": page("clues", own_round, unit, marker_secret),
        "api/findings/clues/": api(list, marker_secret),
    }
    return overseer, staff


A_OVERSEER, A_STAFF = _linked_county(L_A, LT_A, MARKER_LA, MARKER_LA_S)
B_OVERSEER, B_STAFF = _linked_county(L_B, LT_B, MARKER_LB, MARKER_LB_S)
LINKED_LIAISON = {
    "rounds/": REFUSED,
    "api/rounds/": REFUSED,
    "findings/": REFUSED,
    "api/findings/clues/": REFUSED,
    "crossorg/": page("campaigns-received"),
    "api/crossorg/": api(dict),
}  # the campaign is 内部
CITY_CAMPAIGN = {  # the city: its campaign and each county's round name and progress; no county clue
    "rounds/": page("round-list"),
    "api/rounds/": api(list),
    "findings/": page("clues"),
    "api/findings/clues/": api(list),
    "crossorg/": page("campaign-progress", CAMPAIGN, L_A, L_B),
    "api/crossorg/": api(dict, CAMPAIGN, L_A, L_B),
}
LINKED_EXPECTATIONS = {  # who -> (their organisation, route -> expectation)
    "county_a_office": ("410621", A_OVERSEER),
    "county_a_leading": ("410621", A_OVERSEER),
    "county_a_staff": ("410621", A_STAFF),
    "county_a_liaison": ("410621", LINKED_LIAISON),
    "county_b_office": ("410622", B_OVERSEER),
    "county_b_leading": ("410622", B_OVERSEER),
    "county_b_staff": ("410622", B_STAFF),
    "county_b_liaison": ("410622", LINKED_LIAISON),
    "county_c_office": (
        "410611",
        {  # not selected: nothing of the campaign
            "rounds/": page("round-list"),
            "api/rounds/": api(list),
            "findings/": page("clues"),
            "api/findings/clues/": api(list),
            "crossorg/": page("campaigns-received"),
            "api/crossorg/": api(dict),
        },
    ),
    "city_office": ("410600", CITY_CAMPAIGN),
    "city_staff": ("410600", CITY_CAMPAIGN),  # the campaign and the progress are 内部
    "city_liaison": ("410600", {**LINKED_LIAISON, "crossorg/": page("organised-rounds")}),
    "province": ("410000", {**LINKED_LIAISON, "crossorg/": page("province-note")}),  # the city's own business
}


@pytest.mark.parametrize("who", sorted(LINKED_EXPECTATIONS))
def test_linked_round_pages_and_api_by_role(linked_world, client, who):
    code, expectations = LINKED_EXPECTATIONS[who]
    _walk(client, linked_world["users"][who], code, expectations, LINKED_UNIVERSE)
    # Nobody in the county enters the city, nor the sibling county, through these rounds.
    if code in ("410621", "410622"):
        sibling = "410622" if code == "410621" else "410621"
        for other in ("410600", sibling):
            _assert_sees(client, f"/org/{other}/crossorg/", REFUSED, LINKED_UNIVERSE)


def test_linked_replicas_by_organisation(orgs, linked_world):
    campaign, rounds = linked_world["campaign"], linked_world["rounds"]
    with schema_context(orgs["city"].schema_name):  # each county's progress, with the campaign's key
        replicas = Replica.objects.all()
        # Each county's unit reaches the city's registry too (issue 12: the county's registry, by name and level).
        units = {(r.source, r.body["name"]) for r in replicas if r.record_type == "targets.target"}
        assert units == {("410621", LT_A), ("410622", LT_B)}
        held = {(r.source, r.record_type, r.record_key): r.body for r in replicas if r.record_type != "targets.target"}
        assert set(held) == {
            ("410621", "rounds.round", str(rounds["county_a"].pk)),
            ("410622", "rounds.round", str(rounds["county_b"].pk)),
        }
        for (source, _type, _key), body in held.items():
            assert set(body) == {
                "name",
                "kind",
                "batch",
                "start_date",
                "end_date",
                "status",
                "classification",
                "stage",
                "targets_count",
                "teams_count",
                "findings_count",
                "campaign_key",
                # counted, never described (issue 12 point 3: the city's campaign view)
                "rectification_items",
                "rectification_closed",
                "rectification_open_due",
                "overdue_open",
            }
            assert (body["name"], body["kind"], body["campaign_key"]) == (
                {"410621": L_A, "410622": L_B}[source],
                "linked",
                str(campaign.pk),
            )
    for code in ("county_a", "county_b"):
        with schema_context(orgs[code].schema_name):  # the campaign only; nothing of the sibling's round
            held = {(r.source, r.record_type): r.body for r in Replica.objects.all()}
            assert set(held) == {("410600", "planning.campaign")}
            assert set(held[("410600", "planning.campaign")]) == {
                "title",
                "summary",
                "topic",
                "start_date",
                "end_date",
                "closed_on",
                "classification",
            }
            assert held[("410600", "planning.campaign")]["title"] == CAMPAIGN
    for code in ("county_c", "province"):
        with schema_context(orgs[code].schema_name):
            assert not Replica.objects.exists()
    assert _marker_hits("org_410621", markers=LINKED_MARKERS) == ["org_410621.findings_clue.summary"] * 2


def test_linked_markers_stay_in_their_county(orgs, linked_world):
    schemas = _org_schemas()
    hits = []
    for schema in schemas:
        own = {"org_410621": {MARKER_LA, MARKER_LA_S}, "org_410622": {MARKER_LB, MARKER_LB_S}}.get(schema, set())
        hits += _marker_hits(schema, markers=tuple(set(LINKED_MARKERS) - own))  # never the other county's
        if own:  # the county's own: in its clue table only, not in its outbox, shared copies or audit
            hits += _marker_hits(schema, BUS_AND_AUDIT, markers=tuple(own))
    assert hits == []
    assert (
        _marker_hits("org_410622", {"findings_clue"}, markers=LINKED_MARKERS)
        == ["org_410622.findings_clue.summary"] * 2
    )


# --- the scan -------------------------------------------------------------------------------------

BUS_AND_AUDIT = {"sync_outboxmessage", "sync_sharedcopy", "sync_replica", "sync_deadletter", "audit_auditevent"}


def _text_columns(schema: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
                          WHERE table_schema = %s
                            AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')
                          AND table_name IN (SELECT table_name FROM information_schema.tables
                                             WHERE table_schema = %s AND table_type = 'BASE TABLE')""",
            [schema, schema],
        )
        return cursor.fetchall()


def _marker_hits(schema: str, tables: set[str] | None = None, *, markers=MARKERS) -> list[str]:
    """`schema.table.column` once for each marker found in that column (one query per column)."""
    hits = []
    with connection.cursor() as cursor:
        for table, column in _text_columns(schema):
            if tables is not None and table not in tables:
                continue
            cursor.execute(
                f"""SELECT m FROM unnest(%s::text[]) AS m WHERE EXISTS (
                                 SELECT 1 FROM "{schema}"."{table}" WHERE "{column}"::text LIKE '%%' || m || '%%')""",
                [list(markers)],
            )
            hits += [f"{schema}.{table}.{column}"] * len(cursor.fetchall())
    return hits


def _org_schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace"
            " WHERE nspname LIKE 'org\\_%%' OR nspname IN ('public', 'tpl_organization')"
        )
        schemas = [row[0] for row in cursor.fetchall()]
    assert "org_410621" in schemas and len(schemas) >= 7
    return schemas


def test_marker_is_in_no_other_schema_and_not_in_the_owners_bus_or_audit_tables(orgs, world):
    hits = []
    for schema in _org_schemas():
        hits += _marker_hits(schema, BUS_AND_AUDIT if schema == "org_410600" else None)
    assert hits == []
    # The scan does find the markers where they belong: each clue's summary in the city's schema.
    assert _marker_hits("org_410600", {"findings_clue"}) == ["org_410600.findings_clue.summary"] * len(MARKERS)


@pytest.mark.bus
def test_marker_never_reaches_the_broker_queues_or_dead_letters(orgs, world):
    """Relay the city's outbox through the real RabbitMQ, consume it, provoke dead letters (a tampered
    copy of each message), then read every queue and the dead-letter queue: no marker anywhere."""

    from sync.transport import AmqpBus

    codes = [orgs[name].code for name in ("city", "county_a", "county_b", "county_c", "province")]
    bus = AmqpBus(
        os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
        prefix=f"xuncha.test.conf.{uuid.uuid4().hex[:8]}",
    )
    try:
        bus.declare(codes)
        assert outbox_relay_batch(organization=orgs["city"], bus=bus) >= 1
        channel = bus._raw().channel()
        seen, dead = [], []
        for code in codes:
            while (message := channel.basic_get(bus.queue_name(code), no_ack=True)) is not None:
                seen.append(message.body)
                wire = json.loads(message.body)
                wire["signature"] = base64.b64encode(bytes(64)).decode()  # a forged signature
                tampered = json.dumps(wire, ensure_ascii=False).encode()
                for raw in (message.body, tampered):
                    verdict = inbox.message_receive(receiver=orgs[code], raw=raw)
                    if verdict.outcome == inbox.DEAD:
                        bus.dead_letter(receiver_code=code, body=raw, reason=verdict.reason, detail=verdict.detail)
        assert seen, "the relay published nothing"
        while (message := channel.basic_get(bus.dead_queue, no_ack=True)) is not None:
            dead.append(message.body + repr(message.headers).encode())
        assert dead, "no dead letter was provoked"
        blobs = seen + dead
        assert all(marker.encode() not in blob for blob in blobs for marker in MARKERS)
        channel.close()
    finally:
        bus.delete_everything(codes)
