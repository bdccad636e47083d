"""Scenario builders for elevated / cross-county / linked rounds (real services, real schemas)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from sync.testing import messages_deliver

TODAY = timezone.localdate


def deliver_all(source, orgs, *, record_type=None):
    """What the relay + consumers do (minus the transport): every queued row of `source`, in order
    (rows delivered before are delivered again: the inbox answers them as duplicates)."""
    return messages_deliver(source=source, receivers=orgs, record_type=record_type, pending_only=False, mark_sent=False)


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
            created_by=city_admin,
            onsite_start=TODAY() - timedelta(days=1),
            onsite_end=TODAY() + timedelta(days=20),
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
            round_expert_authorise(round=round, expert=expert, by=city_admin)
            team_member_add(team=team, expert=expert, role=role, by=city_admin)
        for target in targets:
            team_target_add(team=team, target=target)
        round_transition(round=round, to_state="team_formed", by=city_admin, access=city_access)
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
