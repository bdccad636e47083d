"""The consumer: one queue per organisation, apply + inbox in the receiver's schema, ack after
commit; refused messages are dead-lettered with their reason. Messages that arrive together for one
organisation are applied in one transaction (messages_receive)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import connection

from sync.inbox import DEAD, Verdict, messages_receive
from sync.orgs import organizations

if TYPE_CHECKING:
    import threading

    from shared.orgs.models import Organization
    from sync.transport import Bus

logger = logging.getLogger("xuncha.sync")


def _refusal(verdict: Verdict) -> tuple[str, str] | None:
    return (verdict.reason, verdict.detail) if verdict.outcome == DEAD else None


def _handle_many(receiver: Organization, raws: list[bytes]) -> list[tuple[str, str] | Exception | None]:
    """One entry per message: None (applied, duplicate or stale), (reason, detail) for a dead letter, or
    the exception that kept it from being processed (to be put back)."""
    results = messages_receive(receiver=receiver, raws=raws)
    if any(isinstance(result, Exception) for result in results):
        connection.close()  # a broken connection is reopened for the redelivery; kept open otherwise
    return [result if isinstance(result, Exception) else _refusal(result) for result in results]


def consume_run(*, codes: list[str] | None, bus: Bus, stop: threading.Event, prefetch: int = 50) -> None:
    """Consume the queues of the given organisations (all when None) until `stop` is set."""
    receivers = {organization.code: organization for organization in organizations(codes)}
    try:
        bus.consume(receivers=receivers, handle_many=_handle_many, stop=stop, prefetch=prefetch)
    finally:
        bus.close()
