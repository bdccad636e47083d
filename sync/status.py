"""The operators' view: outbox backlog, queue depth, lag, dead letters and last sync per
organisation (counts and times only, never record contents)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Max, Min
from django.utils import timezone
from django_tenants.utils import schema_context

from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica
from sync.orgs import organizations

if TYPE_CHECKING:
    from shared.orgs.models import Organization
    from sync.transport import Bus


@dataclass(frozen=True)
class OrgSyncStatus:
    code: str
    name: str
    outbox_backlog: int
    failing: int
    lag_seconds: float | None  # age of the oldest unsent outbox row
    last_sent_at: datetime | None
    queue_depth: int | None  # None: the broker could not be asked
    dead_letters: int
    replicas: int
    last_received_at: datetime | None


def org_sync_status(*, organization: Organization, bus: Bus | None = None) -> OrgSyncStatus:
    with schema_context(organization.schema_name):
        pending = OutboxMessage.objects.filter(sent_at__isnull=True)
        oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
        status = OrgSyncStatus(
            code=organization.code,
            name=organization.name,
            outbox_backlog=pending.count(),
            failing=pending.filter(attempts__gt=0).count(),
            lag_seconds=(timezone.now() - oldest).total_seconds() if oldest else None,
            last_sent_at=OutboxMessage.objects.aggregate(last=Max("sent_at"))["last"],
            queue_depth=bus.queue_depth(organization.code) if bus is not None else None,
            dead_letters=DeadLetter.objects.count(),
            replicas=Replica.objects.count(),
            last_received_at=InboxMessage.objects.aggregate(last=Max("received_at"))["last"],
        )
    return status


def status_rows(*, codes: list[str] | None = None, bus: Bus | None = None) -> list[OrgSyncStatus]:
    try:
        return [org_sync_status(organization=org, bus=bus) for org in organizations(codes)]
    finally:
        if bus is not None:
            bus.close()


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def status_table(rows: list[OrgSyncStatus]) -> str:
    header = (
        f"{'org':<7}{'backlog':>8}{'failing':>8}{'lag s':>8}{'queue':>7}{'dead':>6}{'replicas':>9}"
        f"  {'last sent':<20}{'last received':<20}"
    )
    lines = [header]
    for row in rows:
        lag = f"{row.lag_seconds:.0f}" if row.lag_seconds is not None else "-"
        depth = "?" if row.queue_depth is None else str(row.queue_depth)
        lines.append(
            f"{row.code:<7}{row.outbox_backlog:>8}{row.failing:>8}{lag:>8}{depth:>7}{row.dead_letters:>6}"
            f"{row.replicas:>9}  {_when(row.last_sent_at):<20}{_when(row.last_received_at):<20}"
        )
    return "\n".join(lines)
