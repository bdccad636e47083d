"""Read queries of reporting, with their permission rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.orgs.models import Organization
from sync.replicas import (
    ReplicaView,
    last_received_by_source,
    replica_count_by_source,
    replicas_by_source,
    replicas_first_by_source,
    replicas_of,
)
from tenants.kernel.roles import ADMINS, MANAGERS, OVERSEERS, PROVINCE_READERS
from tenants.reminders.sharing import OVERDUE
from tenants.reports.models import Filing, FilingReceipt, HearingRecord
from tenants.reports.sharing import FILING, STATISTICS
from tenants.rounds.models import RoundState

CITY_REPORTING_ROLES = OVERSEERS
CITY_FILING_ROLES = MANAGERS
PROVINCE_ROLES = PROVINCE_READERS
PROVINCE_DECIDING_ROLES = ADMINS


def filing_list(*, access):
    return Filing.objects.filter(classification__lte=access.clearance)


def filing_get(*, access, pk) -> Filing | None:
    return filing_list(access=access).filter(pk=pk).prefetch_related("revisions").first()


def hearing_record_list(*, access):
    return HearingRecord.objects.filter(classification__lte=access.clearance).select_related("round")


@dataclass
class ReceivedFiling:
    """A city's filing as the province holds it: the replica of the city's record and the
    province's own receipt."""

    replica: ReplicaView
    receipt: FilingReceipt | None
    source_name: str

    @property
    def body(self) -> Mapping[str, Any]:
        return self.replica.body

    @property
    def status(self) -> str:
        return self.receipt.status if self.receipt else "received"


def received_filing_list(*, access) -> list[ReceivedFiling]:
    """At the province: every filing received (newest revision), with its receipt."""
    replicas = replicas_of(record_type=FILING, clearance=access.clearance, order="newest")
    receipts = {(r.source_code, str(r.filing_key)): r for r in FilingReceipt.objects.all()}
    names = dict(Organization.objects.filter(code__in={r.source for r in replicas}).values_list("code", "name"))
    return [
        ReceivedFiling(
            replica, receipts.get((replica.source, replica.record_key)), names.get(replica.source, replica.source)
        )
        for replica in replicas
    ]


def received_filing_get(*, access, source: str, key: str) -> ReceivedFiling | None:
    return next(
        (
            item
            for item in received_filing_list(access=access)
            if item.replica.source == source and item.replica.record_key == key
        ),
        None,
    )


OVERDUE_SHOWN = 5  # open overdue items listed per county on the oversight page (all are counted)


@dataclass
class CountyOversight:
    code: str
    name: str
    statistics: dict | None  # the county's latest statistics for the year (replica body)
    statistics_received_at: object
    overdue: list[dict]  # the OVERDUE_SHOWN earliest-due open overdue items the county escalated
    last_sync: object  # newest replica of any kind received from the county
    overdue_count: int = 0  # all its open overdue items

    @property
    def rounds(self) -> list[dict]:
        """The county's rounds, each with `state_label` (its state by name, never the stored code)."""
        return [
            dict(r, state_label=RoundState(r["state"]).label if r.get("state") in RoundState.values else "—")
            for r in (self.statistics or {}).get("rounds") or []
        ]

    @property
    def counts(self) -> dict:
        return (self.statistics or {}).get("counts") or {}

    @property
    def coverage(self) -> dict:
        return (self.statistics or {}).get("coverage") or {}

    @property
    def rectification_completion(self) -> float | None:
        return self.counts.get("rectification_completion")

    @property
    def coverage_percent(self) -> float | None:
        total = self.coverage.get("targets_total")
        if not total:
            return None
        return round(100 * (self.coverage.get("targets_covered") or 0) / total, 1)


def oversight_rows(*, organization, year: int) -> list[CountyOversight]:
    """The city's view of each county, from what the counties sent up (replicas only)."""
    children = list(organization.children.order_by("code"))
    codes = [child.code for child in children]
    statistics = replicas_by_source(record_type=STATISTICS, sources=codes, key=str(year))
    # Open items only (the body sent no resolution date), counted in SQL; the page lists the earliest few.
    overdue_count = replica_count_by_source(record_type=OVERDUE, sources=codes, blank=["resolved_on"])
    overdue = replicas_first_by_source(
        record_type=OVERDUE, sources=codes, order_field="due_date", limit=OVERDUE_SHOWN, blank=["resolved_on"]
    )
    last_sync = last_received_by_source(sources=codes)
    return [
        CountyOversight(
            code=child.code,
            name=child.name,
            statistics=dict(statistics[child.code].body) if child.code in statistics else None,
            statistics_received_at=statistics[child.code].received_at if child.code in statistics else None,
            overdue=[dict(view.body) for view in overdue.get(child.code, [])],
            overdue_count=overdue_count.get(child.code, 0),
            last_sync=last_sync.get(child.code),
        )
        for child in children
    ]


def bar_chart(*, rows: list[tuple[str, float | None]], maximum: float | None = None, unit: str = "") -> dict:
    """Geometry for a small horizontal bar chart drawn as inline SVG (no script, no CDN)."""
    values = [value for _label, value in rows if value is not None]
    top = maximum if maximum is not None else max(values + [1])
    bar_height, gap, label_width, width = 22, 8, 120, 420
    bars = []
    for index, (label, value) in enumerate(rows):
        length = 0 if value is None or not top else round((width - label_width - 60) * min(value, top) / top)
        bars.append(
            {
                "label": label,
                "value": "—" if value is None else f"{value:g}{unit}",
                "y": index * (bar_height + gap),
                "length": length,
                "text_x": label_width + length + 6,
                "text_y": index * (bar_height + gap) + 16,
            }
        )
    return {
        "bars": bars,
        "height": max(len(rows), 1) * (bar_height + gap),
        "width": width,
        "label_width": label_width,
        "bar_height": bar_height,
    }
