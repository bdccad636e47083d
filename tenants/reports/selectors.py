"""Read queries of reporting, with their permission rules."""

from __future__ import annotations

from dataclasses import dataclass

from shared.orgs.models import Organization
from sync.models import Replica
from tenants.reminders.sharing import OVERDUE
from tenants.reports.models import Filing, FilingReceipt, HearingRecord
from tenants.reports.sharing import FILING, STATISTICS
from tenants.rounds.models import RoundState

CITY_REPORTING_ROLES = ("office_admin", "office_staff", "leading_group")
CITY_FILING_ROLES = ("office_admin", "office_staff")
PROVINCE_ROLES = ("office_admin", "province_viewer")
PROVINCE_DECIDING_ROLES = ("office_admin",)


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

    replica: Replica
    receipt: FilingReceipt | None
    source_name: str

    @property
    def body(self) -> dict:
        return self.replica.body or {}

    @property
    def status(self) -> str:
        return self.receipt.status if self.receipt else "received"


def received_filing_list(*, access) -> list[ReceivedFiling]:
    """At the province: every filing received (newest revision), with its receipt."""
    replicas = list(
        Replica.objects.filter(record_type=FILING, tombstone=False, classification__lte=access.clearance).order_by(
            "-received_at", "-id"
        )
    )
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
    from django.db.models import Count, F, Max, Q, Window
    from django.db.models.fields.json import KeyTextTransform
    from django.db.models.functions import RowNumber

    children = list(organization.children.order_by("code"))
    codes = [child.code for child in children]
    statistics = {
        r.source: r
        for r in Replica.objects.filter(record_type=STATISTICS, record_key=str(year), tombstone=False, source__in=codes)
    }
    # Open items only (the body sent no resolution date), counted in SQL; the page lists the earliest few.
    open_overdue = Replica.objects.filter(record_type=OVERDUE, tombstone=False, source__in=codes).filter(
        Q(body__resolved_on__isnull=True) | Q(body__resolved_on=None) | Q(body__resolved_on="")
    )
    overdue_count = dict(open_overdue.values("source").annotate(number=Count("id")).values_list("source", "number"))
    overdue: dict[str, list[dict]] = {}
    earliest = open_overdue.annotate(
        rank=Window(
            RowNumber(), partition_by=F("source"), order_by=[KeyTextTransform("due_date", "body").asc(), F("id").asc()]
        )
    )
    for replica in earliest.filter(rank__lte=OVERDUE_SHOWN).order_by("source", "rank"):
        overdue.setdefault(replica.source, []).append(replica.body)
    last_sync = dict(
        Replica.objects.filter(source__in=codes)
        .values("source")
        .annotate(last=Max("received_at"))
        .values_list("source", "last")
    )
    return [
        CountyOversight(
            code=child.code,
            name=child.name,
            statistics=statistics[child.code].body if child.code in statistics else None,
            statistics_received_at=statistics[child.code].received_at if child.code in statistics else None,
            overdue=overdue.get(child.code, []),
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
