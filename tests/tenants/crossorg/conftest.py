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
