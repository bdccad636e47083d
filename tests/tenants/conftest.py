"""Fixtures for the core inspection apps: work inside county A's schema as an office user."""

from __future__ import annotations

from datetime import date

import pytest
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
    return organization_access(user=office_user, organization_id=orgs["county_a"].pk)


@pytest.fixture
def leading_user(orgs, make_member):
    return make_member(orgs["county_a"], "leading_group")


@pytest.fixture
def leading_access(orgs, leading_user):
    return organization_access(user=leading_user, organization_id=orgs["county_a"].pk)


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
        created_by=office_user,
        onsite_start=date(2026, 3, 2),
        onsite_end=date(2026, 3, 31),
    )
    team = team_create(round=round, name="第一巡察组")
    leader = make_expert(name="王组长", specialty="discipline")
    round_expert_authorise(round=round, expert=leader, by=office_user)
    team_member_add(team=team, expert=leader, role="leader", by=office_user)
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
    return organization_access(user=city_admin, organization_id=orgs["city"].pk)
