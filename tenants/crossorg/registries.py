"""A county's registries shared up to its city (rules: sync/policy.py `targets.target`, `experts.expert`).

The city staffs cross-county and elevated rounds from its counties' current data: each county's units
(被巡察单位: level, managing organisation, leadership) and its pool (巡察人才库: name, unit, post, home region,
specialty, the relations its people declared for avoidance, the platform account a round's grant follows).
The county owns them; the city holds replicas. The targets and experts services publish every change; a
unit or person that is deactivated (or a unit handed to another county) is withdrawn by the outbox, and a
row deleted is withdrawn by sync.derived.
"""

from __future__ import annotations

from shared.accounts.models import Classification
from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.crossorg.adoption import adopted_follow
from tenants.experts.models import ConflictDeclaration, Expert
from tenants.targets.models import Target


def _up_to_city(instance, owner) -> set[str]:
    return {owner.parent.code} if owner.kind == "county" and owner.parent_id else set()


def target_snapshot(target: Target) -> dict:
    return {
        "name": target.name,
        "level": target.level,
        "category": target.category,
        "managing_org_code": target.managing_org_code,
        "region_code": target.region_code,
        "business_tags": list(target.business_tags),
        "leaders": [
            {"name": leader.name, "post": leader.post, "is_principal": leader.is_principal}
            for leader in target.leaders.order_by("-is_principal", "id")
        ],
        "is_active": target.is_active,
        "classification": Classification.INTERNAL,
    }


def expert_snapshot(expert: Expert) -> dict:
    relations = sorted(
        (declaration.target.name, declaration.target.managing_org_code, declaration.kind)
        for declaration in ConflictDeclaration.objects.filter(expert=expert).select_related("target")
    )
    return {
        "name": expert.name,
        "unit": expert.unit,
        "post": expert.post,
        "home_region_code": expert.home_region_code,
        "specialty": expert.specialty,
        "relations": [{"unit": unit, "managing_org_code": code, "kind": kind} for unit, code, kind in relations],
        "user_id": expert.user_id,
        "is_active": expert.is_active,
        "classification": Classification.INTERNAL,
    }


def _adopted_follow(*, replica, previous_body) -> None:
    """At the city: the working copy of an adopted unit or person follows the county (adoption.py)."""

    adopted_follow(replica=replica)


TARGET = register(
    SharedRecordType(
        record_type="targets.target",
        schema_version=1,
        model=Target,
        snapshot=target_snapshot,
        audience=_up_to_city,
        on_receive=_adopted_follow,
    )
)
EXPERT = register(
    SharedRecordType(
        record_type="experts.expert",
        schema_version=1,
        model=Expert,
        snapshot=expert_snapshot,
        audience=_up_to_city,
        on_receive=_adopted_follow,
        # A declaration saved re-evaluates its person (a withdrawn one: conflict_withdraw publishes).
        derived_from=(
            DerivedFrom(
                model=ConflictDeclaration, records=lambda declaration: Expert.objects.filter(pk=declaration.expert_id)
            ),
        ),
    )
)
