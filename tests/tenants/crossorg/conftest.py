"""Scenario builders for elevated / cross-county / linked rounds (real services, real schemas)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from sync.models import Replica
from sync.testing import messages_deliver

TODAY = timezone.localdate


def deliver_all(source, orgs, *, record_type=None):
    """What the relay + consumers do (minus the transport): every queued row of `source`, in order
    (rows delivered before are delivered again: the inbox answers them as duplicates)."""
    return messages_deliver(source=source, receivers=orgs, record_type=record_type, pending_only=False, mark_sent=False)


@pytest.fixture
def registries(orgs, make_member):
    """淇县 (B) has three units, 浚县 (A) a pool of three (two with sign-ins; 郑专家 declared a relation with
    淇县单位甲), 鹤山区 one unit, 淇县 one person; all delivered to the city. Returns replica ids by name."""
    from tenants.experts.services import conflict_declare, expert_create
    from tenants.targets.services import parse_leaders, target_create

    users = {
        "leader": make_member(orgs["county_a"], "office_staff", clearance=3, username="a-lead"),
        "member": make_member(orgs["county_a"], "office_staff", clearance=2, username="a-mem"),
    }
    with schema_context(orgs["county_b"].schema_name):
        for name in ("淇县单位甲", "淇县单位乙", "淇县单位丙"):
            target_create(
                name=name,
                level="county",
                managing_org_code="410622",
                region_code="410622",
                leaders=parse_leaders("李明:局长*"),
            )
        expert_create(name="淇县人员", home_region_code="410622", unit="淇县审计局")
    with schema_context(orgs["county_c"].schema_name):
        target_create(name="鹤山区单位", level="county", managing_org_code="410611", region_code="410611")
    with schema_context(orgs["county_a"].schema_name):
        expert_create(name="浚县组长", home_region_code="410621102", unit="县纪委监委", user=users["leader"])
        expert_create(name="浚县组员", home_region_code="410621103", unit="县审计局", user=users["member"])
        related = expert_create(name="郑专家", home_region_code="410621", unit="县财政局党组")
        elsewhere = target_create(name="淇县单位甲", level="county", managing_org_code="410622", region_code="410622")
        conflict_declare(expert=related, target=elsewhere, kind="official_matter", note="配偶在该单位任职")
    for county in ("county_a", "county_b", "county_c"):
        deliver_all(orgs[county], orgs)
    with schema_context(orgs["city"].schema_name):
        ids = {
            replica.body["name"]: replica.pk
            for replica in Replica.objects.filter(record_type__in=["targets.target", "experts.expert"], tombstone=False)
        }
    return {"ids": ids, "users": users}


def linked_round_run(*, county, replica, name: str, units, office, leading, leader, overdue_on, due_later):
    """In `county`'s schema: accept the received campaign (its own linked round, as the campaign's page does),
    then run it as linked_round_progress does. Returns the round."""
    from django_tenants.utils import schema_context

    from tenants.crossorg.services import campaign_instantiate
    from tests.tenants.workflow import ONSITE

    with schema_context(county.schema_name):
        round = campaign_instantiate(replica=replica, name=name, actor=office, **ONSITE)
    return linked_round_progress(
        county=county,
        round=round,
        units=units,
        office=office,
        leading=leading,
        leader=leader,
        overdue_on=overdue_on,
        due_later=due_later,
    )


def linked_round_progress(*, county, round, units, office, leading, leader, overdue_on, due_later):
    """In `county`'s schema, through the services its pages call: staff a team on its own `units` (names), walk
    the linked round to feedback (the leading group hears it), record a finding on the first unit, give feedback
    there with two rectification items (one due `overdue_on`, one due `due_later`, whose evidence the office
    submits and the team leader verifies: closed). `leader` is a team_leader of the county. Returns the round."""
    from django_tenants.utils import schema_context

    from shared.accounts.selectors import organization_access
    from tenants.experts.models import Expert
    from tenants.experts.services import expert_create
    from tenants.findings.services import finding_create
    from tenants.office.models import FindingCategory
    from tenants.rectification.services import (
        feedback_create,
        item_submit_evidence,
        item_verify,
        rectification_items_add,
    )
    from tenants.rounds.models import MemberRole
    from tenants.rounds.services import round_expert_authorise, team_create, team_member_add, team_target_add
    from tenants.targets.services import target_create
    from tests.tenants.walk import round_walk

    with schema_context(county.schema_name):
        office_access = organization_access(person=office, organization_id=county.pk)
        leading_access = organization_access(person=leading, organization_id=county.pk)
        name = round.name
        team = team_create(round=round, name=f"{name}第一组")
        targets = [target_create(name=unit, level="county", managing_org_code=county.code) for unit in units]
        for target in targets:
            team_target_add(team=team, target=target)
        # the leader's pool entry (the demo's team leaders have one), or a new one
        expert = Expert.objects.filter(user=leader).first() or expert_create(name=f"组长{name}", user=leader)
        round_expert_authorise(round=round, expert=expert, actor=office)
        team_member_add(team=team, expert=expert, role=MemberRole.LEADER, actor=office)
        round = round_walk(
            round,
            "feedback",
            office=office,
            office_access=office_access,
            leading=leading,
            leading_access=leading_access,
        )
        finding_create(
            actor=office,
            access=office_access,
            round=round,
            target=targets[0],
            category=FindingCategory.objects.filter(is_active=True).order_by("id").first(),
            title="惠民资金发放台账不全",
            description="部分乡镇发放台账缺少签领记录",
            evidence="抽查台账第12页",
        )
        feedback = feedback_create(
            actor=office,
            access=office_access,
            round=round,
            target=targets[0],
            leadership_content="领导班子对惠民资金监管不严",
            principal_content="主要负责人督促整改不力",
        )
        overdue, later = rectification_items_add(
            actor=office,
            access=office_access,
            feedback=feedback,
            items=[
                {
                    "problem": "台账不全",
                    "task": "补齐签领记录",
                    "responsible_unit": "财政所",
                    "responsible_person": "王所长",
                    "due_date": overdue_on,
                },
                {
                    "problem": "公示不及时",
                    "task": "按月公示",
                    "responsible_unit": "民政所",
                    "responsible_person": "李所长",
                    "due_date": due_later,
                },
            ],
        )
        # the office submits the unit's evidence; the team leader verifies it (separation of duties)
        item_submit_evidence(actor=office, access=office_access, item=later, evidence="公示照片三张")
        leader_access = organization_access(person=leader, organization_id=county.pk)
        item_verify(actor=leader, access=leader_access, item=later, accept=True, note="核验属实")
    return round
