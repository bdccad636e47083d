"""The consumer: one queue per organisation, apply + inbox in the receiver's schema, ack after
commit; refused messages are dead-lettered with their reason."""

from __future__ import annotations

from django.db import connection

from sync.inbox import DEAD, message_receive
from sync.orgs import organizations


def _handle(receiver, raw: bytes):
    try:
        verdict = message_receive(receiver=receiver, raw=raw)
    except Exception:
        connection.close()  # a broken connection is reopened for the redelivery; kept open otherwise
        raise
    if verdict.outcome == DEAD:
        return verdict.reason, verdict.detail
    return None


def consume_run(*, codes: list[str] | None, bus, stop, prefetch: int = 50) -> None:
    """Consume the queues of the given organisations (all when None) until `stop` is set."""
    receivers = {organization.code: organization for organization in organizations(codes)}
    try:
        bus.consume(receivers=receivers, handle=_handle, stop=stop, prefetch=prefetch)
    finally:
        bus.close()
