"""The city's working copies of its counties' units and people, taken from their replicas.

A round's team and targets are rows of the city's own schema (Team → Expert, TeamTarget → Target). When
the city office picks a county's unit or pool member from the replica for a round, `unit_adopt` /
`person_adopt` make (or refresh) the city's copy and remember where it came from (RegistryAdoption); the
relations the county's people declared become the city's conflict declarations, so the avoidance checks
of the rounds service (回避) use the county's own declarations. Each newer replica refreshes the copy
(`adopted_follow`, the replica's on_receive); a withdrawn one deactivates it.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared.accounts.models import User
from sync.replicas import ReplicaView, replica_get
from tenants.crossorg.models import RegistryAdoption
from tenants.experts.models import ConflictDeclaration, Expert
from tenants.experts.services import expert_create, expert_update
from tenants.targets.models import Target
from tenants.targets.services import LeaderSpec, target_create, target_update

log = logging.getLogger(__name__)

UNIT, PERSON = "targets.target", "experts.expert"


def _live(replica: ReplicaView, record_type: str) -> dict:
    if replica.record_type != record_type or replica.tombstone or not replica.body:
        raise ValidationError(_("This record has been withdrawn by its county."), code="withdrawn")
    return replica.body


def _unit_fields(body: dict) -> dict:
    return {
        "name": body.get("name", ""),
        "level": body.get("level", ""),
        "category": body.get("category", ""),
        "managing_org_code": body.get("managing_org_code", ""),
        "region_code": body.get("region_code", ""),
        "business_tags": list(body.get("business_tags") or []),
        "is_active": True,
    }


def _leaders(body: dict) -> list[LeaderSpec]:
    return [
        LeaderSpec(name=leader["name"], post=leader["post"], is_principal=bool(leader.get("is_principal")))
        for leader in body.get("leaders") or []
    ]


def _person_fields(body: dict) -> dict:

    return {
        "name": body.get("name", ""),
        "unit": body.get("unit", ""),
        "post": body.get("post", ""),
        "home_region_code": body.get("home_region_code", ""),
        "specialty": body.get("specialty", "other"),
        "user": User.objects.filter(pk=body.get("user_id"), is_active=True).first() if body.get("user_id") else None,
        "is_active": True,
    }


def _link(replica: ReplicaView):
    return RegistryAdoption.objects.filter(
        record_type=replica.record_type, source=replica.source, record_key=replica.record_key
    ).first()


@transaction.atomic
def unit_adopt(*, replica: ReplicaView) -> Target:
    """The city's copy of a county's unit (made or refreshed from the replica)."""
    body = _live(replica, UNIT)
    fields = _unit_fields(body)
    link = _link(replica)
    if link is not None:
        target = target_update(target=link.target, leaders=_leaders(body), **fields)
    else:
        target = Target.objects.filter(name=fields["name"]).first()
        if target is not None and (
            target.managing_org_code != fields["managing_org_code"] or hasattr(target, "adoption")
        ):
            raise ValidationError(
                _("The city already has another unit named %(name)s.") % {"name": fields["name"]}, code="name_taken"
            )
        if target is None:
            name = fields.pop("name")
            target = target_create(name=name, leaders=_leaders(body), **fields)
        else:  # the city's own earlier copy of the same unit: from now on it follows the county
            target = target_update(target=target, leaders=_leaders(body), **fields)
        RegistryAdoption.objects.create(
            record_type=UNIT, source=replica.source, record_key=replica.record_key, target=target
        )
    _declarations_derive()
    return target


@transaction.atomic
def person_adopt(*, replica: ReplicaView, actor=None) -> Expert:
    """The city's copy of a county's pool member (made or refreshed from the replica), with the relations
    the county declared for them as the city's conflict declarations."""
    body = _live(replica, PERSON)
    fields = _person_fields(body)
    link = _link(replica)
    if link is not None:
        expert = expert_update(expert=link.expert, actor=actor, **fields)
    else:
        expert = Expert.objects.filter(user=fields["user"]).first() if fields["user"] else None
        if expert is not None and hasattr(expert, "adoption"):
            raise ValidationError(
                _("%(name)s's platform account is already in the city's pool.") % {"name": fields["name"]},
                code="user_taken",
            )
        if expert is None:
            name = fields.pop("name")
            expert = expert_create(name=name, **fields)
        else:  # the city's own entry for the same sign-in: from now on it follows the county
            expert = expert_update(expert=expert, actor=actor, **fields)
        RegistryAdoption.objects.create(
            record_type=PERSON, source=replica.source, record_key=replica.record_key, expert=expert
        )
    _declarations_derive()
    return expert


def _declarations_derive() -> None:
    """Every adopted person's declarations on adopted units are exactly what their county declared."""
    units = {
        (link.target.name, link.target.managing_org_code): link.target
        for link in RegistryAdoption.objects.filter(record_type=UNIT).select_related("target")
    }
    adopted_unit_ids = {target.pk for target in units.values()}
    for link in RegistryAdoption.objects.filter(record_type=PERSON).select_related("expert"):
        replica = replica_get(record_type=PERSON, source=link.source, key=link.record_key)
        relations = (replica.body or {}).get("relations", []) if replica and not replica.tombstone else []
        wanted = {
            (units[(relation["unit"], relation["managing_org_code"])].pk, relation["kind"])
            for relation in relations
            if (relation.get("unit"), relation.get("managing_org_code")) in units
        }
        held = {
            (declaration.target_id, declaration.kind): declaration
            for declaration in ConflictDeclaration.objects.filter(expert=link.expert, target_id__in=adopted_unit_ids)
        }
        for key, declaration in held.items():
            if key not in wanted:
                declaration.delete()
        for target_id, kind in wanted - set(held):
            ConflictDeclaration.objects.create(
                expert=link.expert, target_id=target_id, kind=kind, note=_("Declared by the county")
            )


def adopted_follow(*, replica: ReplicaView) -> None:
    """on_receive at the city: an adopted unit or person follows its county's newer replica; withdrawn, it is
    deactivated (the rounds that used it keep their history, no new round can pick it)."""
    link = _link(replica)
    if link is None:
        return
    try:
        if replica.tombstone or not replica.body:
            if link.target is not None:
                target_update(target=link.target, is_active=False)
            else:
                expert_update(expert=link.expert, is_active=False)
            _declarations_derive()
        elif link.target is not None:
            unit_adopt(replica=replica)
        else:
            person_adopt(replica=replica)
    except ValidationError as error:  # the replica is stored; the city's copy stays as it was
        log.warning(
            "adopted %s %s/%s not refreshed: %s", replica.record_type, replica.source, replica.record_key, error
        )
