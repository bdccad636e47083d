"""Reading and verifying the audit chain."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from tenants.audit.models import GENESIS_HASH, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_hash: str
    broken_at: int | None = None  # chain position of the first bad row
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_events_for_record(*, record_type: str, record_key) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(record_type=record_type, record_key=str(record_key)).order_by("seq")


def audit_chain_verify() -> ChainReport:
    """Walk the current schema's chain in order, recomputing every hash; report the first break.

    Detects edited rows (hash mismatch), removed or inserted rows (position gap or broken link).
    Removal of the newest rows leaves a valid shorter chain: compare `head_hash` with a copy
    kept outside the database to catch that.
    """
    expected_seq, prev_hash, rows = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(rows, prev_hash, expected_seq, f"row {expected_seq} is missing (next is {event.seq})")
        if event.prev_hash != prev_hash:
            return ChainReport(rows, prev_hash, event.seq, "link to the previous row is broken")
        digest = hashlib.sha256(event.canonical().encode("utf-8")).hexdigest()
        if digest != event.row_hash:
            return ChainReport(rows, prev_hash, event.seq, "row content does not match its hash")
        prev_hash, expected_seq, rows = event.row_hash, expected_seq + 1, rows + 1
    return ChainReport(rows, prev_hash)
