"""Writing the access audit log. Every read of a 秘密/机密 record and every grant change goes here.

Fail closed: if the row cannot be written the exception propagates, so the caller never serves a
classified record whose read was not logged.
"""

from __future__ import annotations

import dataclasses
import json
import re

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from shared.accounts.models import Classification
from shared.orgs.models import schema_name_for_code
from tenants.audit.anchors import audit_anchor_write
from tenants.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from tenants.audit.selectors import ChainReport, audit_anchors_known, audit_chain_verify
from tenants.audit.sharing import audit_anchor_send

AUDITED_FROM = Classification.SECRET
SCHEMA_PREFIX = schema_name_for_code("")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value, limit: int) -> str:
    # Control characters would blur the field separator of the hashed text.
    return _CONTROL_CHARS.sub(" ", str(value or ""))[:limit]


def _current_organization_code() -> str:
    tenant = getattr(connection, "tenant", None)
    code = getattr(tenant, "code", None)
    if code:
        return code
    # schema_context() installs a FakeTenant that knows only the schema name (org_<code>).
    schema = getattr(connection, "schema_name", "") or ""
    if schema.startswith(SCHEMA_PREFIX) and schema[len(SCHEMA_PREFIX) :].isdigit():
        return schema[len(SCHEMA_PREFIX) :]
    raise ImproperlyConfigured("The audit log lives in an organisation's schema; no organisation is active.")


def _actor(request, user):
    user = user if user is not None else getattr(request, "user", None)
    access = getattr(request, "org_access", None) if request is not None else None
    grant_id = getattr(access, "grant_id", None)
    token = getattr(request, "api_token", None) if request is not None else None
    if user is None or not getattr(user, "is_authenticated", False):
        via = "system"
    elif grant_id:
        via = f"grant:{grant_id}"
    elif token is not None:  # a machine client (shared.apitokens): which token, not only whose
        via = f"token:{token.token_key}"
    else:
        via = "membership"
    meta = getattr(request, "META", {}) if request is not None else {}
    return user, via, meta.get("REMOTE_ADDR", ""), meta.get("HTTP_USER_AGENT", "")


def _event(
    *,
    action: str,
    record_type: str,
    record_key,
    classification: int,
    request=None,
    actor=None,
    detail: dict | None = None,
) -> AuditEvent:
    """An unsaved event; audit_events_append gives it its place in the chain."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    actor, via, ip, user_agent = _actor(request, actor)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        user_id=actor.pk if authenticated else None,
        username=_clean(actor.get_username() if authenticated else "", 150),
        organization_code=_current_organization_code(),
        access_via=via,
        action=action,
        record_type=_clean(record_type, 100),
        record_key=_clean(record_key, 100),
        classification=int(classification),
        ip=_clean(ip, 45),
        user_agent=_clean(user_agent, 300),
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
    )


def audit_event_record(
    *,
    action: str,
    record_type: str,
    record_key,
    classification: int,
    request=None,
    actor=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the current organisation's chain."""
    event = _event(
        action=action,
        record_type=record_type,
        record_key=record_key,
        classification=classification,
        request=request,
        actor=actor,
        detail=detail,
    )
    audit_events_append(events=[event])
    return event


def audit_events_append(*, events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain unsaved events, in list order, onto the current schema's log and insert them.

    Under the chain's advisory lock (the trigger takes the same one, re-entrantly, and refuses a row that does
    not follow the head), each event gets the next position, the database clock's time, the head's hash as its
    link and its own keyed hash. The lock is held until the surrounding transaction ends, as before. The lock,
    the head and the clock come in one round trip (audit_chain_head, migration audit.0009).
    """
    if not events:
        return events
    # No savepoint of its own (one round trip each way saved inside a service's transaction): a failure here
    # fails the caller's whole transaction, which is what fail-closed asks anyway.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_seq, last_hash, now_at FROM audit_chain_head(%s)", [connection.schema_name])
            seq, prev_hash, at = cursor.fetchone()
        seq, prev_hash = seq or 0, prev_hash or GENESIS_HASH
        for event in events:
            seq += 1
            event.seq, event.at, event.prev_hash = seq, at, prev_hash
            event.row_hash = prev_hash = event.keyed_hash()
        AuditEvent.objects.bulk_create(events)
    return events


def audit_record_read(
    *, record_type: str, record_key, classification: int, request=None, actor=None, action: str = AuditAction.READ
) -> AuditEvent | None:
    """Log a read of a classified record; records below 秘密 are not logged (returns None)."""
    if int(classification) < AUDITED_FROM:
        return None
    return audit_event_record(
        action=action,
        record_type=record_type,
        record_key=record_key,
        classification=classification,
        request=request,
        actor=actor,
    )


def audit_records_read(*, records, request=None, actor=None, action: str = AuditAction.LIST) -> int:
    """Log every classified record of a list/search/export page; returns how many were logged. A record
    is a model instance, or names its type itself in `audit_record_type` (sync.replicas.ReplicaView)."""
    events = [
        _event(
            action=action,
            record_type=getattr(record, "audit_record_type", None) or record._meta.label_lower,
            record_key=record.pk,
            classification=record.classification,
            request=request,
            actor=actor,
        )
        for record in records
        if int(record.classification) >= AUDITED_FROM
    ]
    audit_events_append(events=events)  # one multi-row INSERT, chained in list order
    return len(events)


def audit_checkpoint() -> ChainReport:
    """Verify the current organisation's chain against its checkpoints and, if it holds, anchor its head: in the
    checkpoint file and, over the bus, at the parent organisation (tenants/audit/sharing.py).

    A broken chain is not anchored (that would bless the damage): the report says where it broke.
    """
    code = _current_organization_code()
    with transaction.atomic():
        report = audit_chain_verify(anchors=audit_anchors_known(organization_code=code))
        if report.ok and report.rows > report.anchored:
            anchor = audit_anchor_write(organization_code=code, seq=report.rows, head_hash=report.head_hash)
            audit_anchor_send(anchor=anchor)
            report = dataclasses.replace(report, anchored=report.rows)
    return report
