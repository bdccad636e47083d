"""Summaries generated from the data (never typed twice): per round and per period, for the office
alone and, for a city, with its counties. The county part comes only from the statistics each
county sent up over the bus (sync.Replica rows of "reports.statistics"), never from a county schema.

The in-round records (findings, clues, transfers, rectification) belong to apps that may be absent
in a deployment; their counts are then reported as unavailable rather than as zero.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sync.replicas import replicas_by_source
from tenants.office.models import CoverageMode, OfficeSettings
from tenants.reminders.selectors import overdue_open_count
from tenants.reports.sharing import bus_installed
from tenants.rounds.models import Round, TeamTarget
from tenants.targets.models import Target

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")
STATISTICS_RECORD_TYPE = "reports.statistics"

COUNT_FIELDS = (
    "rounds",
    "targets_covered",
    "findings",
    "fixed_on_the_spot",
    "on_deadline_list",
    "clues_transferred",
    "transfers",
    "transfers_handled",
    "transfers_pending",
    "rectification_items",
    "rectification_closed",
)


@dataclass
class Summary:
    """Counts as seed 003 reports them."""

    rounds: int = 0
    targets_covered: int = 0
    findings: int = 0
    findings_by_category: dict[str, int] = field(default_factory=dict)
    fixed_on_the_spot: int = 0
    on_deadline_list: int = 0  # findings put on a rectification list with a deadline (限期整改)
    clues_transferred: int = 0  # clues handed over to 纪委监委 / 组织部 (count only, never content)
    transfers: int = 0  # all transfers handed over (clues and issues)
    transfers_handled: int = 0  # handling reported back
    transfers_pending: int = 0  # handed over, handling not yet reported
    rectification_items: int = 0
    rectification_closed: int = 0
    in_round_data: bool = True  # False when the in-round apps are not installed here

    @property
    def rectification_completion(self) -> float | None:
        if not self.rectification_items:
            return None
        return round(100 * self.rectification_closed / self.rectification_items, 1)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rectification_completion"] = self.rectification_completion
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Summary:
        summary = cls(in_round_data=bool(data.get("in_round_data", True)))
        for name in COUNT_FIELDS:
            setattr(summary, name, int(data.get(name) or 0))
        summary.findings_by_category = {str(k): int(v) for k, v in (data.get("findings_by_category") or {}).items()}
        return summary

    def __add__(self, other: Summary) -> Summary:
        total = Summary(in_round_data=self.in_round_data and other.in_round_data)
        for name in COUNT_FIELDS:
            setattr(total, name, getattr(self, name) + getattr(other, name))
        categories = dict(self.findings_by_category)
        for name, number in other.findings_by_category.items():
            categories[name] = categories.get(name, 0) + number
        total.findings_by_category = categories
        return total


def period_bounds(period: str) -> tuple[date, date]:
    """2026 → the year; 2026-Q3 → the quarter; 2026-07 → the month (both ends included)."""
    match = PERIOD_RE.match(period or "")
    if not match:
        raise ValidationError({"period": _("Use a period like 2026, 2026-Q3 or 2026-07.")})
    year = int(match["year"])
    if match["quarter"]:
        first_month = (int(match["quarter"]) - 1) * 3 + 1
        last_month = first_month + 2
    elif match["month"]:
        first_month = last_month = int(match["month"])
    else:
        first_month, last_month = 1, 12
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return date(year, first_month, 1), date.fromordinal(end.toordinal() - 1)


def _in_round_apps_installed() -> bool:
    return all(apps.is_installed(f"tenants.{name}") for name in ("findings", "transfers", "rectification"))


def rounds_in_period(*, period: str):
    """Rounds whose on-site work started within the period (a round belongs to one period only)."""
    start, end = period_bounds(period)
    return Round.objects.filter(onsite_start__gte=start, onsite_start__lte=end)


def _in_round_records(round_ids):
    """The rounds' findings, rectification items and handed-over transfers (querysets)."""
    Finding = apps.get_model("findings", "Finding")
    Transfer = apps.get_model("transfers", "Transfer")
    RectificationItem = apps.get_model("rectification", "RectificationItem")
    return (
        Finding.objects.filter(round_id__in=round_ids),
        RectificationItem.objects.filter(feedback__round_id__in=round_ids),
        Transfer.objects.filter(round_id__in=round_ids).exclude(status="awaiting"),
    )


def summary_for_rounds(*, round_ids) -> Summary:
    """The counts over the given rounds of the current organisation's schema."""
    round_ids = list(round_ids)
    summary = Summary(rounds=len(round_ids))
    summary.targets_covered = TeamTarget.objects.filter(round_id__in=round_ids).values("target_id").distinct().count()
    if not _in_round_apps_installed():
        summary.in_round_data = False
        return summary
    findings, items, handed_over = _in_round_records(round_ids)
    summary.findings = findings.count()
    summary.fixed_on_the_spot = findings.filter(fixed_on_spot=True).count()
    summary.findings_by_category = {
        row["category__name"]: row["number"]
        for row in findings.values("category__name").annotate(number=Count("id")).order_by("category__name")
    }
    summary.rectification_items = items.count()
    summary.rectification_closed = items.filter(status="closed").count()
    summary.on_deadline_list = items.exclude(finding=None).values("finding_id").distinct().count()
    summary.transfers = handed_over.count()
    summary.clues_transferred = handed_over.exclude(clue=None).values("clue_id").distinct().count()
    summary.transfers_handled = handed_over.filter(status="reported").count()
    summary.transfers_pending = handed_over.filter(status="handed_over").count()
    return summary


def round_summary(*, round_id: int) -> Summary:
    return summary_for_rounds(round_ids=[round_id])


def summaries_by_round(*, round_ids) -> dict[int, Summary]:
    """round_summary of each round, in a fixed number of grouped queries whatever the number of rounds."""
    round_ids = list(round_ids)
    result = {pk: Summary(rounds=1) for pk in round_ids}
    if not round_ids:
        return result

    def per_round(queryset, field, *, distinct=None):
        count = Count(distinct, distinct=True) if distinct else Count("id")
        return {row[field]: row["number"] for row in queryset.values(field).annotate(number=count).order_by(field)}

    for pk, number in per_round(
        TeamTarget.objects.filter(round_id__in=round_ids), "round_id", distinct="target_id"
    ).items():
        result[pk].targets_covered = number
    if not _in_round_apps_installed():
        for summary in result.values():
            summary.in_round_data = False
        return result
    findings, items, handed_over = _in_round_records(round_ids)
    counts = (
        ("findings", per_round(findings, "round_id")),
        ("fixed_on_the_spot", per_round(findings.filter(fixed_on_spot=True), "round_id")),
        ("rectification_items", per_round(items, "feedback__round_id")),
        ("rectification_closed", per_round(items.filter(status="closed"), "feedback__round_id")),
        ("on_deadline_list", per_round(items.exclude(finding=None), "feedback__round_id", distinct="finding_id")),
        ("transfers", per_round(handed_over, "round_id")),
        ("clues_transferred", per_round(handed_over.exclude(clue=None), "round_id", distinct="clue_id")),
        ("transfers_handled", per_round(handed_over.filter(status="reported"), "round_id")),
        ("transfers_pending", per_round(handed_over.filter(status="handed_over"), "round_id")),
    )
    for name, by_round in counts:
        for pk, number in by_round.items():
            setattr(result[pk], name, number)
    for row in (
        findings.values("round_id", "category__name")
        .annotate(number=Count("id"))
        .order_by("round_id", "category__name")
    ):
        result[row["round_id"]].findings_by_category[row["category__name"]] = row["number"]
    return result


def period_summary(*, period: str) -> Summary:
    return summary_for_rounds(round_ids=rounds_in_period(period=period).values_list("id", flat=True))


@dataclass
class CountyPart:
    code: str
    name: str
    summary: Summary | None  # None: that county has not sent statistics for the period
    received_at: object = None


@dataclass
class CombinedSummary:
    own: Summary
    counties: list[CountyPart]

    @property
    def total(self) -> Summary:
        total = self.own
        for part in self.counties:
            if part.summary is not None:
                total = total + part.summary
        return total

    @property
    def missing(self) -> list[CountyPart]:
        return [part for part in self.counties if part.summary is None]


def county_statistics(*, organization, period: str) -> list[CountyPart]:
    """What each child organisation last sent up for `period` (bus replicas in the current schema)."""
    period_bounds(period)
    children = list(organization.children.order_by("code"))
    if not bus_installed():
        return [CountyPart(code=child.code, name=child.name, summary=None) for child in children]

    replicas = replicas_by_source(
        record_type=STATISTICS_RECORD_TYPE, sources=[child.code for child in children], key=period
    )
    parts = []
    for child in children:
        replica = replicas.get(child.code)
        summary = Summary.from_dict(replica.body.get("counts") or {}) if replica else None
        parts.append(
            CountyPart(
                code=child.code, name=child.name, summary=summary, received_at=replica.received_at if replica else None
            )
        )
    return parts


def combined_period_summary(*, organization, period: str) -> CombinedSummary:
    return CombinedSummary(
        own=period_summary(period=period), counties=county_statistics(organization=organization, period=period)
    )


def coverage_snapshot(*, organization, today: date | None = None) -> dict:
    """Targets this office manages and how many were inspected within the current coverage cycle."""
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
    targets = Target.objects.filter(is_active=True, managing_org_code=organization.code).aggregate(
        total=Count("id"), covered=Count("id", filter=Q(last_inspected_on__gte=cycle_start))
    )  # one statement: the live figures read this after every change that moves them
    return {
        "cycle_start": cycle_start.isoformat(),
        "cycle_years": office.coverage_cycle_years,
        "targets_total": targets["total"],
        "targets_covered": targets["covered"],
    }


def period_rounds(*, period: str) -> list[dict]:
    """The period's rounds as a summary and the statistics list them: name, kind, state, on-site dates."""
    return [
        {
            "name": r.name,
            "kind": r.kind,
            "state": r.state,
            "onsite_start": r.onsite_start.isoformat() if r.onsite_start else None,
            "onsite_end": r.onsite_end.isoformat() if r.onsite_end else None,
        }
        for r in rounds_in_period(period=period).order_by("onsite_start", "id")
    ]


def statistics_snapshot(*, organization, period: str) -> dict:
    return {
        "period": period,
        "counts": period_summary(period=period).as_dict(),
        "coverage": coverage_snapshot(organization=organization),
        "rounds": period_rounds(period=period),
        "overdue_open": overdue_open_count(),
        "generated_at": timezone.now().isoformat(),
        "classification": 1,
    }
