"""The audit chain's checkpoints go to the parent organisation over the bus (`audit.anchor`).

An organisation's audit log stays in its own schema; only its signed checkpoints leave: the chain position, the
head's keyed hash, the time and the checkpoint's signature (no event, no name, nothing of a case). The parent keeps
them as replicas (sync.Replica), so `xuncha audit verify` can require the rows they name even when the local
checkpoint file is gone (tenants.audit.selectors.audit_anchors_held_by_parent). One record per checkpoint, keyed
by its kind and position, never withdrawn.
"""

from __future__ import annotations

from django.db import transaction

from sync import policy
from sync.orgs import current_organization
from sync.outbox import record_state_publish
from sync.registry import SharedRecordType, record_type_get, register
from tenants.audit.anchors import Anchor

RECORD_TYPE = "audit.anchor"


def anchor_record_key(*, kind: str, seq: int) -> str:
    return f"{kind}-{seq}"


def anchor_snapshot(anchor: Anchor) -> dict:
    return {
        "kind": anchor.kind,
        "seq": anchor.seq,
        "head_hash": anchor.head_hash,
        "at": anchor.at,
        "signature": anchor.signature,
        "classification": policy.INTERNAL,
    }


def audit_sharing_register() -> None:
    """From AuditConfig.ready(): the record type (model-less: each checkpoint is published by audit_anchor_send)."""
    register(
        SharedRecordType(
            record_type=RECORD_TYPE,
            schema_version=1,
            model=None,
            snapshot=anchor_snapshot,
            audience=lambda anchor, owner: {owner.parent.code} if owner.parent_id else set(),
        )
    )


@transaction.atomic
def audit_anchor_send(*, anchor: Anchor) -> int:
    """Queue one checkpoint for the parent organisation (none for an organisation without one); returns the
    number of outbox rows written."""
    spec = record_type_get(RECORD_TYPE)
    assert spec is not None, "audit_sharing_register() runs in AuditConfig.ready()"
    owner = current_organization()
    messages = record_state_publish(
        spec=spec,
        owner=owner,
        record_key=anchor_record_key(kind=anchor.kind, seq=anchor.seq),
        snapshot=spec.snapshot(anchor),
        audience=spec.audience(anchor, owner),
    )
    return len(messages)
