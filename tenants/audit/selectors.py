"""Reading and verifying the audit chain."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.db.models import QuerySet

from tenants.audit.anchors import Anchor
from tenants.audit.models import GENESIS_HASH, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_hash: str
    broken_at: int | None = None  # chain position of the first bad row
    reason: str = ""
    anchored: int = 0  # chain position of the newest checkpoint checked

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_events_for_record(*, record_type: str, record_key) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(record_type=record_type, record_key=str(record_key)).order_by("seq")


def audit_chain_verify(*, anchors: list[Anchor] = ()) -> ChainReport:
    """Walk the current schema's chain in order, recomputing every keyed hash; report the first break.

    Detects edited or made-up rows (keyed hash mismatch: without the key nobody can recompute it), removed or
    inserted rows (position gap or broken link), and, given the organisation's checkpoints
    (tenants.audit.anchors), a rewritten anchored row or the removal of rows up to the newest checkpoint.
    """
    for anchor in anchors:
        if not anchor.valid:
            return ChainReport(0, GENESIS_HASH, max(anchor.seq, 1), "a checkpoint's signature is invalid")
    anchored = {anchor.seq: anchor for anchor in anchors}
    newest = max(anchored, default=0)
    expected_seq, prev_hash, rows = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(rows, prev_hash, expected_seq, f"row {expected_seq} is missing (next is {event.seq})")
        if event.prev_hash != prev_hash:
            return ChainReport(rows, prev_hash, event.seq, "link to the previous row is broken")
        if not hmac.compare_digest(event.keyed_hash(), event.row_hash):
            return ChainReport(rows, prev_hash, event.seq, "row content does not match its keyed hash")
        anchor = anchored.get(event.seq)
        if anchor is not None and anchor.head_hash != event.row_hash:
            return ChainReport(rows, prev_hash, event.seq, f"row differs from the checkpoint of {anchor.at}")
        prev_hash, expected_seq, rows = event.row_hash, expected_seq + 1, rows + 1
    if rows < newest:
        return ChainReport(
            rows,
            prev_hash,
            rows + 1,
            f"rows {rows + 1} to {newest} are missing: the checkpoint of {anchored[newest].at} saw {newest} rows",
        )
    return ChainReport(rows, prev_hash, anchored=newest)
