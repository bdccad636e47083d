"""A county's live figures for its city's oversight (县区督导): one state record per county,
`reports.live_statistics` (key `current`), re-sent after every transaction that moves a figure and
once a night (docs/SYNC.md "Live oversight", docs/REPORTING.md "Oversight").

Only counts travel: rounds by stage, coverage of the term's units, rectification items by light,
overdue items and transfers, transfers by state, and per month the findings recorded and the items
closed. No name, title or text of a case. A fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.apps import apps
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from tenants.ledger.services import GREEN, RED, YELLOW
from tenants.rectification.models import StatusThresholds
from tenants.reports.summaries import coverage_snapshot
from tenants.rounds.models import Round

LIVE_KEY = "current"  # one record per county
TREND_MONTHS = 12  # the trend covers this month and the eleven before it

# The models whose saved rows move a figure (app label, model name): their saves queue one
# re-publication per county per transaction (tenants/reports/receivers.py).
FIGURE_MODELS = (
    ("rounds", "Round"),
    ("rounds", "TeamTarget"),
    ("targets", "Target"),
    ("findings", "Finding"),
    ("rectification", "Feedback"),
    ("rectification", "RectificationItem"),
    ("rectification", "StatusThresholds"),
    ("transfers", "Transfer"),
    ("office", "OfficeSettings"),
)


def trend_months(*, today: date) -> list[str]:
    """The trend's months, oldest first: "2025-12", …, "2026-11" for a day in November 2026."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - TREND_MONTHS + 1, index + 1)]


def month_label(month: str) -> str:
    """A trend month ("2026-01", as the body carries it) as a person reads it in the active language:
    YEAR_MONTH_FORMAT, "2026年1月" in zh-hans, "January 2026" in English."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    return date_format(first, "YEAR_MONTH_FORMAT")


def _by_month(rows, months: list[str]) -> dict[str, int]:
    counts = {month: 0 for month in months}
    for row in rows:
        key = row["month"].strftime("%Y-%m")
        if key in counts:
            counts[key] = row["number"]
    return counts


def live_snapshot(*, organization, today: date | None = None) -> dict:
    """The county's figures now (the body of its `reports.live_statistics` record)."""
    today = today or timezone.localdate()
    coverage = coverage_snapshot(organization=organization, today=today)
    cycle_start = date.fromisoformat(coverage["cycle_start"])
    term_rounds = Round.objects.filter(Q(onsite_start__gte=cycle_start) | Q(onsite_start__isnull=True))
    rounds_by_state = dict(term_rounds.values("state").annotate(number=Count("id")).values_list("state", "number"))
    months = trend_months(today=today)
    first_month = date.fromisoformat(f"{months[0]}-01")
    body: dict = {
        "rounds_by_state": {state: rounds_by_state[state] for state in sorted(rounds_by_state)},
        "coverage": coverage,
        "classification": 1,
    }
    if not all(apps.is_installed(f"tenants.{name}") for name in ("findings", "transfers", "rectification")):
        return body  # the in-round apps are absent here: their figures are unavailable, not zero
    Finding = apps.get_model("findings", "Finding")
    Transfer = apps.get_model("transfers", "Transfer")
    RectificationItem = apps.get_model("rectification", "RectificationItem")
    yellow = StatusThresholds.current().yellow_within_days
    open_ = ~Q(status="closed")
    items = RectificationItem.objects.aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status="closed")),
        red=Count("id", filter=open_ & Q(due_date__lt=today)),
        yellow=Count("id", filter=open_ & Q(due_date__gte=today, due_date__lte=today + timedelta(days=yellow))),
    )
    # By state, and (one statement) how many handed over are past their handling report's due date.
    by_state = Transfer.objects.values("status").annotate(
        number=Count("id"), overdue=Count("id", filter=Q(status="handed_over", feedback_due__lt=today))
    )
    transfers, transfers_overdue = {}, 0
    for row in by_state.order_by():
        transfers[row["status"]] = row["number"]
        transfers_overdue += row["overdue"]
    findings = (
        Finding.objects.filter(created_at__date__gte=first_month)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(number=Count("id"))
        .order_by()
    )
    closed = (
        RectificationItem.objects.filter(status="closed", verified_on__gte=first_month)
        .annotate(month=TruncMonth("verified_on"))
        .values("month")
        .annotate(number=Count("id"))
        .order_by()
    )
    findings_by_month, closed_by_month = _by_month(findings, months), _by_month(closed, months)
    body.update(
        items_by_light={
            RED: items["red"],
            YELLOW: items["yellow"],
            GREEN: items["total"] - items["red"] - items["yellow"],
        },
        items_total=items["total"],
        items_closed=items["closed"],
        overdue={"items": items["red"], "transfers": transfers_overdue},
        transfers_by_state={state: transfers[state] for state in sorted(transfers)},
        trend={month: {"findings": findings_by_month[month], "closed": closed_by_month[month]} for month in months},
    )
    return body
