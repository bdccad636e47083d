"""In-process delivery for tests: what the relay and the consumers do, minus the transport.

    from sync.testing import messages_deliver

    verdicts = messages_deliver(source=city, receivers=orgs.values(), record_type="guidance.document")

Each outbox row is encoded exactly as the relay sends it (signed, sealed where the relay seals) and
received exactly as a consumer receives it (verified, policy, inbox, the type's on_receive), one
message at a time in the outbox's order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

from django.utils import timezone
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from sync import inbox
from sync.models import OutboxMessage
from sync.relay import message_encode
from sync.transport import AmqpBus, Handle, HandleMany


def messages_deliver(
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


def queue_consume(
    *,
    consumer: AmqpBus,
    receiver: Organization,
    stop: threading.Event,
    handle: Handle | None = None,
    handle_many: HandleMany | None = None,
    timeout: float = 30,
) -> None:
    """Consume `receiver`'s queue in this thread (so inside the test's transaction) until the handler sets
    `stop`, or `timeout` seconds at most (never hang the suite); then the consumer's connection is closed,
    so whatever it had not acked goes back to the queue."""
    timer = threading.Timer(timeout, stop.set)
    timer.start()
    try:
        consumer.consume(receivers={receiver.code: receiver}, handle=handle, handle_many=handle_many, stop=stop)
    finally:
        timer.cancel()
        consumer.close()
