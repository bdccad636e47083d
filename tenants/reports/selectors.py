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
    replica_rows,
    replicas_by_source,
    replicas_first_by_source,
    replicas_of,
)
from tenants.kernel.roles import ADMINS, MANAGERS, OVERSEERS, PROVINCE_READERS
from tenants.reminders.sharing import OVERDUE
from tenants.reports.live import LIVE_KEY, month_label
from tenants.reports.models import Filing, FilingReceipt, HearingRecord
from tenants.reports.sharing import FILING, LIVE_STATISTICS, STATISTICS
from tenants.rounds.models import RoundKind, RoundState

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


def received_filing_visible(*, actor, access, replica) -> bool:
    """At the province: who opens a received filing (and the documents that came with it): its readers."""
    return (
        replica.record_type == FILING
        and access.has_role(*PROVINCE_ROLES)
        and replica.classification <= access.clearance
    )


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
LIGHTS = ("red", "yellow", "green")
ROUND = "rounds.round"  # a county's rounds as it shares them up (tenants/crossorg/sharing.py)


@dataclass
class CountyOversight:
    code: str
    name: str
    statistics: dict | None  # the county's latest statistics for the year (replica body)
    statistics_received_at: object
    overdue: list[dict]  # the OVERDUE_SHOWN earliest-due open overdue items the county escalated
    last_sync: object  # newest replica of any kind received from the county
    overdue_count: int = 0  # all its open overdue items
    live: dict | None = None  # the county's live figures (reports.live_statistics), None until they arrive
    live_received_at: object = None  # when the city last received them (the figures' last change)

    @property
    def live_coverage(self) -> dict:
        return (self.live or {}).get("coverage") or {}

    @property
    def term_coverage_percent(self) -> float | None:
        """Coverage of the term's units, from the live figures."""
        total = self.live_coverage.get("targets_total")
        if not total:
            return None
        return round(100 * (self.live_coverage.get("targets_covered") or 0) / total, 1)

    @property
    def lights(self) -> dict[str, int]:
        return {light: int(((self.live or {}).get("items_by_light") or {}).get(light) or 0) for light in LIGHTS}

    @property
    def overdue_live(self) -> int | None:
        """Open rectification items past due plus transfers past their handling report's due date."""
        overdue = (self.live or {}).get("overdue")
        return None if overdue is None else int(overdue.get("items") or 0) + int(overdue.get("transfers") or 0)

    @property
    def overdue_shown(self) -> int | None:
        """The overdue figure of the county's row: its live count once the live figures arrived, before that the
        open overdue notices it reported (reminders.overdue), so a county on the daily path is not shown as "—"."""
        live = self.overdue_live
        if live is not None:
            return live
        return self.overdue_count or None

    @property
    def stages(self) -> list[tuple[str, str, int]]:
        """(code, Chinese label, number) of the term's rounds by stage, in the rounds' order of stages."""
        counts = (self.live or {}).get("rounds_by_state") or {}
        return [(state.value, str(state.label), int(counts[state.value])) for state in RoundState if counts.get(state)]

    @property
    def trend(self) -> list[tuple[str, int, int]]:
        """(month, findings, items closed), oldest month first; the month as the county sent it ("2026-01")."""
        return [
            (month, int(values.get("findings") or 0), int(values.get("closed") or 0))
            for month, values in sorted(((self.live or {}).get("trend") or {}).items())
        ]

    @property
    def trend_shown(self) -> list[tuple[str, str, int, int]]:
        """(month, the month as a person reads it, findings, items closed): "2026年1月" in zh-hans."""
        return [(month, month_label(month), findings, closed) for month, findings, closed in self.trend]

    @property
    def rounds(self) -> list[dict]:
        """The county's rounds, each with `state_label` (its state by name, never the stored code)."""
        return [
            dict(r, state_label=RoundState(r["state"]).label if r.get("state") in RoundState.values else "—")
            for r in (self.statistics or {}).get("rounds") or []
        ]


@dataclass(frozen=True)
class OversightArrivals:
    """The city's counties (code, name) and when it last received anything from each: what the county section of
    the oversight page is made of, so a new arrival (or a new county) is a new section."""

    counties: tuple[tuple[str, str], ...]
    last_sync: Mapping[str, Any]


def oversight_arrivals(*, organization) -> OversightArrivals:
    """Two statements: the counties, and one index probe per county for its newest replica."""
    counties = tuple(organization.children.order_by("code").values_list("code", "name"))
    return OversightArrivals(counties, last_received_by_source(sources=[code for code, _name in counties]))


def oversight_rows(
    *, organization, year: int, code: str | None = None, arrivals: OversightArrivals | None = None
) -> list[CountyOversight]:
    """The city's view of each county (or of the one county `code`), from what the counties sent up
    (replicas only): a fixed number of queries whatever the number of counties (two fewer given the `arrivals`
    already read)."""
    if arrivals is not None and code is None:
        children = [Organization(code=county, name=name) for county, name in arrivals.counties]
    else:
        queryset = organization.children.order_by("code")
        children = list(queryset.filter(code=code) if code is not None else queryset)
    codes = [child.code for child in children]
    statistics = replicas_by_source(record_type=STATISTICS, sources=codes, key=str(year))
    # Open items only (the body sent no resolution date), counted in SQL; the page lists the earliest few.
    overdue_count = replica_count_by_source(record_type=OVERDUE, sources=codes, blank=["resolved_on"])
    overdue = replicas_first_by_source(
        record_type=OVERDUE, sources=codes, order_field="due_date", limit=OVERDUE_SHOWN, blank=["resolved_on"]
    )
    last_sync = arrivals.last_sync if arrivals is not None and code is None else last_received_by_source(sources=codes)
    live = replicas_by_source(record_type=LIVE_STATISTICS, sources=codes, key=LIVE_KEY)
    return [
        CountyOversight(
            code=child.code,
            name=child.name,
            statistics=dict(statistics[child.code].body) if child.code in statistics else None,
            statistics_received_at=statistics[child.code].received_at if child.code in statistics else None,
            overdue=[dict(view.body) for view in overdue.get(child.code, [])],
            overdue_count=overdue_count.get(child.code, 0),
            last_sync=last_sync.get(child.code),
            live=dict(live[child.code].body) if child.code in live else None,
            live_received_at=live[child.code].received_at if child.code in live else None,
        )
        for child in children
    ]


def county_oversight_get(*, organization, code: str, year: int) -> CountyOversight | None:
    """One county of the city (None when `code` is not one of its counties)."""
    found = oversight_rows(organization=organization, year=year, code=code)
    return found[0] if found else None


def county_rounds(*, access, code: str):
    """The county's rounds as the city holds them (rounds.round replicas, up to the reader's clearance), newest
    first, not yet read (a page at a time)."""
    return replica_rows(record_type=ROUND, sources=[code], clearance=access.clearance, order="newest")


def county_overdue_notices(*, access, code: str):
    """The county's open overdue notices (reminders.overdue replicas), not yet read."""
    return replica_rows(
        record_type=OVERDUE, sources=[code], clearance=access.clearance, blank=["resolved_on"], order="received"
    )


def county_round_row(*, replica: ReplicaView, today: str) -> dict:
    """A county's round as the drill-down lists it: the fields it shared, its kind and stage by name
    (never the stored code), and how many of its open items are past due today."""
    body = replica.body
    stage = body.get("stage") or body.get("status")
    kind = body.get("kind")
    return {
        **body,
        "key": replica.record_key,
        "stage_label": RoundState(stage).label if stage in RoundState.values else "—",
        "kind_label": RoundKind(kind).label if kind in RoundKind.values else "—",
        "past_due": sum(1 for due in body.get("rectification_open_due") or [] if str(due) < today),
    }
