"""In-process delivery: what the relay and the consumers do for one hop, minus the transport.

    from sync.delivery import outbox_deliver, outbox_deliver_all

    verdicts = outbox_deliver(source=city, receivers=counties, record_type="guidance.document")
    carried = outbox_deliver_all(organizations=[city, *counties])

Each outbox row is encoded exactly as the relay sends it (signed, sealed where the relay seals) and received
exactly as a consumer receives it (verified, policy, inbox, the type's on_receive), one message at a time in
the outbox's order, and marked sent, so the relay does not send it again (were it sent, the inbox would answer
it as a duplicate). Rows for organisations outside `receivers` stay for the relay.

Used by the demo seed (`xuncha demo`: the counties' registries reach the city before the city staffs its
rounds from them, the city's campaign reaches the counties before they answer it) and by the tests
(`sync.testing.messages_deliver` is `outbox_deliver`). Production carries messages with the relay and the
consumers only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import timezone
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from sync import inbox
from sync.models import OutboxMessage
from sync.relay import message_encode


def outbox_deliver(
    *,
    source: Organization,
    receivers: Mapping[str, Organization] | Iterable[Organization],
    record_type: str | None = None,
    pending_only: bool = True,
    mark_sent: bool = True,
) -> list[inbox.Verdict]:
    """Deliver `source`'s outbox rows (only those of `record_type`, if given) addressed to one of
    `receivers` (organisations, or a mapping whose values are organisations); rows for anyone else
    stay where they are. By default only rows not yet sent, marked sent once encoded (as the relay
    does); `pending_only=False, mark_sent=False` delivers every row again each time (redeliveries,
    which the inbox answers as duplicates). Returns one verdict per delivered row, in order."""
    organizations = receivers.values() if isinstance(receivers, Mapping) else receivers
    by_code = {organization.code: organization for organization in organizations}
    with schema_context(source.schema_name):
        rows = OutboxMessage.objects.filter(destination__in=list(by_code)).order_by("id")
        if record_type is not None:
            rows = rows.filter(record_type=record_type)
        if pending_only:
            rows = rows.filter(sent_at__isnull=True)
        chosen = list(rows)
        encoded = [(row.destination, message_encode(row=row, source_code=source.code)) for row in chosen]
        if mark_sent:
            OutboxMessage.objects.filter(pk__in=[row.pk for row in chosen]).update(sent_at=timezone.now())
    return [inbox.message_receive(receiver=by_code[destination], raw=raw) for destination, raw in encoded]


def outbox_deliver_all(*, organizations: Iterable[Organization], passes: int = 10) -> int:
    """Carry every pending message among `organizations` (each one's outbox to the others), again while a
    pass delivered something (an arrival can queue an answer: a replica's on_receive, a receipt), at most
    `passes` times. Messages to anyone outside `organizations` wait for the relay. Returns how many were
    delivered."""
    members = list(organizations)
    delivered = 0
    for _pass in range(passes):
        carried = sum(len(outbox_deliver(source=source, receivers=members)) for source in members)
        delivered += carried
        if not carried:
            break
    return delivered
