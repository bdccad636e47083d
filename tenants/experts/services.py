"""The expert pool and avoidance (回避) checks."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from shared.orgs.models import Organization
from sync.outbox import record_changed
from tenants.experts.models import ConflictDeclaration, ConflictKind, Expert
from tenants.experts.signals import expert_user_changed


@dataclass(frozen=True)
class AvoidanceConflict:
    rule: str  # a ConflictKind value
    message: str


def _rule_name(rule: str) -> str:
    return str(ConflictKind(rule).label)


def _own_region_code() -> str | None:
    return Organization.objects.filter(schema_name=connection.schema_name).values_list("code", flat=True).first()


def avoidance_conflicts(*, expert: Expert, target) -> list[AvoidanceConflict]:
    """Every avoidance rule that keeps `expert` off `target`: declared conflicts, plus post
    (the expert's current unit is the target) and region (home region is the target's region, unless
    that region is the organisation's own, e.g. a county department inspected by the county office)."""
    conflicts: list[AvoidanceConflict] = []
    declared = {c.kind: c for c in ConflictDeclaration.objects.filter(expert=expert, target=target)}
    params = {"expert": expert.name, "target": target.name}
    if ConflictKind.POST in declared or (expert.unit.strip() and expert.unit.strip() == target.name.strip()):
        conflicts.append(
            AvoidanceConflict(
                ConflictKind.POST,
                _("%(expert)s may not inspect %(target)s: post avoidance (任职回避), they work in or over that unit.")
                % params,
            )
        )
    # Everybody in a county office comes from the county: the organisation's own code is no conflict.
    own_code = _own_region_code()
    if ConflictKind.REGION in declared or (
        expert.home_region_code
        and target.region_code
        and expert.home_region_code == target.region_code
        and target.region_code != own_code
    ):
        conflicts.append(
            AvoidanceConflict(
                ConflictKind.REGION,
                _("%(expert)s may not inspect %(target)s: regional avoidance (地域回避), it is their home region.")
                % params,
            )
        )
    if ConflictKind.OFFICIAL_MATTER in declared:
        conflicts.append(
            AvoidanceConflict(
                ConflictKind.OFFICIAL_MATTER,
                _("%(expert)s may not inspect %(target)s: official-matter avoidance (公务回避), a declared relation.")
                % params,
            )
        )
    return conflicts


def avoidance_check(*, expert: Expert, targets) -> None:
    """Raise ValidationError naming the first rule broken (code avoidance_<rule>)."""
    for target in targets:
        conflicts = avoidance_conflicts(expert=expert, target=target)
        if conflicts:
            raise ValidationError(conflicts[0].message, code=f"avoidance_{conflicts[0].rule}")


EXPERT_FIELDS = ("name", "home_region_code", "post", "unit", "specialty", "user", "is_active", "note")


@transaction.atomic
def expert_create(*, name: str, **fields) -> Expert:
    unknown = set(fields) - set(EXPERT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    expert = Expert(name=name, **fields)
    expert.full_clean()
    expert.save()
    record_changed(instance=expert)  # a county's pool reaches its city (sync policy `experts.expert`)
    return expert


@transaction.atomic
def expert_update(*, expert: Expert, actor=None, **fields) -> Expert:
    unknown = set(fields) - set(EXPERT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    user_before = expert.user_id
    for name, value in fields.items():
        setattr(expert, name, value)
    expert.full_clean()
    expert.save()
    record_changed(instance=expert)  # the city's copy follows; a deactivated person is withdrawn from it
    if expert.user_id != user_before:
        expert_user_changed.send(sender=Expert, expert=expert, actor=actor)
    return expert


@transaction.atomic
def conflict_declare(*, expert: Expert, target, kind: str, note: str = "") -> ConflictDeclaration:
    if kind not in ConflictKind.values:
        raise ValidationError(_("Unknown conflict kind."), code="invalid")
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        expert=expert, target=target, kind=kind, defaults={"note": note}
    )
    record_changed(instance=expert)  # the declared relations travel with the person (avoidance at the city)
    return declaration


@transaction.atomic
def conflict_withdraw(*, declaration: ConflictDeclaration) -> None:
    expert = declaration.expert
    declaration.delete()
    record_changed(instance=expert)
