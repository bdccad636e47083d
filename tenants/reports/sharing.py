"""What this app shares over the bus (record types, snapshots, audiences, publishing); the registration
and the arrival hooks, which call the services, are in tenants/reports/arrivals.py.

- reports.filing          city → province      owner: the city (content and revision)
- reports.filing_receipt  province → the city  owner: the province (received / acknowledged / returned)
- reports.statistics      county → its city    owner: the county (counts, coverage, rounds' progress)
- reports.live_statistics county → its city    owner: the county (its live figures, one record, key `current`)

The sharing policy (sync/policy.py) decides again which fields may travel.
"""

from __future__ import annotations

from django.apps import apps

from sync.outbox import copies_resend, record_changed, record_state_publish
from sync.registry import record_type_get
from tenants.reports.models import Filing, FilingReceipt

FILING = "reports.filing"
FILING_RECEIPT = "reports.filing_receipt"
STATISTICS = "reports.statistics"
LIVE_STATISTICS = "reports.live_statistics"


def bus_installed() -> bool:
    return apps.is_installed("sync")


# --- snapshots -----------------------------------------------------------------------------


def filing_snapshot(filing: Filing) -> dict:
    return {
        "kind": filing.kind,
        "title": filing.title,
        "period": filing.period,
        "revision": filing.revision,
        "content": filing.content,
        "note": filing.note,
        "filed_at": filing.filed_at.isoformat(),
        "classification": filing.classification,
    }


def filing_audience(filing: Filing, owner) -> set[str]:
    parent = owner.parent
    return {parent.code} if parent is not None and parent.kind == "province" else set()


def receipt_snapshot(receipt: FilingReceipt) -> dict:
    return {
        "filing_key": str(receipt.filing_key),
        "filing_revision": receipt.filing_revision,
        "status": receipt.status,
        "comment": receipt.comment,
        "decided_at": receipt.decided_at.isoformat() if receipt.decided_at else None,
        "classification": 1,
    }


def receipt_audience(receipt: FilingReceipt, owner) -> set[str]:
    return {receipt.source_code}


# --- publishing ----------------------------------------------------------------------------


def filing_publish(*, filing: Filing) -> None:
    if bus_installed():
        record_changed(instance=filing)


def receipt_publish(*, receipt: FilingReceipt) -> None:
    if bus_installed():
        record_changed(instance=receipt)


def statistics_publish(*, organization, period: str, snapshot: dict) -> None:
    if bus_installed() and organization.parent_id:
        record_state_publish(
            spec=record_type_get(STATISTICS),
            owner=organization,
            record_key=period,
            snapshot=snapshot,
            audience={organization.parent.code},
        )


def live_statistics_publish(*, organization, record_key: str, snapshot: dict) -> list:
    """Share the county's live figures with its city; nothing is queued when the city already holds them."""
    if not (bus_installed() and organization.parent_id):
        return []
    return record_state_publish(
        spec=record_type_get(LIVE_STATISTICS),
        owner=organization,
        record_key=record_key,
        snapshot=snapshot,
        audience={organization.parent.code},
    )


def live_statistics_resend(*, organization, record_key: str) -> int:
    """Anti-entropy: queue the city's current copy again at its version (the city ignores what it holds)."""
    if not (bus_installed() and organization.parent_id):
        return 0
    return copies_resend(destination=organization.parent.code, keys=[(LIVE_STATISTICS, record_key)])
