"""Fixtures for the core inspection apps: work inside county A's schema as an office user."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.selectors import organization_access
from tests.tenants.workflow import flow  # noqa: F401  (a fixture: a county's round at work)


@pytest.fixture
def county(orgs):
    """County A's schema is active for the test body."""
    with schema_context(orgs["county_a"].schema_name):
        yield orgs["county_a"]


@pytest.fixture
def office_user(orgs, make_member):
    return make_member(orgs["county_a"], "office_staff")


@pytest.fixture
def office_access(orgs, office_user):
    return organization_access(person=office_user, organization_id=orgs["county_a"].pk)


@pytest.fixture
def leading_user(orgs, make_member):
    return make_member(orgs["county_a"], "leading_group")


@pytest.fixture
def leading_access(orgs, leading_user):
    return organization_access(person=leading_user, organization_id=orgs["county_a"].pk)


@pytest.fixture
def make_target(county):
    from tenants.targets.services import target_create

    counter = {"n": 0}

    def make(name=None, **fields):
        counter["n"] += 1
        fields.setdefault("level", "township")
        fields.setdefault("managing_org_code", "410621")
        return target_create(name=name or f"测试单位{counter['n']}", **fields)

    return make


@pytest.fixture
def make_expert(county):
    from tenants.experts.services import expert_create

    counter = {"n": 0}

    def make(name=None, **fields):
        counter["n"] += 1
        return expert_create(name=name or f"专家{counter['n']}", **fields)

    return make


@pytest.fixture
def staffed_round(county, office_user, make_target, make_expert):
    """A regular round with one team: a leader and one target, on-site window of 22 working days."""
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        team_create,
        team_member_add,
        team_target_add,
    )

    round = round_create(
        name="2026年第一轮常规巡察",
        kind="regular",
        actor=office_user,
        onsite_start=date(2026, 3, 2),
        onsite_end=date(2026, 3, 31),
    )
    team = team_create(round=round, name="第一巡察组")
    leader = make_expert(name="王组长", specialty="discipline")
    round_expert_authorise(round=round, expert=leader, actor=office_user)
    team_member_add(team=team, expert=leader, role="leader", actor=office_user)
    team_target_add(team=team, target=make_target(name="城关镇党委"))
    return round


# The city office (鹤壁市), for the tests of what the city sends its counties (crossorg, ledger).
@pytest.fixture
def city_admin(orgs, make_member):
    return make_member(orgs["city"], "office_admin", clearance=3, username="city-admin")


@pytest.fixture
def city_leading(orgs, make_member):
    return make_member(orgs["city"], "leading_group", clearance=3, username="city-leading")


@pytest.fixture
def city_access(orgs, city_admin):
    return organization_access(person=city_admin, organization_id=orgs["city"].pk)


@pytest.fixture
def cross_round(orgs, make_member, city_admin, city_access):
    """A cross-county round of the city: a team from 浚县 (county A, 410621) on two 淇县 (county B,
    410622) units, with platform users for leader and member, in state team_formed."""
    from tenants.crossorg.services import cross_round_create
    from tenants.experts.services import expert_create
    from tenants.rounds.services import (
        round_expert_authorise,
        round_transition,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    leader_user = make_member(orgs["county_a"], "office_staff", clearance=3, username="a-leader")
    member_user = make_member(orgs["county_a"], "office_staff", clearance=2, username="a-member")
    with schema_context(orgs["city"].schema_name):
        round = cross_round_create(
            name="2026年交叉巡察",
            home_org_code="410621",
            host_org_code="410622",
            actor=city_admin,
            onsite_start=timezone.localdate() - timedelta(days=1),
            onsite_end=timezone.localdate() + timedelta(days=20),
        )
        targets = [
            target_create(name=f"淇县单位{n}", level="county", managing_org_code="410622", region_code="410622")
            for n in (1, 2)
        ]
        other_target = target_create(name="淇县单位3", level="county", managing_org_code="410622", region_code="410622")
        team = team_create(round=round, name="交叉巡察组")
        experts = {
            "leader": expert_create(name="浚县组长", home_region_code="410621", user=leader_user),
            "member": expert_create(name="浚县组员", home_region_code="410621", user=member_user),
        }
        for role, expert in experts.items():
            round_expert_authorise(round=round, expert=expert, actor=city_admin)
            team_member_add(team=team, expert=expert, role=role, actor=city_admin)
        for target in targets:
            team_target_add(team=team, target=target)
        round_transition(round=round, to_state="team_formed", actor=city_admin, access=city_access)
        round.refresh_from_db()
    return {
        "round": round,
        "team": team,
        "targets": targets,
        "other_target": other_target,
        "leader": leader_user,
        "member": member_user,
        "experts": experts,
    }
