"""The consumer: one queue per organisation, apply + inbox in the receiver's schema, ack after
commit; refused messages are dead-lettered with their reason. Messages that arrive together for one
organisation are applied in one transaction (messages_receive)."""

from __future__ import annotations

import logging
import zlib
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


def messages_handle(receiver: Organization, raws: list[bytes]) -> list[tuple[str, str] | Exception | None]:
    """What a consumer does with a batch of one organisation's messages (the transports' handle_many).
    One entry per message: None (applied, duplicate or stale), (reason, detail) for a dead letter, or
    the exception that kept it from being processed (to be put back)."""
    results = messages_receive(receiver=receiver, raws=raws)
    if any(isinstance(result, Exception) for result in results):
        connection.close()  # a broken connection is reopened for the redelivery; kept open otherwise
    return [result if isinstance(result, Exception) else _refusal(result) for result in results]


def partition_of(code: str, partitions: int) -> int:
    """The partition (0 .. partitions-1) an organisation's queue belongs to: a stable hash of its code, the
    same in every process, so K consumer processes started with --partition 0/K .. K-1/K share the
    organisations between them without a list (and a new organisation falls into one of them)."""
    return zlib.crc32(code.encode()) % partitions


def consume_run(
    *,
    codes: list[str] | None,
    bus: Bus,
    stop: threading.Event,
    prefetch: int = 50,
    workers: int = 0,
    partition: tuple[int, int] | None = None,
) -> None:
    """Consume the queues of the given organisations (all when None; of those, only partition (i, K) when
    given) until `stop` is set, applying each organisation's batches on `workers` threads (docs/SYNC.md)."""
    receivers = {
        organization.code: organization
        for organization in organizations(codes)
        if partition is None or partition_of(organization.code, partition[1]) == partition[0]
    }
    try:
        bus.consume(receivers=receivers, handle_many=messages_handle, stop=stop, prefetch=prefetch, workers=workers)
    finally:
        bus.close()
