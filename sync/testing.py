"""In-process delivery for tests: what the relay and the consumers do, minus the transport.

    from sync.testing import messages_deliver

    verdicts = messages_deliver(source=city, receivers=orgs.values(), record_type="guidance.document")

Each outbox row is encoded exactly as the relay sends it (signed, sealed where the relay seals) and
received exactly as a consumer receives it (verified, policy, inbox, the type's on_receive), one
message at a time in the outbox's order. It is `sync.delivery.outbox_deliver` (public, documented there);
`sync.delivery.outbox_deliver_all` carries everything pending among a set of organisations.
"""

from __future__ import annotations

import threading

from shared.orgs.models import Organization
from sync.delivery import outbox_deliver
from sync.transport import AmqpBus, Handle, HandleMany

# The tests' name for the public in-process delivery (sync/delivery.py), which the demo seed uses too.
messages_deliver = outbox_deliver


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
