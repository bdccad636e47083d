"""Writing the access audit log. Every read of a 秘密/机密 record and every grant change goes here.

Fail closed: if the row cannot be written the exception propagates, so the caller never serves a
classified record whose read was not logged.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from shared.accounts.models import Classification
from shared.orgs.models import schema_name_for_code
from tenants.audit.models import AuditAction, AuditEvent

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
    if user is None or not getattr(user, "is_authenticated", False):
        via = "system"
    elif grant_id:
        via = f"grant:{grant_id}"
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
    user=None,
    detail: dict | None = None,
) -> AuditEvent:
    """An unsaved event; the trigger fills seq/at/hashes when it is inserted."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    user, via, ip, user_agent = _actor(request, user)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent(
        user_id=user.pk if authenticated else None,
        username=_clean(user.get_username() if authenticated else "", 150),
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
    user=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the current organisation's chain (the trigger fills seq/at/hashes)."""
    event = _event(
        action=action,
        record_type=record_type,
        record_key=record_key,
        classification=classification,
        request=request,
        user=user,
        detail=detail,
    )
    event.save(force_insert=True)
    return event


def audit_record_read(
    *, record_type: str, record_key, classification: int, request=None, user=None, action: str = AuditAction.READ
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
        user=user,
    )


def audit_records_read(*, records, request=None, user=None, action: str = AuditAction.LIST) -> int:
    """Log every classified record of a list/search/export page; returns how many were logged."""
    events = [
        _event(
            action=action,
            record_type=record._meta.label_lower,
            record_key=record.pk,
            classification=record.classification,
            request=request,
            user=user,
        )
        for record in records
        if int(record.classification) >= AUDITED_FROM
    ]
    # One multi-row INSERT: the row trigger chains the rows one after the other, in list order.
    AuditEvent.objects.bulk_create(events)
    return len(events)
