"""The access audit's listeners on the public-schema apps' signals (connected in AuditConfig.ready)."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared.grants.signals import AUDITED, RECORD_TYPE
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record


def grant_change_audit(*, grant, action: str, actor, request, detail: dict, **_signal) -> str:
    """A grant was created, changed or revoked: one event in the granting organisation's chain; the answer tells the
    grants service that the audit wrote it (it refuses a change no audit answered for)."""
    with schema_context(grant.organization.schema_name):
        audit_event_record(
            action=AuditAction(action),
            record_type=RECORD_TYPE,
            record_key=grant.pk,
            classification=grant.clearance,
            request=request,
            actor=actor,
            detail=detail,
        )
    return AUDITED
