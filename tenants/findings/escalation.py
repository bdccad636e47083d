"""Clues about a county's own leadership: escalated to the city, never stored in the county.

A county office cannot be trusted to keep, in its own schema, a clue on the county's own leading
cadres (县委、县政府、县人大、县政协 leadership, cadres the city manages): the people concerned run it.
So such a clue, found in any round of the county, goes up to the parent city instead of being stored:

- `LeadershipMember` is the county's register of its own leadership (office-editable). A clue is
  escalated when the user says so on the form ("concerns this organisation's own leadership") or
  when a person concerned carries a name on the register (the server infers it; on a name match it
  escalates rather than risk storing: over-escalation is the safe error).
- `clue_escalate` validates everything first, then projects the clue for the city, seals it to the
  city's X25519 key (sync.outbox.record_sealed_send) and writes only the ciphertext to the outbox,
  plus a content-free `ClueEscalation` receipt (reference, date, who, where to). No table of the
  county, no audit row, log line or error message ever holds the clue's text or persons.
- The city's consumer unseals it and `escalation_receive` creates a city-owned 机密 `Clue` with its
  persons, marked with its origin (county, reference); the city's sync_replica keeps no body
  (keep_body=False). The city answers with a content-free `clues.escalation_receipt` (reference and
  time) so the county's receipt shows "received".
- Destination: the city office (its clue ledger), not a desk of the city's 纪委监委 directly: the city
  hands clues to 纪委监委 by its own transfer (移交) with the three-party signed hand-over, and an
  escalated clue takes that same path (tenants.transfers).
A city keeps its own clues (including clues about a county's leaders found in its elevated or
cross-county rounds): `clues.clue` never leaves the owner.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification, User
from sync.envelope import envelope_new_id
from sync.keys import KeyUnavailable
from sync.orgs import current_organization
from sync.outbox import RecordTooLarge, SealedSendRefused, message_sent_at, record_sealed_send, record_state_publish
from sync.registry import SharedRecordType, record_type_get, register
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.findings.models import Clue, ClueEscalation, CluePerson, LeadershipBody, LeadershipMember
from tenants.kernel.access import is_office, require_office
from tenants.kernel.inputs import required_text
from tenants.office.models import FindingCategory
from tenants.rounds.access import target_in_round

ESCALATION = "clues.escalation"
ESCALATION_RECEIPT = "clues.escalation_receipt"
MAX_PERSONS = 50


def may_escalate(access) -> bool:
    """Only the office, cleared for 机密, records (and so escalates) a clue about its own leadership."""
    return is_office(access) and access.cleared_for(Classification.CONFIDENTIAL)


def escalation_destination(organization):
    """The city a county escalates to; None for anything but a county under a city."""
    parent = organization.parent if organization.parent_id else None
    if organization.kind != "county" or parent is None or parent.kind != "city":
        return None
    return parent


def _normalised(name) -> str:
    return "".join(str(name or "").split())


def leadership_matches(*, persons) -> bool:
    """Does any person concerned carry the name of an active member of this office's own leadership?"""
    names = {_normalised(person.get("name")) for person in persons if isinstance(person, dict)} - {""}
    if not names:
        return False
    return any(
        _normalised(name) in names
        for name in LeadershipMember.objects.filter(is_active=True).values_list("name", flat=True)
    )


# --- the register -------------------------------------------------------------------------


@transaction.atomic
def leadership_member_add(*, actor, access, name: str, post: str, body: str) -> LeadershipMember:
    require_office(access)
    if body not in LeadershipBody.values:
        raise ValidationError({"body": _("Choose the leadership body.")})
    name = required_text("name", name, _("The name"))
    post = required_text("post", post, _("The post"))
    if len(name) > 100 or len(post) > 200:
        raise ValidationError({"name": _("The name or the post is too long.")})
    return LeadershipMember.objects.create(name=name, post=post, body=body, added_by=actor)


@transaction.atomic
def leadership_member_deactivate(*, actor, access, member: LeadershipMember) -> LeadershipMember:
    require_office(access)
    member.is_active = False
    member.save(update_fields=["is_active"])
    return member


# --- escalation (the county's side) ---------------------------------------------------------


def _clean_persons(persons) -> list[dict]:
    cleaned = []
    for person in persons:
        if not isinstance(person, dict):
            raise ValidationError({"persons": _("Every person concerned needs a name.")})
        name = str(person.get("name") or "").strip()
        position = str(person.get("position") or "").strip()
        if not name:
            raise ValidationError({"persons": _("Every person concerned needs a name.")})
        if len(name) > 100 or len(position) > 200:
            raise ValidationError({"persons": _("A name or a position of a person concerned is too long.")})
        cleaned.append({"name": name, "position": position})
    if not cleaned:
        raise ValidationError({"persons": _("A clue about the office's own leadership names the persons concerned.")})
    if len(cleaned) > MAX_PERSONS:
        raise ValidationError({"persons": _("Too many persons concerned in one clue.")})
    return cleaned


def _reference(*, county, message_id: str) -> str:
    return f"SB-{county.code}-{timezone.localdate():%Y%m%d}-{message_id[:8].upper()}"


@transaction.atomic
def clue_escalate(
    *, actor, access, round, target, summary: str, persons=(), category=None, organization=None
) -> ClueEscalation:
    """Seal the clue to the parent city and queue it; keep only a content-free receipt here.
    All checks come first: on any error nothing at all is written."""
    if not may_escalate(access):
        raise ValidationError(
            _(
                "This clue concerns the office's own leadership: only office staff cleared "
                "for 机密 may record it, and it goes to the city instead of being kept here."
            )
        )
    county = organization or current_organization()
    city = escalation_destination(county)
    if city is None:
        raise ValidationError(_("Only a county office escalates a clue about its own leadership to its city."))
    if round is None or target is None or not target_in_round(round=round, target=target):
        raise ValidationError({"target": _("This unit is not a target of the round.")})
    summary = required_text("summary", summary, _("The summary"))
    persons = _clean_persons(list(persons))
    message_id = envelope_new_id()
    reference = _reference(county=county, message_id=message_id)
    now = timezone.now()
    snapshot = {
        "reference": reference,
        "escalated_at": now.isoformat(),
        "escalated_by_id": actor.pk,
        "escalated_by_name": getattr(actor, "display_name", "") or actor.get_username(),
        "source_org_name": county.name,
        "round_name": round.name,
        "round_kind": getattr(round, "kind", ""),
        "target_name": target.name,
        "category_code": category.code if category is not None else "",
        "category_name": category.name if category is not None else "",
        "summary": summary,
        "persons": persons,
        "classification": Classification.CONFIDENTIAL,
    }
    try:
        record_sealed_send(
            spec=record_type_get(ESCALATION),
            owner=county,
            destination=city,
            record_key=reference,
            snapshot=snapshot,
            message_id=message_id,
        )
    except KeyUnavailable:
        raise ValidationError(
            _("The city's bus key is missing: nothing was recorded. Ask the administrator.")
        ) from None
    except RecordTooLarge:
        raise ValidationError({"summary": _("The clue is too long to send; shorten the summary.")}) from None
    except SealedSendRefused:
        raise ValidationError(
            _("Only a county office escalates a clue about its own leadership to its city.")
        ) from None
    receipt = ClueEscalation.objects.create(
        reference=reference,
        message_id=message_id,
        destination_code=city.code,
        destination_name=city.name,
        escalated_by=actor,
        escalated_at=now,
    )
    # The tamper-evident trace of who sent what where (addressing only, like every audit row).
    audit_event_record(
        action=AuditAction.ESCALATE,
        record_type="findings.clue_escalation",
        record_key=reference,
        classification=Classification.CONFIDENTIAL,
        actor=actor,
        detail={"destination": city.code, "message_id": message_id},
    )
    return receipt


def escalation_list(*, access):
    """The county's receipts (content-free) for its office; with delivery status."""
    if not is_office(access):
        return ClueEscalation.objects.none()
    return ClueEscalation.objects.select_related("escalated_by").annotate(
        sent_at=message_sent_at(OuterRef("message_id"))
    )


# --- the city's side ------------------------------------------------------------------------


def _text(body: dict, name: str, limit: int, *, required: bool = True) -> str:
    value = body.get(name)
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise ValidationError("malformed escalation")  # dead-lettered as `refused`; never shown to users
    return value.strip()


def escalation_receive(*, replica, previous_body) -> None:
    """City: turn an unsealed escalation into a city-owned 机密 clue with its persons, and tell the
    county it arrived (content-free). Any doubt refuses the message (dead letter, nothing written)."""
    body = replica.body
    if replica.tombstone or previous_body is not None or not isinstance(body, dict):
        raise ValidationError("an escalation arrives once, with a body")
    reference = _text(body, "reference", 40)
    if reference != replica.record_key or not reference.startswith(f"SB-{replica.source}-"):
        raise ValidationError("the reference does not match the message")
    if replica.version != 1 or Clue.objects.filter(origin_org_code=replica.source, origin_reference=reference).exists():
        raise ValidationError("an escalation arrives once")
    persons = body.get("persons")
    if not isinstance(persons, list):
        raise ValidationError("malformed escalation")
    persons = _clean_persons(persons)
    escalated_at = parse_datetime(_text(body, "escalated_at", 40))
    author = (
        User.objects.filter(pk=body.get("escalated_by_id")).first()
        if isinstance(body.get("escalated_by_id"), int)
        else None
    )
    if escalated_at is None or author is None:
        raise ValidationError("malformed escalation")
    code = _text(body, "category_code", 64, required=False)
    clue = Clue.objects.create(
        round=None,
        target=None,
        category=FindingCategory.objects.filter(code=code).first() if code else None,
        summary=_text(body, "summary", 20000),
        classification=Classification.CONFIDENTIAL,
        created_by=author,
        origin_org_code=replica.source,
        origin_org_name=_text(body, "source_org_name", 200),
        origin_reference=reference,
        origin_round_name=_text(body, "round_name", 200, required=False),
        origin_target_name=_text(body, "target_name", 200, required=False),
        origin_escalated_at=escalated_at,
    )
    CluePerson.objects.bulk_create([CluePerson(clue=clue, **person) for person in persons])
    _acknowledge(reference=reference, county_code=replica.source)


def _acknowledge(*, reference: str, county_code: str) -> None:
    record_state_publish(
        spec=record_type_get(ESCALATION_RECEIPT),
        owner=current_organization(),
        record_key=reference,
        audience={county_code},
        snapshot={
            "reference": reference,
            "received_at": timezone.now().isoformat(),
            "classification": Classification.INTERNAL,
        },
    )


def escalation_receipt_receive(*, replica, previous_body) -> None:
    """County: the city confirms it received the escalation (no content either way)."""
    if replica.tombstone or not isinstance(replica.body, dict):
        return
    received_at = parse_datetime(str(replica.body.get("received_at") or "")) or timezone.now()
    updated = ClueEscalation.objects.filter(reference=replica.record_key, destination_code=replica.source).update(
        received_at=received_at
    )
    if not updated:
        raise ValidationError("no such escalation here")


def _register() -> None:
    register(
        SharedRecordType(
            record_type=ESCALATION,
            schema_version=1,
            model=None,
            snapshot=lambda instance: {},
            audience=lambda instance, owner: set(),
            on_receive=escalation_receive,
            keep_body=False,
        )
    )
    register(
        SharedRecordType(
            record_type=ESCALATION_RECEIPT,
            schema_version=1,
            model=None,
            snapshot=lambda instance: {},
            audience=lambda instance, owner: set(),
            on_receive=escalation_receipt_receive,
        )
    )
