"""The reports app's record types, registered with the bus (ReportsConfig.ready() imports this): what
travels is tenants/reports/sharing.py's and tenants/reports/summaries.py's; what arrives goes to the services."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime

from sync.registry import SharedRecordType, register
from tenants.reports.models import Filing, FilingReceipt
from tenants.reports.services import filing_arrived, receipt_arrived
from tenants.reports.sharing import (
    FILING,
    FILING_RECEIPT,
    LIVE_STATISTICS,
    STATISTICS,
    filing_audience,
    filing_snapshot,
    receipt_audience,
    receipt_snapshot,
)


def filing_received(*, replica, previous_body) -> None:
    """At the province: a city's filing or a new revision of it arrived."""
    if replica.tombstone or not replica.body:
        return
    filing_arrived(
        source_code=replica.source, filing_key=replica.record_key, revision=int(replica.body.get("revision") or 1)
    )


def receipt_received(*, replica, previous_body) -> None:
    """At the city: the province's answer arrived."""
    if replica.tombstone or not replica.body:
        return
    body = replica.body
    decided_at = parse_datetime(body["decided_at"]) if body.get("decided_at") else None
    receipt_arrived(
        filing_key=body["filing_key"],
        revision=int(body["filing_revision"]),
        status=body["status"],
        comment=body.get("comment") or "",
        decided_at=decided_at,
    )


register(
    SharedRecordType(
        record_type=FILING,
        schema_version=1,
        model=Filing,
        snapshot=filing_snapshot,
        audience=filing_audience,
        key=lambda filing: str(filing.key),
        on_receive=filing_received,
    )
)
register(
    SharedRecordType(
        record_type=FILING_RECEIPT,
        schema_version=1,
        model=FilingReceipt,
        snapshot=receipt_snapshot,
        audience=receipt_audience,
        key=lambda receipt: str(receipt.filing_key),
        on_receive=receipt_received,
    )
)


def _county_state(*, record_type: str, key) -> None:
    """A county's generated state for its city (no model: the snapshot is the state itself)."""
    register(
        SharedRecordType(
            record_type=record_type,
            schema_version=1,
            model=None,
            snapshot=lambda snapshot: snapshot,
            audience=lambda snapshot, owner: {owner.parent.code} if owner.parent_id else set(),
            key=key,
        )
    )


_county_state(record_type=STATISTICS, key=lambda snapshot: snapshot["period"])
_county_state(record_type=LIVE_STATISTICS, key=lambda snapshot: "current")
