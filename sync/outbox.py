"""Owner side: domain services call record_changed / record_deleted inside their transaction.

Each call asks the sharing policy for every destination in the record's audience, compares each
destination's projection with the copy it holds (SharedCopy), and for every destination whose copy
changed increments the record's version (only the owner does), stores the new copy and writes one
outbox row, plus a tombstone for every destination that held the record and may no longer
(withdrawal). Nothing changed for anybody: nothing is written. A NOTIFY wakes the relay when the
transaction commits. Records derived from this one (SharedRecordType.derived_from) are re-evaluated
by sync.derived whenever their parent is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models import Subquery
from django.db.models.expressions import Combinable
from django.utils import timezone

from sync import policy
from sync.envelope import MAX_MESSAGE_BYTES, Envelope, canonical_json, digest, envelope_new_id, envelope_seal
from sync.keys import public_keys
from sync.models import OutboxMessage, SharedCopy
from sync.orgs import current_organization, org_ref_of, org_refs, schema_name
from sync.registry import SharedRecordType, derived_records, held_with_model, record_type_for, record_type_get

if TYPE_CHECKING:
    from shared.orgs.models import Organization

# What one destination is sent: (classification, tombstone, body).
Copy = tuple[int, bool, dict[str, Any] | None]

NOTIFY_CHANNEL = "xuncha_sync_outbox"
# Room for the envelope around a body (addressing, signature, sealing and base64 overhead).
MAX_BODY_BYTES = (MAX_MESSAGE_BYTES * 3) // 4 - 4096


def message_sent_at(message_id: Combinable | str) -> Subquery:
    """When the relay sent the outbox message `message_id` (None while queued), as a subquery a domain
    query annotates its rows with, e.g. `message_sent_at(OuterRef("message_id"))`."""
    return Subquery(OutboxMessage.objects.filter(message_id=message_id).values("sent_at")[:1])


class RecordTooLarge(ValueError):
    pass


def _version_bump(*, record_type: str, record_key: str, deleted: bool) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO sync_sharedrecord (record_type, record_key, version, deleted, updated_at)
               VALUES (%s, %s, 1, %s, now())
               ON CONFLICT (record_type, record_key)
               DO UPDATE SET version = sync_sharedrecord.version + 1, deleted = EXCLUDED.deleted, updated_at = now()
               RETURNING version""",
            [record_type, record_key, deleted],
        )
        return int(cursor.fetchone()[0])


def _notify() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, schema_name()])


def _write(*, spec: SharedRecordType, record_key: str, version: int, copies: dict[str, Copy]) -> list[OutboxMessage]:
    """Store each destination's copy and queue its message; copies: dest -> (classification, tombstone, body)."""
    now = timezone.now()
    rows, messages = [], []
    for destination, (classification, tombstone, body) in sorted(copies.items()):
        rows.append(
            SharedCopy(
                record_type=spec.record_type,
                record_key=record_key,
                destination=destination,
                version=version,
                schema_version=spec.schema_version,
                classification=classification,
                tombstone=tombstone,
                body=body,
                digest=digest(version=version, tombstone=tombstone, body=body),
                updated_at=now,
            )
        )
        messages.append(
            OutboxMessage(
                record_type=spec.record_type,
                schema_version=spec.schema_version,
                record_key=record_key,
                destination=destination,
                version=version,
                classification=classification,
                tombstone=tombstone,
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
        )
    if rows:
        SharedCopy.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["record_type", "record_key", "destination"],
            update_fields=["version", "schema_version", "classification", "tombstone", "body", "digest", "updated_at"],
        )
        OutboxMessage.objects.bulk_create(messages)
        _notify()
    return messages


def _held_by(*, record_type: str, record_key: str) -> set[str]:
    return set(
        SharedCopy.objects.select_for_update()
        .filter(record_type=record_type, record_key=record_key, tombstone=False)
        .values_list("destination", flat=True)
    )


def record_snapshot(*, spec: SharedRecordType, instance: models.Model) -> dict[str, Any]:
    """The record's snapshot, classified at least as high as every parent it derives from (a
    rectification item of a round raised to 机密 is 机密 too)."""
    snapshot = spec.snapshot(instance)
    levels = [int(snapshot.get("classification", policy.INTERNAL))]
    for derivation in spec.derived_from:
        parent = derivation.parent(instance) if derivation.parent is not None else None
        level = getattr(parent, "classification", None)
        if level is not None:
            levels.append(int(level))
    if max(levels) != levels[0]:
        snapshot = {**snapshot, "classification": max(levels)}
    return snapshot


@transaction.atomic
def record_changed(*, instance: models.Model, owner: Organization | None = None) -> list[OutboxMessage]:
    """Share the new state of `instance` (a registered model) with everyone the policy allows;
    withdraw it from destinations that held it and no longer may. Call inside the domain
    transaction; returns the outbox rows written."""
    spec = record_type_for(instance)
    owner = owner or current_organization()
    record_key = spec.key(instance)
    followers = held_with_model(type(instance))
    messages, before, after = _state_publish(
        spec=spec,
        owner=owner,
        record_key=record_key,
        snapshot=record_snapshot(spec=spec, instance=instance),
        audience=set(spec.audience(instance, owner)),
    )
    if followers and after != before:
        messages += _followers_reevaluate(instance=instance, owner=owner, followers=followers)
    return messages


def _followers_reevaluate(
    *, instance: models.Model, owner: Organization, followers: list[tuple[SharedRecordType, Any]]
) -> list[OutboxMessage]:
    """The records held with `instance` (SharedRecordType.held_with), after its holders changed."""
    messages: list[OutboxMessage] = []
    for _spec, follow in followers:
        for record in follow.records(instance):
            messages += record_changed(instance=record, owner=owner)
    return messages


def dependents_reevaluate(
    *, instance: models.Model, owner: Organization | None = None, seen: set[tuple[str, str]] | None = None
) -> list[OutboxMessage]:
    """Re-evaluate every shared record derived from `instance` (SharedRecordType.derived_from), and
    what derives from those in turn: each is published where its projection changed and withdrawn
    from destinations that lost the right. Call inside the transaction that changed `instance`."""
    messages: list[OutboxMessage] = []
    for _spec, record in derived_records(instance, seen):
        owner = owner or current_organization()
        messages += record_changed(instance=record, owner=owner)
    return messages


@transaction.atomic
def record_deleted(
    *,
    instance: models.Model | None = None,
    record_type: str | None = None,
    record_key: str | None = None,
    owner: Organization | None = None,
) -> list[OutboxMessage]:
    """Send a tombstone to every destination holding the record (call before or after the
    domain delete, in the same transaction)."""
    if instance is not None:
        spec = record_type_for(instance)
        record_key = spec.key(instance)
    else:
        found = record_type_get(record_type or "")
        if found is None or not record_key:
            raise LookupError("record_deleted needs an instance or a registered record_type and record_key")
        spec = found
    owner = owner or current_organization()
    held = _held_by(record_type=spec.record_type, record_key=record_key)
    if not held:
        return []
    version = _version_bump(record_type=spec.record_type, record_key=record_key, deleted=True)
    messages = _write(
        spec=spec,
        record_key=record_key,
        version=version,
        copies={destination: (policy.INTERNAL, True, None) for destination in held},
    )
    if instance is not None and (followers := held_with_model(type(instance))):
        # what is held with it (its files) goes where it is now held: nowhere
        messages += _followers_reevaluate(instance=instance, owner=owner, followers=followers)
    return messages


def record_state_publish(
    *, spec: SharedRecordType, owner: Organization, record_key: str, snapshot: dict[str, Any], audience: set[str]
) -> list[OutboxMessage]:
    return _state_publish(spec=spec, owner=owner, record_key=record_key, snapshot=snapshot, audience=audience)[0]


def _state_publish(
    *, spec: SharedRecordType, owner: Organization, record_key: str, snapshot: dict[str, Any], audience: set[str]
) -> tuple[list[OutboxMessage], dict[str, int], dict[str, int]]:
    """record_state_publish, and the record's holders ({destination: classification}, as
    sync.replicas.record_holders reads them) before and after: taken from the copies it locks and
    writes, so what is held with the record follows it without reading the copies twice more."""
    source = org_ref_of(owner)
    existing = {
        copy.destination: copy
        for copy in SharedCopy.objects.select_for_update().filter(record_type=spec.record_type, record_key=record_key)
    }
    held = {code for code, copy in existing.items() if not copy.tombstone}
    before = {code: existing[code].classification for code in held}
    classification = int(snapshot.get("classification", policy.INTERNAL))
    copies: dict[str, Copy] = {}
    for code, destination in org_refs(audience - {owner.code}).items():
        decision = policy.decide(record_type=spec.record_type, record=snapshot, source=source, destination=destination)
        if decision.allowed:
            body = policy.project(snapshot, decision)
            if len(canonical_json(body)) > MAX_BODY_BYTES:
                raise RecordTooLarge(f"{spec.record_type} {record_key} is too large to share")
            copies[code] = (classification, False, body)
    for code in held - set(copies):  # withdrawal: explicit tombstones, never silent staleness
        copies[code] = (policy.INTERNAL, True, None)
    changed = {code: copy for code, copy in copies.items() if not _holds(existing.get(code), spec, copy)}
    if not changed:  # every destination already holds exactly this: nothing to send
        return [], before, before
    version = _version_bump(record_type=spec.record_type, record_key=record_key, deleted=False)
    after = {code: level for code, level in before.items() if code not in changed}
    after.update({code: level for code, (level, tombstone, _body) in changed.items() if not tombstone})
    return _write(spec=spec, record_key=record_key, version=version, copies=changed), before, after


def _holds(stored: SharedCopy | None, spec: SharedRecordType, copy: Copy) -> bool:
    """Does the destination's stored copy already say exactly this (same level, state and body)?"""
    classification, tombstone, body = copy
    return (
        stored is not None
        and stored.tombstone == tombstone
        and stored.classification == classification
        and stored.schema_version == spec.schema_version
        and stored.body == body
    )


class SealedSendRefused(ValueError):
    """The policy refuses the sealed record for that destination (the reason is safe text)."""


def record_sealed_send(
    *,
    spec: SharedRecordType,
    owner: Organization,
    destination: Organization,
    record_key: str,
    snapshot: dict[str, Any],
    message_id: str | None = None,
) -> OutboxMessage:
    """Queue a record that must never exist in clear in the owner's schema: project it for the one
    destination, seal it to the destination's key *now*, and write only the ciphertext (`sealed`)
    with the addressing. No SharedRecord, no SharedCopy, no clear body: nothing to read back, nothing
    to re-send or withdraw (a one-shot message, version 1). Raises SealedSendRefused when the policy
    says no, sync.keys.KeyUnavailable when the destination has no sealing key. Call inside the
    domain transaction (the outbox row commits with the domain's receipt)."""

    source, target = org_ref_of(owner), org_ref_of(destination)
    decision = policy.decide(record_type=spec.record_type, record=snapshot, source=source, destination=target)
    if not decision.allowed:
        raise SealedSendRefused(decision.reason)
    body = policy.project(snapshot, decision)
    if len(canonical_json(body)) > MAX_BODY_BYTES:
        raise RecordTooLarge(f"{spec.record_type} {record_key} is too large to share")
    classification = int(snapshot["classification"])
    envelope = Envelope(
        message_id=message_id or envelope_new_id(),
        record_type=spec.record_type,
        schema_version=spec.schema_version,
        source=owner.code,
        destination=destination.code,
        record_key=record_key,
        version=1,
        classification=classification,
        tombstone=False,
        body=body,
    )
    sealed = envelope_seal(envelope=envelope, recipient=public_keys(destination.code).sealing)
    message = OutboxMessage.objects.create(
        message_id=envelope.message_id,
        record_type=spec.record_type,
        schema_version=spec.schema_version,
        record_key=record_key,
        destination=destination.code,
        version=1,
        classification=classification,
        tombstone=False,
        body=None,
        sealed=sealed,
    )
    _notify()
    return message


@transaction.atomic
def copies_resend(*, destination: str, keys: list[tuple[str, str]]) -> int:
    """Anti-entropy: queue again the current copy of (record_type, record_key) for a destination,
    at its current version (receivers ignore it if they already hold it)."""
    copies = SharedCopy.objects.filter(destination=destination)
    wanted = set(keys)
    messages = [
        OutboxMessage(
            record_type=copy.record_type,
            schema_version=copy.schema_version,
            record_key=copy.record_key,
            destination=destination,
            version=copy.version,
            classification=copy.classification,
            tombstone=copy.tombstone,
            body=copy.body,
        )
        for copy in copies.filter(record_type__in={t for t, _ in wanted})
        if (copy.record_type, copy.record_key) in wanted
    ]
    if messages:
        OutboxMessage.objects.bulk_create(messages)
        _notify()
    return len(messages)


@transaction.atomic
def copies_republish(*, record_type: str, record_key: str, above: int = 0) -> int:
    """Anti-entropy repair when a replica is ahead of or diverged from the owner (e.g. the
    owner's schema was restored from a backup): re-send every destination's stored copy under a
    fresh version above both the owner's and `above`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO sync_sharedrecord (record_type, record_key, version, deleted, updated_at)
               VALUES (%s, %s, %s, false, now())
               ON CONFLICT (record_type, record_key)
               DO UPDATE SET version = GREATEST(sync_sharedrecord.version, %s) + 1, updated_at = now()
               RETURNING version""",
            [record_type, record_key, above + 1, above],
        )
        version = cursor.fetchone()[0]
    copies = list(SharedCopy.objects.select_for_update().filter(record_type=record_type, record_key=record_key))
    spec = record_type_get(record_type)
    if spec is None:
        return 0
    return len(
        _write(
            spec=spec,
            record_key=record_key,
            version=version,
            copies={copy.destination: (copy.classification, copy.tombstone, copy.body) for copy in copies},
        )
    )


@transaction.atomic
def orphan_withdraw(*, record_type: str, record_key: str, destination: str, above: int) -> int:
    """Anti-entropy repair: a destination holds a replica the owner has no copy for: tombstone it."""
    spec = record_type_get(record_type)
    if spec is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO sync_sharedrecord (record_type, record_key, version, deleted, updated_at)
               VALUES (%s, %s, %s, true, now())
               ON CONFLICT (record_type, record_key)
               DO UPDATE SET version = GREATEST(sync_sharedrecord.version, %s) + 1, updated_at = now()
               RETURNING version""",
            [record_type, record_key, above + 1, above],
        )
        version = cursor.fetchone()[0]
    return len(
        _write(spec=spec, record_key=record_key, version=version, copies={destination: (policy.INTERNAL, True, None)})
    )
