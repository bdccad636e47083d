"""The two transports behind one small interface.

AmqpBus (RabbitMQ, production): a topic exchange `<prefix>`, one durable quorum queue per
organisation `<prefix>.org.<code>` bound to `org.<code>`, with `x-dead-letter-exchange`
`<prefix>.dlx` and a delivery limit, so a message that keeps failing ends in the dead-letter
queue `<prefix>.dead` instead of being dropped. Publishing is batched with publisher confirms
(mandatory, so an unroutable message counts as a failure). kombu's Connection handles the URL and
connecting; the AMQP channel underneath (py-amqp) is used directly because kombu's Producer waits
for each confirm in turn and ConsumerMixin acks undecodable messages: here bodies are raw bytes and
every refusal is dead-lettered explicitly, with its reason.

PostgresBus (embedded, no broker): the same queues as rows of public.buskeys_embeddedmessage,
leased with FOR UPDATE SKIP LOCKED, deleted as the ack, woken by NOTIFY. Works across processes
and survives crashes (an expired lease is delivered again). docs/SYNC.md says why not kombu's
filesystem transport.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import select
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import amqp
import kombu
import psycopg2
from django.conf import settings
from django.db import close_old_connections, connections
from django.db import connection as django_connection
from django.utils.translation import gettext_noop
from kombu.exceptions import KombuError

from sync.envelope import MAX_MESSAGE_BYTES, SEAL_FROM_CLASSIFICATION, EnvelopeError, envelope_parse, office_text
from sync.faults import failpoint

if TYPE_CHECKING:
    from shared.orgs.models import Organization

logger = logging.getLogger("xuncha.sync")

DELIVERY_LIMIT = 20
# The dead-letter queue is bounded: at most this many messages (the oldest dropped first) and each
# kept this long; sync.DeadLetter in the receiver's schema keeps the reason and fingerprint for good.
DEAD_MAX_LENGTH = 10_000
DEAD_MAX_AGE_MS = 30 * 24 * 3600 * 1000
CONTENT_TYPE = "application/x-xuncha-envelope"
BUS_NOTIFY_CHANNEL = "xuncha_bus"


class BusUnavailable(Exception):
    """The broker could not take or confirm a publish; retry later."""


@dataclass(frozen=True)
class Outgoing:
    destination: str
    message_id: str
    body: bytes


@dataclass
class Delivery:
    receiver_code: str
    body: bytes
    redelivered: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def sync_prefix() -> str:
    return getattr(settings, "XUNCHA_SYNC_PREFIX", "xuncha.sync")


def dead_max_length() -> int:
    return int(getattr(settings, "XUNCHA_SYNC_DEAD_MAX_LENGTH", DEAD_MAX_LENGTH))


def dead_letter_body(body: bytes) -> bytes:
    """What the dead-letter queue keeps of a refused message: the raw bytes, except for a message
    classified 秘密 or above or one too large to be a message at all, of which it keeps nothing (the
    fingerprint and the reason travel in the headers, and sync.DeadLetter has the addressing)."""

    if len(body) > MAX_MESSAGE_BYTES:
        return b""
    try:
        _fields, header, _signature = envelope_parse(body)
    except EnvelopeError:
        return body
    return b"" if header.classification >= SEAL_FROM_CLASSIFICATION else body


def dead_letter_headers(*, receiver_code: str, body: bytes, reason: str, detail: str) -> dict[str, str | int]:
    return {
        "x-xuncha-reason": reason,
        "x-xuncha-detail": detail[:300],
        "x-xuncha-receiver": receiver_code,
        "x-xuncha-fingerprint": hashlib.sha256(body).hexdigest(),
        "x-xuncha-size": len(body),
    }


# Handler: (receiver_code, raw bytes) -> "dead:<reason>:<detail>" handled by caller, or None.
Handler = Callable[[str, bytes], "tuple[str, str] | None"]
# A consumer's handlers: for each message None (done), (reason, detail) to dead-letter it, or (handle_many
# only) the exception that kept it from being processed (put back).
Handle = Callable[["Organization", bytes], "tuple[str, str] | None"]
HandleMany = Callable[["Organization", list[bytes]], Sequence["tuple[str, str] | Exception | None"]]


# --------------------------------------------------------------------------------------------
class AmqpBus:
    kind = "rabbitmq"

    def __init__(self, url: str, prefix: str | None = None):

        self.url = url
        self.prefix = prefix or sync_prefix()
        self._kombu: Any = kombu
        self._connection: Any = None  # kombu's Connection
        self._channel: Any = None  # a py-amqp Channel
        self._unconfirmed: set[int] = set()
        self._failed: list[str] = []
        self._seq = 0
        self._declared: set[str] = set()
        self._dead_letters: AmqpBus | None = None
        # Organisations of a linked peer deployment (sync/links.py): no queue of theirs is declared here; what
        # is published to them is routed by the bindings of the link's outgoing queue (or is unroutable, and
        # waits in the outbox, while there is no link).
        self.routed_elsewhere: set[str] = set()

    # names
    @property
    def exchange(self) -> str:
        return self.prefix

    @property
    def dead_exchange(self) -> str:
        return f"{self.prefix}.dlx"

    @property
    def dead_queue(self) -> str:
        return f"{self.prefix}.dead"

    def queue_name(self, code: str) -> str:
        return f"{self.prefix}.org.{code}"

    # connection
    def _connect(self) -> Any:
        if self._connection is None:
            connection = self._kombu.Connection(self.url, connect_timeout=5, heartbeat=0)
            connection.ensure_connection(max_retries=1)
            self._connection = connection
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection may fail; it is gone either way
                self._connection.release()
        self._connection = self._channel = None
        if self._dead_letters is not None:
            self._dead_letters.close()
        self._declared.clear()
        self._unconfirmed.clear()

    def _raw(self) -> Any:
        return self._connect().connection  # the py-amqp Connection

    def _declare_base(self, channel: Any) -> None:
        channel.exchange_declare(self.exchange, "topic", durable=True, auto_delete=False)
        channel.exchange_declare(self.dead_exchange, "topic", durable=True, auto_delete=False)
        self._declare_dead_queue()
        channel.queue_bind(self.dead_queue, self.dead_exchange, "#")

    def _declare_dead_queue(self) -> None:
        """Declared bounded (length, drop-head, and age: quorum queues take all three since RabbitMQ
        3.10) on a channel of its own: a dead-letter queue declared before the bound existed refuses
        other arguments with PRECONDITION_FAILED, which closes the channel; then it is used as it is
        and the operator bounds it with a policy (docs/SYNC.md)."""

        channel = self._raw().channel()
        try:
            channel.queue_declare(
                self.dead_queue,
                durable=True,
                auto_delete=False,
                arguments={
                    "x-queue-type": "quorum",
                    "x-max-length": dead_max_length(),
                    "x-overflow": "drop-head",
                    "x-message-ttl": DEAD_MAX_AGE_MS,
                },
            )
        except amqp.exceptions.PreconditionFailed:
            logger.warning(
                "sync: the dead-letter queue %s exists with other arguments; bound it with a policy", self.dead_queue
            )
            return
        channel.close()

    def _declare_queue(self, channel: Any, code: str) -> None:
        channel.queue_declare(
            self.queue_name(code),
            durable=True,
            auto_delete=False,
            arguments={
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": self.dead_exchange,
                "x-dead-letter-routing-key": f"dead.{code}",
                "x-delivery-limit": DELIVERY_LIMIT,
            },
        )
        channel.queue_bind(self.queue_name(code), self.exchange, f"org.{code}")

    def declare(self, codes: Iterable[str]) -> None:
        try:
            channel = self._publish_channel()
            for code in codes:
                if code not in self._declared and code not in self.routed_elsewhere:
                    self._declare_queue(channel, code)
                    self._declared.add(code)
        except self._errors() as error:
            self.close()
            raise BusUnavailable(type(error).__name__) from error

    def declare_link(self, *, queue: str, codes: Iterable[str]) -> None:
        """A link's outgoing queue (sync/links.py), bound to each of the peer's organisations' routing keys: what
        the relay publishes for them waits there for the shovel. No dead-lettering here: nothing consumes it but
        the shovel, and the peer's consumer dead-letters what it refuses."""
        try:
            channel = self._publish_channel()
            channel.queue_declare(queue, durable=True, auto_delete=False, arguments={"x-queue-type": "quorum"})
            for code in codes:
                channel.queue_bind(queue, self.exchange, f"org.{code}")
        except self._errors() as error:
            self.close()
            raise BusUnavailable(type(error).__name__) from error

    def delete_link(self, *, queue: str) -> None:
        """Tests: remove a link's outgoing queue."""
        channel = self._raw().channel()
        channel.queue_delete(queue)
        channel.close()

    def _errors(self, *more: type[Exception]) -> tuple[type[Exception], ...]:
        """What a broken connection to the broker raises (and `more`)."""

        return (OSError, *more, amqp.exceptions.AMQPError, amqp.exceptions.ConnectionError, socket.timeout, KombuError)

    def _publish_channel(self) -> Any:
        if self._channel is None:
            channel = self._raw().channel()
            self._declare_base(channel)
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
            channel.events["basic_return"].add(self._on_return)
            self._channel, self._seq = channel, 0
        return self._channel

    def _settle(self, tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed -= {t for t in self._unconfirmed if t <= tag}
        else:
            self._unconfirmed.discard(tag)

    def _on_ack(self, tag: int, multiple: bool) -> None:
        self._settle(tag, multiple)

    def _on_nack(self, tag: int, multiple: bool) -> None:
        self._failed.append("nacked")
        self._settle(tag, multiple)

    def _on_return(self, exc: Any, exchange: str, routing_key: str, message: Any) -> None:
        self._failed.append("unroutable")

    def publish(self, outgoing: list[Outgoing], *, timeout: float = 30.0) -> None:
        """Publish all and wait for the broker's confirms; raises BusUnavailable unless every
        message was confirmed (then none may be marked sent)."""

        if not outgoing:
            return
        self.declare({item.destination for item in outgoing})
        try:
            channel = self._publish_channel()
            self._failed = []
            for item in outgoing:
                message = amqp.Message(
                    item.body, content_type=CONTENT_TYPE, delivery_mode=2, message_id=item.message_id
                )
                channel.basic_publish(
                    message, exchange=self.exchange, routing_key=f"org.{item.destination}", mandatory=True
                )
                self._seq += 1
                self._unconfirmed.add(self._seq)
            self._wait_confirms(timeout)
        except self._errors() as error:
            self.close()
            raise BusUnavailable(type(error).__name__) from error
        if self._failed:
            raise BusUnavailable(",".join(sorted(set(self._failed))))

    def _wait_confirms(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self._unconfirmed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no publisher confirm")
            self._raw().drain_events(timeout=remaining)

    def dead_letter(self, *, receiver_code: str, body: bytes, reason: str, detail: str) -> None:

        try:
            channel = self._publish_channel()
            self._failed = []
            message = amqp.Message(
                dead_letter_body(body),
                content_type=CONTENT_TYPE,
                delivery_mode=2,
                application_headers=dead_letter_headers(
                    receiver_code=receiver_code, body=body, reason=reason, detail=detail
                ),
            )
            channel.basic_publish(
                message, exchange=self.dead_exchange, routing_key=f"dead.{receiver_code}", mandatory=True
            )
            self._seq += 1
            self._unconfirmed.add(self._seq)
            self._wait_confirms(30)
        except self._errors() as error:
            self.close()
            raise BusUnavailable(type(error).__name__) from error
        if self._failed:
            raise BusUnavailable(",".join(self._failed))

    def depth(self, queue: str) -> int | None:
        try:
            channel = self._raw().channel()
            try:
                _, count, _ = channel.queue_declare(queue, passive=True)
            finally:
                channel.close()
            return int(count)
        except self._errors():
            self.close()
            return None

    def queue_depth(self, code: str) -> int | None:
        return self.depth(self.queue_name(code))

    def dead_depth(self) -> int | None:
        return self.depth(self.dead_queue)

    def delete_everything(self, codes: Iterable[str]) -> None:
        """Tests: remove this prefix's exchanges and queues."""
        channel = self._raw().channel()
        for code in codes:
            channel.queue_delete(self.queue_name(code))
        channel.queue_delete(self.dead_queue)
        channel.exchange_delete(self.exchange)
        channel.exchange_delete(self.dead_exchange)
        channel.close()
        self.close()

    def consume(
        self,
        *,
        receivers: dict[str, Organization],
        stop: threading.Event,
        handle: Handle | None = None,
        handle_many: HandleMany | None = None,
        prefetch: int = 50,
        workers: int = 0,
    ) -> None:
        """Deliver messages of each receiver's queue until `stop` is set, as batches to
        handle_many(receiver, bodies) (or one by one to handle(receiver, body)); ack after it returns;
        reconnect with backoff when the broker goes away.

        Each organisation's queue is consumed on a channel of its own (its own prefetch window and
        delivery tags) and at most one batch per organisation is being handled at a time. With `workers`
        > 0 the batches are handled by that many threads (each with its own database connection), so an
        organisation whose apply is slow (a held lock, a long on_receive) holds up only its own queue;
        with 0 they are handled in this thread, one after the other (the tests' in-process consumers,
        inside the test's transaction). Every AMQP call stays in this thread: py-amqp's connection and
        channels are not thread-safe."""
        handle_many = handle_many or _one_by_one(handle)
        backoff = 0.5
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync-apply") if workers > 0 else None
        try:
            while not stop.is_set():
                try:
                    self._consume_once(
                        receivers=receivers, handle_many=handle_many, stop=stop, prefetch=prefetch, pool=pool
                    )
                    backoff = 0.5
                except self._errors(BusUnavailable) as error:
                    logger.warning("sync consumer: broker unavailable (%s); reconnecting", type(error).__name__)
                    self.close()
                    stop.wait(backoff)
                    backoff = min(backoff * 2, 10)
        finally:
            if pool is not None:
                pool.shutdown(wait=True)

    def _consume_once(
        self,
        *,
        receivers: dict[str, Organization],
        handle_many: HandleMany,
        stop: threading.Event,
        prefetch: int,
        pool: ThreadPoolExecutor | None,
    ) -> None:
        raw = self._raw()
        base = raw.channel()
        self._declare_base(base)
        base.close()
        channels: dict[str, Any] = {}
        arrived: dict[str, list[Any]] = {code: [] for code in receivers}
        for code in receivers:
            channel = raw.channel()
            # Batches of up to `prefetch`; a window of twice that lets the next batch arrive while one is applied.
            channel.basic_qos(0, 2 * prefetch, False)
            self._declare_queue(channel, code)
            channel.basic_consume(self.queue_name(code), callback=arrived[code].append)
            channels[code] = channel
        running: dict[str, tuple[Future[Sequence[tuple[str, str] | Exception | None]], list[Any]]] = {}
        # The I/O thread sleeps until the broker sends something or a worker finishes a batch (its future's
        # callback writes a byte to `wake`), never polling: select() on the AMQP socket and the wake socket.
        waker, wake = socket.socketpair()
        waker.setblocking(False)
        wake.setblocking(False)
        selector = selectors.DefaultSelector()
        selector.register(raw.sock, selectors.EVENT_READ)
        selector.register(wake, selectors.EVENT_READ)

        def woken(_future: Future[Any]) -> None:
            with contextlib.suppress(OSError):  # full (a wake-up is pending anyway) or closed (stopping)
                waker.send(b"\0")

        try:
            while not stop.is_set():
                done_already = any(future.done() for future, _batch in running.values())
                # Buffered TLS bytes are not seen by select(): read them without waiting.
                pending = getattr(raw.sock, "pending", lambda: 0)()
                ready = {key.fileobj for key, _ in selector.select(timeout=0 if done_already or pending else 1)}
                if wake in ready:
                    with contextlib.suppress(BlockingIOError):
                        while wake.recv(4096):
                            pass
                if raw.sock in ready or pending:
                    # Take everything that has arrived (never waiting for more).
                    with contextlib.suppress(TimeoutError):
                        while True:
                            raw.drain_events(timeout=0)
                elif not ready and not running:
                    raw.heartbeat_tick()
                for code, messages in arrived.items():
                    if messages and code not in running:
                        batch, messages[:] = messages[:prefetch], messages[prefetch:]
                        future = _submit(pool, handle_many, receivers[code], batch)
                        future.add_done_callback(woken)
                        running[code] = (future, batch)
                failed = False
                for code in [code for code, (future, _batch) in running.items() if future.done()]:
                    future, batch = running.pop(code)
                    failed |= self._batch_settle(channels[code], receivers[code], batch, _results(future, len(batch)))
                if failed:
                    stop.wait(1)  # the database is failing: give it a moment before the requeued come back
        finally:
            # Stopping (or the broker went away): let the batches being applied finish, so nothing is
            # applied twice at once after a reconnect; ack them if the connection still can.
            for code, (future, batch) in running.items():
                results = _results(future, len(batch)) if pool is None else _results_wait(future, len(batch))
                with contextlib.suppress(*self._errors(BusUnavailable)):
                    self._batch_settle(channels[code], receivers[code], batch, results)
            selector.close()
            waker.close()
            wake.close()

    def _batch_settle(
        self,
        channel: Any,
        receiver: Organization,
        batch: list[Any],
        results: Sequence[tuple[str, str] | Exception | None],
    ) -> bool:
        """After a batch's commit: dead-letter the refused, put back those that failed, then ack the rest with
        one multiple ack on the organisation's channel. True when any failed."""
        failed = False
        acked: list[int] = []
        for message, result in zip(batch, results, strict=True):
            if isinstance(result, Exception):  # the database failed, not the message (delivery limit applies)
                logger.error(
                    "sync consumer: failed to process a message for %s (%s); requeued",
                    receiver.code,
                    type(result).__name__,
                )
                channel.basic_reject(message.delivery_tag, requeue=True)
                failed = True
                continue
            if result is not None:
                reason, detail = result
                # A separate connection: waiting for its confirm must not re-enter this channel's deliveries.
                if self._dead_letters is None:
                    self._dead_letters = AmqpBus(self.url, self.prefix)
                self._dead_letters.dead_letter(
                    receiver_code=receiver.code, body=_body(message), reason=reason, detail=detail
                )
            acked.append(message.delivery_tag)
        failpoint("consumer-after-commit")
        if acked:
            # The batch is the only one unsettled on this channel and the rejected are settled already, so a
            # multiple ack up to the last tag acked covers exactly the rest. (Its tag must be one not yet
            # settled: RabbitMQ answers a multiple ack of a rejected tag with PRECONDITION_FAILED.)
            channel.basic_ack(max(acked), multiple=True)
        return failed


def _submit(
    pool: ThreadPoolExecutor | None, handle_many: HandleMany, receiver: Organization, batch: list[Any]
) -> Future[Sequence[tuple[str, str] | Exception | None]]:
    """handle_many on a worker thread, or at once in this one (without a pool)."""
    bodies = [_body(message) for message in batch]
    if pool is not None:
        return pool.submit(batch_handle_in_worker, handle_many, receiver, bodies)
    future: Future[Sequence[tuple[str, str] | Exception | None]] = Future()
    try:
        future.set_result(handle_many(receiver, bodies))
    except Exception as error:  # noqa: BLE001 - settled below as a failure of every message in the batch
        future.set_exception(error)
    return future


# A worker's connection that handled a batch less than this long ago is not health-checked (SELECT 1) again
# before the next: under a steady stream that round trip was a fifth of the consumer's apply samples (py-spy,
# bench/sync.py at 200 deliveries/s). A connection that failed is still checked and closed after its batch.
HEALTH_CHECK_IDLE_SECONDS = 5.0
_worker_state = threading.local()


def batch_handle_in_worker(
    handle_many: HandleMany, receiver: Organization, bodies: list[bytes]
) -> Sequence[tuple[str, str] | Exception | None]:
    finished = getattr(_worker_state, "finished", None)
    if finished is not None and time.monotonic() - finished < HEALTH_CHECK_IDLE_SECONDS:
        for database in connections.all(initialized_only=True):
            if database.connection is not None and not database.errors_occurred:
                # used a moment ago by the previous batch (Django sets the flag itself; the stubs lack it)
                database.health_check_done = True  # type: ignore[attr-defined]
    try:
        return handle_many(receiver, bodies)
    finally:
        close_old_connections()  # the worker's own connection (Django's are per thread): closed when broken or old
        _worker_state.finished = time.monotonic()


def _results(
    future: Future[Sequence[tuple[str, str] | Exception | None]], count: int
) -> Sequence[tuple[str, str] | Exception | None]:
    """A finished batch's results; a handler that raised fails every message of its batch (put back)."""
    error = future.exception()
    if error is not None:
        logger.error("sync consumer: a batch failed (%s)", type(error).__name__)
        return [error if isinstance(error, Exception) else RuntimeError(str(error))] * count
    return future.result()


def _results_wait(
    future: Future[Sequence[tuple[str, str] | Exception | None]], count: int
) -> Sequence[tuple[str, str] | Exception | None]:
    wait([future])
    return _results(future, count)


def _body(message: Any) -> bytes:
    """A delivery's raw bytes (py-amqp gives an empty body as the text '')."""
    body = message.body
    return body.encode() if isinstance(body, str) else bytes(body)


def _one_by_one(handle: Handle | None) -> HandleMany:
    """handle(receiver, body) as a handle_many: an exception stands in the result for its message."""
    if handle is None:
        raise TypeError("consume needs handle or handle_many")

    def handle_many(receiver: Organization, bodies: list[bytes]) -> list[tuple[str, str] | Exception | None]:
        results: list[tuple[str, str] | Exception | None] = []
        for body in bodies:
            try:
                results.append(handle(receiver, body))
            except Exception as error:  # the database failed, not the message: put it back
                logger.exception("sync consumer: failed to process a message for %s", receiver.code)
                results.append(error)
        return results

    return handle_many


# --------------------------------------------------------------------------------------------
class PostgresBus:
    """The embedded transport: a PostgreSQL table in the public schema (see module docstring)."""

    kind = "postgresql"

    def __init__(self, prefix: str | None = None):
        self.prefix = prefix or sync_prefix()
        self._db: Any = None  # a psycopg2 connection
        # How long a consumer holds a message before it counts as crashed and is delivered again.
        self.lease = timedelta(seconds=getattr(settings, "XUNCHA_SYNC_EMBEDDED_LEASE_SECONDS", 30))

    def queue_name(self, code: str) -> str:
        return f"{self.prefix}.org.{code}"

    @property
    def dead_queue(self) -> str:
        return f"{self.prefix}.dead"

    def _conn(self) -> Any:
        if self._db is None or self._db.closed:
            self._db = psycopg2.connect(**django_connection.get_connection_params())
            self._db.autocommit = True
        return self._db

    def close(self) -> None:
        if self._db is not None and not self._db.closed:
            self._db.close()
        self._db = None

    def declare(self, codes: Iterable[str]) -> None:
        """Queues are rows; nothing to declare."""

    def _insert(self, rows: list[tuple[str, bytes, str]], *, trim_dead: bool = False) -> None:
        try:
            db = self._conn()
            with db.cursor() as cursor:
                cursor.execute("BEGIN")
                for queue, body, headers in rows:
                    cursor.execute(
                        "INSERT INTO public.buskeys_embeddedmessage (queue, body, headers, created_at, visible_at, "
                        "delivery_count) VALUES (%s, %s, %s::jsonb, now(), now(), 0)",
                        [queue, psycopg2.Binary(body), headers],
                    )
                if trim_dead:
                    # The same bound as the RabbitMQ dead queue's (x-max-length drop-head, x-message-ttl).
                    cursor.execute(
                        "DELETE FROM public.buskeys_embeddedmessage WHERE queue = %s AND (created_at < now() - "
                        "%s * interval '1 millisecond' OR id IN (SELECT id FROM public.buskeys_embeddedmessage "
                        "WHERE queue = %s ORDER BY id DESC OFFSET %s))",
                        [self.dead_queue, DEAD_MAX_AGE_MS, self.dead_queue, dead_max_length()],
                    )
                cursor.execute("SELECT pg_notify(%s, '')", [BUS_NOTIFY_CHANNEL])
                cursor.execute("COMMIT")  # committed = confirmed
        except psycopg2.Error as error:
            self.close()
            raise BusUnavailable(type(error).__name__) from error

    def publish(self, outgoing: list[Outgoing], **_: object) -> None:

        self._insert(
            [
                (self.queue_name(item.destination), item.body, json.dumps({"message_id": item.message_id}))
                for item in outgoing
            ]
        )

    def dead_letter(self, *, receiver_code: str, body: bytes, reason: str, detail: str) -> None:

        self._insert(
            [
                (
                    self.dead_queue,
                    dead_letter_body(body),
                    json.dumps(
                        dead_letter_headers(receiver_code=receiver_code, body=body, reason=reason, detail=detail)
                    ),
                )
            ],
            trim_dead=True,
        )

    def depth(self, queue: str) -> int | None:
        with self._conn().cursor() as cursor:
            cursor.execute("SELECT count(*) FROM public.buskeys_embeddedmessage WHERE queue = %s", [queue])
            return int(cursor.fetchone()[0])

    def queue_depth(self, code: str) -> int | None:
        return self.depth(self.queue_name(code))

    def dead_depth(self) -> int | None:
        return self.depth(self.dead_queue)

    def delete_everything(self, codes: Iterable[str]) -> None:
        with self._conn().cursor() as cursor:
            cursor.execute("DELETE FROM public.buskeys_embeddedmessage WHERE queue LIKE %s", [self.prefix + ".%"])
        self.close()

    def consume(
        self,
        *,
        receivers: dict[str, Organization],
        stop: threading.Event,
        handle: Handle | None = None,
        handle_many: HandleMany | None = None,
        prefetch: int = 50,
        workers: int = 0,
    ) -> None:
        """Lease, apply and delete (ack) batches of every receiver's rows until `stop` is set. `workers` is
        accepted for the same interface and not used: the embedded transport (the demo's) applies its
        organisations' batches one after the other, so a slow one delays the next lease."""
        handle_many = handle_many or _one_by_one(handle)
        queues = {self.queue_name(code): receiver for code, receiver in receivers.items()}
        listener = None
        while not stop.is_set():
            try:
                if listener is None:
                    listener = psycopg2.connect(**django_connection.get_connection_params())
                    listener.autocommit = True
                    listener.cursor().execute(f"LISTEN {BUS_NOTIFY_CHANNEL}")
                idle = not self._consume_batch(queues=queues, handle_many=handle_many, prefetch=prefetch)
                if idle and select.select([listener], [], [], 1.0)[0]:
                    listener.poll()
                    listener.notifies.clear()
            except psycopg2.Error as error:
                logger.warning("sync consumer: database unavailable (%s); retrying", type(error).__name__)
                self.close()
                listener = None
                stop.wait(1)

    def _consume_batch(self, *, queues: dict[str, Organization], handle_many: HandleMany, prefetch: int) -> int:
        db = self._conn()
        with db.cursor() as cursor:
            cursor.execute(
                """UPDATE public.buskeys_embeddedmessage
                   SET visible_at = now() + %s, delivery_count = delivery_count + 1
                   WHERE id IN (SELECT id FROM public.buskeys_embeddedmessage
                                WHERE queue = ANY(%s) AND visible_at <= now()
                                ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)
                   RETURNING id, queue, body, delivery_count""",
                [self.lease, list(queues), prefetch],
            )
            leased = sorted(cursor.fetchall())
        done, retry = [], []
        by_queue: dict[str, list[tuple[int, bytes]]] = {}
        for row_id, queue, body, deliveries in leased:
            receiver, body = queues[queue], bytes(body)
            if deliveries > DELIVERY_LIMIT:
                self.dead_letter(
                    receiver_code=receiver.code,
                    body=body,
                    reason="delivery-limit",
                    detail=office_text(gettext_noop("failed %(count)s times"), count=deliveries - 1),
                )
                done.append(row_id)
            else:
                by_queue.setdefault(queue, []).append((row_id, body))
        for queue, rows in by_queue.items():
            receiver = queues[queue]
            results = handle_many(receiver, [body for _row_id, body in rows])
            for (row_id, body), result in zip(rows, results, strict=True):
                if isinstance(result, Exception):
                    logger.error(
                        "sync consumer: failed to process a message for %s (%s); will retry",
                        receiver.code,
                        type(result).__name__,
                    )
                    retry.append(row_id)
                    continue
                if result is not None:
                    self.dead_letter(receiver_code=receiver.code, body=body, reason=result[0], detail=result[1])
                done.append(row_id)
        with db.cursor() as cursor:
            if retry:
                cursor.execute(
                    "UPDATE public.buskeys_embeddedmessage SET visible_at = now() + interval '1 second' "
                    "WHERE id = ANY(%s)",
                    [retry],
                )
            failpoint("consumer-after-commit")
            if done:  # the ack
                cursor.execute("DELETE FROM public.buskeys_embeddedmessage WHERE id = ANY(%s)", [done])
        return len(leased)


Bus = AmqpBus | PostgresBus


def bus_from_settings(*, prefix: str | None = None) -> Bus:
    url = getattr(settings, "BROKER_URL", "")
    if url and url.startswith(("amqp://", "amqps://", "pyamqp://")):
        return AmqpBus(url, prefix)
    return PostgresBus(prefix)
