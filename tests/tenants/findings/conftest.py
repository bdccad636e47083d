"""A county (浚县 410621) round with a team and a target, people in the roles that matter for
escalating a clue about the county's own leadership, and helpers to deliver and scan."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access
from sync import inbox
from sync.testing import messages_deliver
from tests.tenants.crossorg.test_confidentiality_matrix import _text_columns


def member(org, role, clearance, name):
    """A user with one membership (no password hashing: argon2 is slow on purpose)."""
    from shared.accounts.models import Membership, User

    user = User.objects.create(username=f"esc-{name}-{uuid.uuid4().hex[:6]}", display_name=name)
    Membership.objects.create(user=user, organization=org, role=role, clearance=clearance)
    return user


@dataclass
class County:
    org: object
    city: object
    round: object
    target: object
    other_target: object
    users: dict = field(default_factory=dict)

    def access(self, name, org=None):
        return organization_access(person=self.users[name], organization_id=(org or self.org).pk)

    def schema(self):
        return schema_context(self.org.schema_name)


@pytest.fixture
def county(orgs):
    """浚县's own regular round, built through the services and walked to 进驻巡察 (on site): a team led
    by the county's team leader on one unit, a second unit outside the round; the round's progress
    already delivered to the city, so each test starts with nothing queued."""
    from datetime import date

    from tenants.experts.services import expert_create
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        round_transition,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    org, city = orgs["county_a"], orgs["city"]
    users = {
        "office": member(org, "office_admin", Classification.CONFIDENTIAL, "县办主任"),
        "staff_secret": member(org, "office_staff", Classification.SECRET, "县办干部"),
        "team_leader": member(org, "team_leader", Classification.CONFIDENTIAL, "县组长"),
        "leading": member(org, "leading_group", Classification.CONFIDENTIAL, "县领导小组"),
        "city_office": member(city, "office_admin", Classification.CONFIDENTIAL, "市办主任"),
        "city_staff_secret": member(city, "office_staff", Classification.SECRET, "市办干部"),
        "city_leading": member(city, "leading_group", Classification.CONFIDENTIAL, "市领导小组"),
        "city_team": member(city, "team_leader", Classification.CONFIDENTIAL, "市组长"),
    }
    office = users["office"]
    access = organization_access(person=office, organization_id=org.pk)
    with schema_context(org.schema_name):
        target = target_create(name="浚县财政局党组", level="county", managing_org_code=org.code)
        other_target = target_create(name="浚县水利局党组", level="county", managing_org_code=org.code)
        round = round_create(
            name="县委第一轮巡察",
            kind="regular",
            actor=office,
            onsite_start=date(2026, 3, 2),
            onsite_end=date(2026, 3, 31),
        )
        team = team_create(round=round, name="县第一巡察组")
        leader = expert_create(name="县组长", user=users["team_leader"])
        round_expert_authorise(round=round, expert=leader, actor=office)
        team_member_add(team=team, expert=leader, role="leader", actor=office)
        team_target_add(team=team, target=target)
        for state in ("team_formed", "announced", "on_site"):
            round = round_transition(round=round, to_state=state, actor=office, access=access)
    assert all(verdict.outcome == inbox.APPLIED for verdict in deliver(org, orgs))
    return County(org=org, city=city, round=round, target=target, other_target=other_target, users=users)


def deliver(source, orgs, *, record_type=None):
    """What the relay + consumer do (minus the transport): every unsent row of `source`, in order,
    marked sent afterwards; returns the verdicts."""
    return messages_deliver(source=source, receivers=orgs, record_type=record_type)


def marker_hits(schema: str, marker: str, tables: set[str] | None = None) -> list[str]:
    """Every text/JSON/array column of every table of `schema` holding `marker`."""
    hits = []
    with connection.cursor() as cursor:
        for table, column in _text_columns(schema):
            if tables is not None and table not in tables:
                continue
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}" WHERE "{column}"::text LIKE %s', [f"%{marker}%"])
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits
