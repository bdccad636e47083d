"""Receiver side: verify, check policy, apply + record in the inbox in one transaction.

message_receive() is transport-independent: a consumer calls it with the raw bytes it got
from the receiver's queue, and acks only after it returns. It never raises for a bad message:
it returns a Verdict that is either applied / duplicate / stale, or dead (with a reason, the
message recorded in sync.DeadLetter and never applied). Errors of the database itself do raise,
so the message is not acked and comes back.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, DataError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context

from sync import policy
from sync.envelope import Envelope, EnvelopeError, canonical_json, digest_of_json, envelope_open, envelope_parse
from sync.keys import KeyUnavailable, private_keys, public_keys
from sync.models import DeadLetter, Replica
from sync.orgs import org_refs_cached, schema_name
from sync.registry import record_type_get
from sync.replicas import ReplicaView

if TYPE_CHECKING:
    from shared.orgs.models import Organization

logger = logging.getLogger("xuncha.sync")

APPLIED, DUPLICATE, STALE, DEAD = "applied", "duplicate", "stale", "dead"


@dataclass(frozen=True)
class Verdict:
    outcome: str
    reason: str = ""
    detail: str = ""
    message_id: str = ""


def _check(*, receiver_code: str, raw: bytes) -> Envelope:
    fields, header, signature = envelope_parse(raw)
    if header.destination != receiver_code:
        raise EnvelopeError(
            "misaddressed",
            gettext_noop("addressed to %(destination)s, arrived at %(receiver)s"),
            destination=header.destination[:6],
            receiver=receiver_code,
        )
    refs = org_refs_cached({header.source, receiver_code})
    if header.source not in refs:
        raise EnvelopeError("unknown-source", gettext_noop("the source is not a known organisation"))
    try:
        source_key = public_keys(header.source).signing
        recipient_key = private_keys(receiver_code).sealing
    except KeyUnavailable as error:
        raise EnvelopeError("unknown-source", gettext_noop("no bus keys for the source or the receiver")) from error
    envelope = envelope_open(
        fields=fields, header=header, signature=signature, source_key=source_key, recipient_key=recipient_key
    )
    if envelope.body is not None:
        level = envelope.body.get("classification", policy.INTERNAL)
        if type(level) is not int or level != header.classification:
            raise EnvelopeError("policy", gettext_noop("the header's classification differs from the body's"))
    if header.record_type in policy.SEALED_UP and (
        fields.get("sealed") is None or header.classification != policy.CONFIDENTIAL
    ):
        raise EnvelopeError("policy", gettext_noop("this record type travels only sealed and classified 机密"))
    spec = record_type_get(header.record_type)
    if spec is None:
        raise EnvelopeError("unknown-type", gettext_noop("this record type is not known here"))
    if not spec.min_schema_version <= header.schema_version <= spec.schema_version:
        raise EnvelopeError(
            "unknown-type",
            gettext_noop("schema version %(schema)s of this record type is not supported"),
            schema=header.schema_version,
        )
    decision = policy.may_receive(
        record_type=header.record_type, body=envelope.body, source=refs[header.source], destination=refs[receiver_code]
    )
    if not decision.allowed:
        raise EnvelopeError("policy", decision.reason)  # a gettext_noop msgid of sync.policy
    return envelope


def _replica_values(envelope: Envelope) -> list[Any]:
    """A replica row's values in the order of its columns record_type .. digest (the body kept only when
    the type keeps bodies)."""
    spec = record_type_get(envelope.record_type)
    body_json = canonical_json(envelope.body)  # the digest's and the stored body's text, encoded once
    return [
        envelope.record_type,
        envelope.source,
        envelope.record_key,
        envelope.version,
        envelope.schema_version,
        envelope.classification,
        envelope.tombstone,
        body_json.decode() if envelope.body is not None and (spec is None or spec.keep_body) else None,
        digest_of_json(version=envelope.version, tombstone=envelope.tombstone, body_json=body_json),
    ]


def _apply(envelope: Envelope) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO sync_inboxmessage
                   (message_id, record_type, source, record_key, version, outcome, received_at)
               VALUES (%s, %s, %s, %s, %s, %s, now()) ON CONFLICT (message_id) DO NOTHING RETURNING id""",
            [envelope.message_id, envelope.record_type, envelope.source, envelope.record_key, envelope.version, STALE],
        )
        if cursor.fetchone() is None:
            return DUPLICATE
        spec = record_type_get(envelope.record_type)
        previous = None
        if spec is not None and spec.on_receive is not None:
            previous = (
                Replica.objects.filter(
                    record_type=envelope.record_type, source=envelope.source, record_key=envelope.record_key
                )
                .values_list("body", flat=True)
                .first()
            )
        cursor.execute(
            """INSERT INTO sync_replica (record_type, source, record_key, version, schema_version, classification,
                                         tombstone, body, digest, message_id, received_at)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, clock_timestamp())
               ON CONFLICT (record_type, source, record_key) DO UPDATE SET
                 version = EXCLUDED.version, schema_version = EXCLUDED.schema_version,
                 classification = EXCLUDED.classification, tombstone = EXCLUDED.tombstone, body = EXCLUDED.body,
                 digest = EXCLUDED.digest, message_id = EXCLUDED.message_id, received_at = EXCLUDED.received_at
               WHERE sync_replica.version < EXCLUDED.version
               RETURNING id, received_at""",
            [*_replica_values(envelope), envelope.message_id],
        )
        row = cursor.fetchone()
        if row is None:
            return STALE
        cursor.execute(
            "UPDATE sync_inboxmessage SET outcome = %s WHERE message_id = %s", [APPLIED, envelope.message_id]
        )
    if spec is not None and spec.on_receive is not None:
        # The body as received (in memory only when the type does not keep bodies in sync_replica).
        replica = ReplicaView(
            id=row[0],
            record_type=envelope.record_type,
            source=envelope.source,
            record_key=envelope.record_key,
            version=envelope.version,
            classification=envelope.classification,
            received_at=row[1],
            body=envelope.body or {},
            tombstone=envelope.tombstone,
        )
        spec.on_receive(replica=replica, previous_body=previous)
    return APPLIED


# Messages of types without on_receive, applied together: the VALUES list is the batch; the inbox insert
# finds the duplicates (already seen, or twice in the batch), DISTINCT ON keeps the newest version of each
# record in the batch, and the upsert's WHERE keeps a replica from going back. One round trip, plus one
# UPDATE of the applied messages' outcome (a statement cannot update rows a sibling statement inserted).
_APPLY_MANY = """
WITH incoming (position, message_id, record_type, source, record_key, version, schema_version, classification,
               tombstone, body, digest) AS (VALUES {rows}),
inserted AS (
    INSERT INTO sync_inboxmessage (message_id, record_type, source, record_key, version, outcome, received_at)
    SELECT DISTINCT ON (message_id) message_id::uuid, record_type, source, record_key, version::bigint, %s, now()
    FROM incoming ORDER BY message_id, position
    ON CONFLICT (message_id) DO NOTHING RETURNING message_id
),
newest AS (
    SELECT DISTINCT ON (record_type, source, record_key) incoming.*
    FROM incoming JOIN inserted ON inserted.message_id = incoming.message_id::uuid
    ORDER BY record_type, source, record_key, version::bigint DESC, position
),
upserted AS (
    INSERT INTO sync_replica (record_type, source, record_key, version, schema_version, classification,
                              tombstone, body, digest, message_id, received_at)
    SELECT record_type, source, record_key, version::bigint, schema_version::integer, classification::smallint,
           tombstone::boolean, body::jsonb, digest, message_id::uuid, clock_timestamp()
    FROM newest
    ON CONFLICT (record_type, source, record_key) DO UPDATE SET
      version = EXCLUDED.version, schema_version = EXCLUDED.schema_version,
      classification = EXCLUDED.classification, tombstone = EXCLUDED.tombstone, body = EXCLUDED.body,
      digest = EXCLUDED.digest, message_id = EXCLUDED.message_id, received_at = EXCLUDED.received_at
    WHERE sync_replica.version < EXCLUDED.version
    RETURNING message_id
)
SELECT inserted.message_id::text, upserted.message_id IS NOT NULL
FROM inserted LEFT JOIN upserted ON upserted.message_id = inserted.message_id
"""


def _apply_many(envelopes: Sequence[Envelope]) -> list[str]:
    """The outcomes of messages whose types keep no domain rules on arrival (no on_receive), applied with
    multi-row statements instead of three per message. Same rules as _apply: a message id seen before is a
    duplicate; a replica only moves to a newer version (of two versions of one record in the batch the
    newer is applied, the older is stale, as if they had come one after the other)."""
    if not envelopes:
        return []
    params: list[Any] = []
    for position, envelope in enumerate(envelopes):
        params += [position, envelope.message_id, *_replica_values(envelope)]
    row = "(" + ", ".join(["%s"] * 11) + ")"
    with connection.cursor() as cursor:
        cursor.execute(_APPLY_MANY.format(rows=", ".join([row] * len(envelopes))), [*params, STALE])
        first_seen = {str(message_id): applied for message_id, applied in cursor.fetchall()}
        applied = [message_id for message_id, was_applied in first_seen.items() if was_applied]
        if applied:
            cursor.execute(
                "UPDATE sync_inboxmessage SET outcome = %s WHERE message_id = ANY(%s::uuid[])", [APPLIED, applied]
            )
    outcomes = []
    for envelope in envelopes:
        was_applied = first_seen.pop(envelope.message_id, None)  # only the first of a message id counts
        outcomes.append(DUPLICATE if was_applied is None else APPLIED if was_applied else STALE)
    return outcomes


def _dead_letter(*, raw: bytes, error: EnvelopeError) -> Verdict:
    fingerprint = hashlib.sha256(raw).hexdigest()
    header = {}
    try:
        _, parsed, _ = envelope_parse(raw)
        header = {
            "message_id": parsed.message_id,
            "source": parsed.source,
            "record_type": parsed.record_type,
            "record_key": parsed.record_key[:200],
        }
    except EnvelopeError:
        pass
    DeadLetter.objects.get_or_create(
        fingerprint=fingerprint,
        defaults={
            **header,
            "reason": error.reason,
            "detail": error.detail[:300],
            "size": len(raw),
            "received_at": timezone.now(),
        },
    )
    logger.warning("sync: dead letter at %s: %s (%s)", schema_name(), error.reason, header.get("message_id", "-"))
    return Verdict(DEAD, error.reason, error.detail, header.get("message_id", ""))


def _as_bytes(raw: bytes | bytearray | memoryview | str) -> bytes:
    """The transports' bodies as bytes (py-amqp gives an empty body as '')."""
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogatepass")
    return bytes(raw)


def _checked(*, receiver: Organization, raw: bytes) -> Envelope | EnvelopeError:
    """Total: every message gets a verdict before any database write; only the database's own
    failures (reading keys and organisations) propagate, so the message is put back."""
    try:
        return _check(receiver_code=receiver.code, raw=raw)
    except EnvelopeError as error:
        return error
    except DatabaseError:
        raise
    except Exception as error:  # noqa: BLE001 - anything else a hostile message triggers is its verdict
        logger.warning("sync: a message for %s failed its checks with %s", receiver.code, type(error).__name__)
        return EnvelopeError("malformed", gettext_noop("the checks failed on it"))


def _plain(envelope: Envelope | EnvelopeError) -> Envelope | None:
    """The envelope, when the batch applies it with multi-row statements (checked, of a type without
    on_receive); None for a dead letter or a type whose receiver runs domain rules."""
    if isinstance(envelope, EnvelopeError):
        return None
    spec = record_type_get(envelope.record_type)
    return envelope if spec is None or spec.on_receive is None else None


def _batch_in_transaction(checked: Sequence[Envelope | EnvelopeError], bodies: Sequence[bytes]) -> list[Verdict]:
    """A batch inside the caller's transaction: the plain messages first, together (_apply_many), then the
    dead letters and the messages whose receiver runs domain rules, one by one in arrival order. Receivers
    trust versions, not order, so applying plain types ahead of the others changes no outcome."""
    plain = {index: envelope for index, item in enumerate(checked) if (envelope := _plain(item)) is not None}
    outcomes = dict(zip(plain, _apply_many(list(plain.values())), strict=True))
    return [
        Verdict(outcomes[index], message_id=plain[index].message_id)
        if index in plain
        else _receive_in_transaction(envelope, raw)
        for index, (envelope, raw) in enumerate(zip(checked, bodies, strict=True))
    ]


def _receive_in_transaction(envelope: Envelope | EnvelopeError, raw: bytes) -> Verdict:
    """One message inside the caller's transaction. Types whose receiver runs domain rules
    (on_receive) get a savepoint, so a refusal undoes that message alone."""
    if isinstance(envelope, EnvelopeError):
        return _dead_letter(raw=raw, error=envelope)
    spec = record_type_get(envelope.record_type)
    if spec is None or spec.on_receive is None:
        return Verdict(_apply(envelope), message_id=envelope.message_id)
    try:
        with transaction.atomic():
            outcome = _apply(envelope)
    except ValidationError:  # the receiving domain's own rules refused it: never half-applied
        return _dead_letter(raw=raw, error=EnvelopeError("refused", gettext_noop("the receiver's rules refused it")))
    return Verdict(outcome, message_id=envelope.message_id)


def messages_receive(*, receiver: Organization, raws: Sequence[bytes | str]) -> list[Verdict | Exception]:
    """Process several messages for `receiver` in ONE transaction (one search_path, one commit), in
    order. The result has one entry per message: its Verdict, or the error that kept it from being
    processed (a database failure, not the message's fault: the caller puts that one back). If the batch's
    transaction fails, each message is tried again on its own, so one bad row cannot hold the others up."""
    bodies = [_as_bytes(raw) for raw in raws]
    with schema_context(receiver.schema_name):
        checked = [_checked(receiver=receiver, raw=body) for body in bodies]
        try:
            with transaction.atomic():
                verdicts: list[Verdict | Exception] = [*_batch_in_transaction(checked, bodies)]
                return verdicts
        except Exception:  # noqa: BLE001 - whatever failed, each message gets its own chance below
            logger.warning("sync: a batch of %d for %s failed; processing one by one", len(bodies), receiver.code)
    results: list[Verdict | Exception] = []
    for raw in bodies:
        try:
            results.append(message_receive(receiver=receiver, raw=raw))
        except Exception as error:  # the database (or a receiver's bug) failed, not the message: put it back
            results.append(error)
    return results


def message_receive(*, receiver: Organization, raw: bytes | str) -> Verdict:
    """Process one message for `receiver` (an Organization) in its schema."""
    return _message_receive(receiver=receiver, raw=_as_bytes(raw))


def _message_receive(*, receiver: Organization, raw: bytes) -> Verdict:
    with schema_context(receiver.schema_name):
        envelope = _checked(receiver=receiver, raw=raw)
        if isinstance(envelope, EnvelopeError):
            with transaction.atomic():
                return _dead_letter(raw=raw, error=envelope)
        try:
            with transaction.atomic():
                outcome = _apply(envelope)
        except ValidationError:  # the receiving domain's own rules refused it: never half-applied
            refusal = EnvelopeError("refused", gettext_noop("the receiver's rules refused it"))
        except DataError:  # a value the receiving tables cannot hold: the message's fault, not the database's
            refusal = EnvelopeError("refused", gettext_noop("the receiver cannot store it"))
        except DatabaseError:
            raise  # the database failed: put back
        except Exception as error:  # noqa: BLE001 - a receiver tripped over the body: a verdict, not a retry
            logger.warning(
                "sync: the receiver of a %s message failed with %s", envelope.record_type, type(error).__name__
            )
            refusal = EnvelopeError("refused", gettext_noop("the receiver failed on it"))
        else:
            return Verdict(outcome, message_id=envelope.message_id)
        with transaction.atomic():
            return _dead_letter(raw=raw, error=refusal)
