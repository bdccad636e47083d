"""The relay: publishes each organisation's outbox with publisher confirms, marks rows sent only
after the confirm, backs off on failure, and sleeps on LISTEN (woken by the NOTIFY that
outbox writes send on commit), polling only as a fallback."""

from __future__ import annotations

import logging
import select
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import psycopg2
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from shared.orgs.models import RemoteRoute
from sync.envelope import Envelope, envelope_encode
from sync.faults import failpoint
from sync.keys import KeyUnavailable, private_keys, public_keys
from sync.models import OutboxMessage
from sync.orgs import organizations, remote_routes
from sync.outbox import NOTIFY_CHANNEL
from sync.transport import Bus, BusUnavailable, Outgoing

if TYPE_CHECKING:
    import threading

    from shared.orgs.models import Organization

logger = logging.getLogger("xuncha.sync")

MAX_BACKOFF_SECONDS = 300


def backoff_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** min(attempts, 16), MAX_BACKOFF_SECONDS))


def message_encode(*, row: OutboxMessage, source_code: str) -> bytes:
    """The wire bytes of one outbox row of `source_code` as the relay publishes it: signed, its body
    sealed to the destination when classified (or as it was sealed when written)."""
    envelope = Envelope(
        message_id=str(row.message_id),
        record_type=row.record_type,
        schema_version=row.schema_version,
        source=source_code,
        destination=row.destination,
        record_key=row.record_key,
        version=row.version,
        classification=row.classification,
        tombstone=row.tombstone,
        body=row.body,
    )
    if row.sealed is not None:  # sealed when it was written: sign it as it is
        return envelope_encode(
            envelope=envelope, signing_key=private_keys(source_code).signing, recipient=None, sealed=row.sealed
        )
    recipient = public_keys(row.destination).sealing if row.body is not None and row.classification >= 2 else None
    return envelope_encode(envelope=envelope, signing_key=private_keys(source_code).signing, recipient=recipient)


# The NOTIFY payload that tells a relay the remote organisations' routes changed (a schema name never starts with "!").
ROUTES_CHANGED = "!routes"


def routes_changed_notify(**_signal: object) -> None:
    """An organisation or a peer was saved or deleted (connected in SyncConfig.ready): wake the relays to read the
    routes again, which they otherwise read once per sweep. NOTIFY is transactional: sent when the change commits."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, ROUTES_CHANGED])


def outbox_relay_batch(*, organization: Organization, bus: Bus, batch: int = 500) -> int:
    """Publish up to `batch` due rows of one organisation's outbox; returns how many were sent."""
    with schema_context(organization.schema_name):
        sent, error = _relay_batch(organization=organization, bus=bus, batch=batch, remote=remote_routes())
    if error is not None:  # raised only after the attempts/backoff were committed
        raise error
    return sent


def relay_pass(*, targets: list[Organization], bus: Bus, batch: int, remote: dict[str, tuple[str, str]]) -> set[str]:
    """One pass of the relay over `targets` with the remote routes read for the pass; returns the schemas with
    more rows waiting. The connection stays in the last organisation's schema afterwards (its search path still
    ends in public, where the relay's own lookups are): going back to public between two batches cost a
    `SET search_path` each way per batch, the larger part of a wake-up's statements."""
    more = set()
    for organization in targets:
        if connection.schema_name != organization.schema_name:  # type: ignore[attr-defined]
            connection.set_schema(organization.schema_name)  # type: ignore[attr-defined]
        sent, error = _relay_batch(organization=organization, bus=bus, batch=batch, remote=remote)
        if error is not None:
            raise error
        if sent >= batch:
            more.add(organization.schema_name)
    return more


def _relay_batch(
    *, organization: Organization, bus: Bus, batch: int, remote: dict[str, tuple[str, str]]
) -> tuple[int, BusUnavailable | None]:
    """One batch of the organisation whose schema the connection is in."""
    # Rows for an organisation reached by bundles wait in the outbox for `sync bundle export`. One reached over a
    # link has no queue here: AmqpBus publishes to it without declaring one, and the link's outgoing queue, bound
    # to its routing key (sync/links.py), takes it for the shovel (unroutable, so waiting in the outbox, while no
    # link is declared). The embedded transport has no links: its rows wait too.
    linked = {code for code, (route, _peer) in remote.items() if route == RemoteRoute.LINK}
    elsewhere = getattr(bus, "routed_elsewhere", None)
    if isinstance(elsewhere, set):
        elsewhere |= linked
        carried = [code for code in remote if code not in linked]
    else:
        carried = list(remote)
    with transaction.atomic():
        now = timezone.now()
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, next_attempt_at__lte=now)
            .exclude(destination__in=carried)
            .order_by("id")[:batch]
        )
        if not rows:
            return 0, None
        outgoing, failed = [], []
        for row in rows:
            try:
                outgoing.append(
                    (
                        row,
                        Outgoing(
                            row.destination, str(row.message_id), message_encode(row=row, source_code=organization.code)
                        ),
                    )
                )
            except KeyUnavailable:
                failed.append(row)
        error = None
        if outgoing:
            try:
                bus.publish([item for _, item in outgoing])
                failpoint("relay-after-publish")
            except BusUnavailable as exc:
                error = exc
                failed.extend(row for row, _ in outgoing)
                outgoing = []
        for row in failed:
            row.attempts += 1
            row.next_attempt_at = now + backoff_delay(row.attempts)
            row.last_error = ("bus: " + str(error))[:200] if error else "missing bus keys"
        if failed:
            OutboxMessage.objects.bulk_update(failed, ["attempts", "next_attempt_at", "last_error"])
        if outgoing:
            OutboxMessage.objects.filter(pk__in=[row.pk for row, _ in outgoing]).update(
                sent_at=timezone.now(), last_error=""
            )
        return len(outgoing), error


def notified(listener: Any, due: set[str]) -> set[str] | None:
    """`due` with the schemas whose outbox was written since (the NOTIFY payloads waiting on `listener`, read without
    blocking); None (sweep every organisation, routes read again) when a remote organisation's route changed."""
    listener.poll()
    payloads = {notify.payload for notify in listener.notifies}
    listener.notifies.clear()
    if ROUTES_CHANGED in payloads:
        return None
    return due | payloads


def relay_run(
    *, codes: list[str] | None, bus: Bus, stop: threading.Event, poll_seconds: float = 5.0, batch: int = 500
) -> None:
    """Run until `stop` is set (SIGTERM): publish every due outbox row of the organisations.

    A wake-up relays only the organisations whose outbox was written (the NOTIFY payload is the schema),
    so one busy county does not cost a query per organisation; every `poll_seconds` a full sweep picks up
    retries that have come due and anything written while the listener was down."""
    listener = None
    backoff = 0.5
    known: dict[str, Organization] = {}
    due: set[str] | None = None  # schemas to relay next; None = sweep every organisation
    remote: dict[str, tuple[str, str]] | None = None  # the remote routes: read at each sweep, not per batch
    next_sweep = 0.0
    while not stop.is_set():
        try:
            if listener is None:
                listener = psycopg2.connect(**connection.get_connection_params())
                listener.autocommit = True
                listener.cursor().execute(f"LISTEN {NOTIFY_CHANNEL}")
                due = None  # notifications sent while nobody listened are lost: sweep
            elif due:  # still busy: a route change notified meanwhile must not wait for the relay to be idle
                due = notified(listener, due)
            if due is None or time.monotonic() >= next_sweep or not due <= known.keys():
                known = {organization.schema_name: organization for organization in organizations(codes)}
                targets = list(known.values())
                remote = None
                next_sweep = time.monotonic() + poll_seconds
            else:
                targets = [known[schema] for schema in sorted(due)]
            if remote is None:
                remote = remote_routes()
            due = relay_pass(targets=targets, bus=bus, batch=batch, remote=remote)
            backoff = 0.5
            if due:
                continue
            if select.select([listener], [], [], max(0.0, next_sweep - time.monotonic()))[0]:
                due = notified(listener, due)
        except BusUnavailable as error:
            logger.warning("sync relay: broker unavailable (%s); retrying in %.1fs", error, backoff)
            due = None
            stop.wait(backoff)
            backoff = min(backoff * 2, 30)
        except (psycopg2.Error, DatabaseError) as error:
            logger.warning("sync relay: database unavailable (%s)", type(error).__name__)
            connection.close()
            if listener is not None:
                listener.close()
            listener = None
            stop.wait(1)
    if listener is not None:
        listener.close()
    bus.close()
