"""What this app shares over the bus (record types, snapshots, audiences, arrival hooks).

- reports.filing          city → province      owner: the city (content and revision)
- reports.filing_receipt  province → the city  owner: the province (received / acknowledged / returned)
- reports.statistics      county → its city    owner: the county (counts, coverage, rounds' progress)

The sharing policy (sync/policy.py) decides again which fields may travel.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.utils import timezone

from tenants.reports.models import Filing, FilingReceipt

FILING = "reports.filing"
FILING_RECEIPT = "reports.filing_receipt"
STATISTICS = "reports.statistics"


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


def coverage_snapshot(*, organization, today: date | None = None) -> dict:
    """Targets this office manages and how many were inspected within the current coverage cycle."""
    from tenants.office.models import CoverageMode, OfficeSettings
    from tenants.targets.models import Target

    today = today or timezone.localdate()
    office = OfficeSettings.current()
    if office.coverage_mode == CoverageMode.PER_TERM and office.current_term_start:
        cycle_start = office.current_term_start
    else:
        years = office.coverage_cycle_years
        cycle_start = (
            today.replace(year=today.year - years)
            if not (today.month == 2 and today.day == 29)
            else date(today.year - years, 2, 28)
        )
    targets = Target.objects.filter(is_active=True, managing_org_code=organization.code)
    return {
        "cycle_start": cycle_start.isoformat(),
        "cycle_years": office.coverage_cycle_years,
        "targets_total": targets.count(),
        "targets_covered": targets.filter(last_inspected_on__gte=cycle_start).count(),
    }


def statistics_snapshot(*, organization, period: str) -> dict:
    from tenants.reminders.selectors import overdue_open_count
    from tenants.reports import summaries

    return {
        "period": period,
        "counts": summaries.period_summary(period=period).as_dict(),
        "coverage": coverage_snapshot(organization=organization),
        "rounds": [
            {
                "name": r.name,
                "kind": r.kind,
                "state": r.state,
                "onsite_start": r.onsite_start.isoformat() if r.onsite_start else None,
                "onsite_end": r.onsite_end.isoformat() if r.onsite_end else None,
            }
            for r in summaries.rounds_in_period(period=period).order_by("onsite_start", "id")
        ],
        "overdue_open": overdue_open_count(),
        "generated_at": timezone.now().isoformat(),
        "classification": 1,
    }


# --- arrivals ------------------------------------------------------------------------------


def filing_received(*, replica, previous_body) -> None:
    """At the province: a city's filing or a new revision of it arrived."""
    from tenants.reports.services import filing_arrived

    if replica.tombstone or not replica.body:
        return
    filing_arrived(
        source_code=replica.source, filing_key=replica.record_key, revision=int(replica.body.get("revision") or 1)
    )


def receipt_received(*, replica, previous_body) -> None:
    """At the city: the province's answer arrived."""
    from django.utils.dateparse import parse_datetime

    from tenants.reports.services import receipt_arrived

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


# --- publishing ----------------------------------------------------------------------------


def filing_publish(*, filing: Filing) -> None:
    if bus_installed():
        from sync.outbox import record_changed

        record_changed(instance=filing)


def receipt_publish(*, receipt: FilingReceipt) -> None:
    if bus_installed():
        from sync.outbox import record_changed

        record_changed(instance=receipt)


def statistics_publish(*, organization, period: str, snapshot: dict) -> None:
    if bus_installed() and organization.parent_id:
        from sync.outbox import record_state_publish
        from sync.registry import record_type_get

        record_state_publish(
            spec=record_type_get(STATISTICS),
            owner=organization,
            record_key=period,
            snapshot=snapshot,
            audience={organization.parent.code},
        )


def _register() -> None:
    from sync.registry import SharedRecordType, register

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
    register(
        SharedRecordType(
            record_type=STATISTICS,
            schema_version=1,
            model=None,
            snapshot=lambda snapshot: snapshot,
            audience=lambda snapshot, owner: {owner.parent.code} if owner.parent_id else set(),
            key=lambda snapshot: snapshot["period"],
        )
    )


if bus_installed():
    _register()
