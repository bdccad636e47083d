"""`xuncha audit rekey`: bring rows written before the audit key existed, or under an old key, under the current key.

The log is append-only (its trigger refuses UPDATE for everyone), so the old rows are not rewritten: they are
re-hashed. Under the chain's lock, every row is first checked under the scheme it was written with (each in
order: unkeyed SHA-256 for rows from before the key existed, only when the operator says so with `legacy`; the
old key; the current key; rows an earlier rekey covered by its re-hash), and anchored rows against their
checkpoints. Then the rows up to the head are chained again under the current key (AuditEvent.rehash_step) and
one `rekey` event is appended, keyed like every row, holding the last row it covers and that re-hash: the signed
rekey checkpoint. It is anchored at once (file and parent, kind `rekey`), so verification knows where the key
changed (tenants.audit.selectors.audit_chain_verify) and the checkpoint cannot be removed unseen. A chain that
does not check is not rekeyed (that would bless the damage), and nothing is written.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from django.db import connection, transaction

from shared.accounts.models import Classification
from tenants.audit.anchors import REKEY, audit_anchor_write
from tenants.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from tenants.audit.selectors import audit_anchors_known, audit_rekey_newest
from tenants.audit.services import _current_organization_code, _event, audit_events_append
from tenants.audit.sharing import audit_anchor_send

REKEYED, UNKEYED, OLD_KEY, CURRENT_KEY = "rekeyed before", "unkeyed", "old key", "current key"
_ORDER = (REKEYED, UNKEYED, OLD_KEY, CURRENT_KEY)


class RekeyRefused(Exception):
    """The chain does not check under the schemes given; the message says where (nothing was written)."""


@dataclass
class RekeyReport:
    rows: int
    rekeyed_at: int | None = None  # the rekey event's chain position (None: nothing needed rekeying)
    schemes: dict[str, int] = field(default_factory=dict)


def _scheme(event: AuditEvent, *, old_key: bytes | None, legacy: bool, allowed_from: int) -> str | None:
    candidates = []
    if legacy:
        candidates.append((UNKEYED, event.unkeyed_hash))
    if old_key is not None:
        candidates.append((OLD_KEY, lambda: event.keyed_hash(old_key)))
    candidates.append((CURRENT_KEY, event.keyed_hash))
    for name, compute in candidates:
        if _ORDER.index(name) >= allowed_from and hmac.compare_digest(compute(), event.row_hash):
            return name
    return None


@transaction.atomic
def audit_rekey(*, old_key: bytes | None = None, legacy: bool = False, actor=None, request=None) -> RekeyReport:
    """Re-hash the current organisation's chain under the current key and record the signed rekey checkpoint."""
    code = _current_organization_code()
    with connection.cursor() as cursor:  # the chain's lock, held to the end: nothing is appended meanwhile
        cursor.execute("SELECT last_seq FROM audit_chain_head(%s)", [connection.schema_name])
    earlier = audit_rekey_newest()
    covered = earlier[1] if earlier is not None else 0
    anchors: dict[int, list[str]] = {}
    for anchor in audit_anchors_known(organization_code=code):
        if anchor.valid or (old_key is not None and anchor.signed_under(old_key)):
            anchors.setdefault(anchor.seq, []).append(anchor.head_hash)
    schemes = dict.fromkeys(_ORDER, 0)
    expected_seq, prev_hash, rehash, allowed_from = 1, GENESIS_HASH, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq or event.prev_hash != prev_hash:
            raise RekeyRefused(f"row {expected_seq}: the chain is broken (missing row or broken link)")
        if event.seq <= covered:
            scheme = REKEYED
        else:
            scheme = _scheme(event, old_key=old_key, legacy=legacy, allowed_from=allowed_from)
            if scheme is None:
                raise RekeyRefused(f"row {event.seq} matches none of the keys given (edited, or another old key)")
        if earlier is not None and event.seq == earlier[0].seq and not hmac.compare_digest(rehash, earlier[2]):
            raise RekeyRefused(f"rows 1 to {covered} differ from the rekey checkpoint at row {event.seq}")
        if any(head != event.row_hash for head in anchors.get(event.seq, ())):
            raise RekeyRefused(f"row {event.seq} differs from its checkpoint")
        allowed_from = max(allowed_from, _ORDER.index(scheme))
        schemes[scheme] += 1
        rehash = event.rehash_step(rehash)
        prev_hash, expected_seq = event.row_hash, expected_seq + 1
    rows = expected_seq - 1
    if rows and max(anchors, default=0) > rows:
        raise RekeyRefused(f"rows {rows + 1} to {max(anchors)} are missing: a checkpoint saw them")
    if schemes[UNKEYED] == schemes[OLD_KEY] == 0:
        return RekeyReport(rows=rows, schemes=schemes)  # every row is under the current key already
    event = _event(
        action=AuditAction.REKEY,
        record_type="audit.chain",
        record_key=code,
        classification=Classification.INTERNAL,
        request=request,
        actor=actor,
        detail={"through": rows, "rehash": rehash, "rows": {name: n for name, n in schemes.items() if n}},
    )
    audit_events_append(events=[event])
    anchor = audit_anchor_write(organization_code=code, seq=event.seq, head_hash=event.row_hash, kind=REKEY)
    audit_anchor_send(anchor=anchor)
    return RekeyReport(rows=rows, rekeyed_at=event.seq, schemes=schemes)
