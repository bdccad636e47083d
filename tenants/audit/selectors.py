"""Reading and verifying the audit chain."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from sync.replicas import replicas_of
from tenants.audit.anchors import Anchor, audit_anchors_read
from tenants.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from tenants.audit.sharing import RECORD_TYPE as ANCHOR_RECORD_TYPE


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


def _schema_exists(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        return cursor.fetchone() is not None


def audit_anchors_held_by_parent(*, organization_code: str) -> list[Anchor] | None:
    """The checkpoints of `organization_code`'s chain its parent received over the bus (audit.anchor replicas),
    oldest first; None when it has no parent or the parent's schema is not in this database (a remote parent
    checks them where it is)."""
    parent = (
        Organization.objects.filter(code=organization_code, parent__isnull=False)
        .values_list("parent__code", "parent__schema_name")
        .first()
    )
    if parent is None or not _schema_exists(parent[1]):
        return None
    with schema_context(parent[1]):
        held = replicas_of(record_type=ANCHOR_RECORD_TYPE, sources=[organization_code])
    anchors = []
    for replica in held:
        body = replica.body
        try:
            anchors.append(
                Anchor(
                    organization_code,
                    int(body["seq"]),
                    str(body["head_hash"]),
                    str(body["at"]),
                    str(body["signature"]),
                    str(body["kind"]),
                    origin=f"parent {parent[0]}",
                )
            )
        except (KeyError, TypeError, ValueError):
            anchors.append(Anchor(organization_code, 0, "", "", "", origin=f"parent {parent[0]}"))
    return sorted(anchors, key=lambda anchor: anchor.seq)


def audit_anchors_known(*, organization_code: str) -> list[Anchor]:
    """Every checkpoint of the chain this deployment can read: the local file's and those the parent holds."""
    return audit_anchors_read(organization_code=organization_code) + (
        audit_anchors_held_by_parent(organization_code=organization_code) or []
    )


def audit_rekey_newest() -> tuple[AuditEvent, int, str] | None:
    """The newest rekey checkpoint of the current chain: (its row, the last row it covers, the re-hash of rows 1 to
    that one under the current key), or None. Trusted only once its own keyed hash is checked (audit_chain_verify)."""
    event = AuditEvent.objects.filter(action=AuditAction.REKEY).order_by("-seq").first()
    if event is None:
        return None
    try:
        detail = json.loads(event.detail)
        return event, int(detail["through"]), str(detail["rehash"])
    except (ValueError, KeyError, TypeError):
        return event, -1, ""


def audit_chain_verify(*, anchors: list[Anchor] = ()) -> ChainReport:
    """Walk the current schema's chain in order, recomputing every keyed hash; report the first break.

    Detects edited or made-up rows (keyed hash mismatch: without the key nobody can recompute it), removed or
    inserted rows (position gap or broken link), and, given the organisation's checkpoints (tenants.audit.anchors:
    the file's and the parent's, audit_anchors_known), a rewritten anchored row or the removal of rows up to the
    newest checkpoint. Rows before the newest rekey checkpoint (`xuncha audit rekey`: written before the key
    existed or under an old key) are checked by their links and by the re-hash under the current key that the
    checkpoint holds; the checkpoints of those rows were signed under the old key and are covered by it.
    """
    rekey = audit_rekey_newest()
    rekeyed_through = rekey[1] if rekey is not None else 0
    anchors = [anchor for anchor in anchors if anchor.seq > rekeyed_through]
    for anchor in anchors:
        if not anchor.valid:
            return ChainReport(
                0, GENESIS_HASH, max(anchor.seq, 1), f"a checkpoint's signature is invalid ({anchor.origin})"
            )
    anchored: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        anchored.setdefault(anchor.seq, []).append(anchor)
    newest = max(anchored, default=0)
    expected_seq, prev_hash, rows, rehash = 1, GENESIS_HASH, 0, GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(rows, prev_hash, expected_seq, f"row {expected_seq} is missing (next is {event.seq})")
        if event.prev_hash != prev_hash:
            return ChainReport(rows, prev_hash, event.seq, "link to the previous row is broken")
        if event.seq <= rekeyed_through:
            rehash = event.rehash_step(rehash)
            prev_hash, expected_seq, rows = event.row_hash, expected_seq + 1, rows + 1
            continue
        if not hmac.compare_digest(event.keyed_hash(), event.row_hash):
            return ChainReport(rows, prev_hash, event.seq, "row content does not match its keyed hash")
        if rekey is not None and event.seq == rekey[0].seq:
            if rekeyed_through != event.seq - 1:
                return ChainReport(rows, prev_hash, event.seq, "the rekey checkpoint does not cover the rows before it")
            if not hmac.compare_digest(rehash, rekey[2]):
                return ChainReport(
                    rows,
                    prev_hash,
                    1,
                    f"rows 1 to {rekeyed_through} differ from the rekey checkpoint of {event.at.isoformat()}",
                )
        for anchor in anchored.get(event.seq, ()):
            if anchor.head_hash != event.row_hash:
                return ChainReport(
                    rows, prev_hash, event.seq, f"row differs from the checkpoint of {anchor.at} ({anchor.origin})"
                )
        prev_hash, expected_seq, rows = event.row_hash, expected_seq + 1, rows + 1
    if rows < newest:
        return ChainReport(
            rows,
            prev_hash,
            rows + 1,
            f"rows {rows + 1} to {newest} are missing: the checkpoint of {anchored[newest][0].at}"
            f" ({', '.join(sorted({anchor.origin for anchor in anchored[newest]}))}) saw {newest} rows",
        )
    return ChainReport(rows, prev_hash, anchored=newest)
