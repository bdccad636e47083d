"""Poison over the real RabbitMQ with the consumer process: each bad message is dead-lettered on
its first delivery with its reason (no requeue, no traceback), a genuine message behind the burst
is applied without delay, and the dead-letter queue is bounded and keeps no classified body."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections import Counter

import amqp
import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica
from sync.relay import message_encode
from sync.transport import AmqpBus, Outgoing
from tenants.guidance.models import GuidanceDocument
from tenants.guidance.services import guidance_document_revise
from tests.sync.test_exchange import _fields, _signed

from .conftest import converged, wait_for
from .test_bus import _issue, _replica

pytestmark = pytest.mark.bus


def _poison(world) -> dict[bytes, str]:
    """raw -> the reason it must be dead-lettered with."""

    def fields(**overrides):
        return _fields(
            **{
                "source": world.city.code,
                "destination": world.county_1.code,
                "key": f"99{uuid.uuid4().hex[:6]}",
                **overrides,
            }
        )

    return {
        b"": "malformed",
        b"[" * 50_000 + b"]" * 50_000: "malformed",
        _signed(fields(key="99\x0001"), signer=world.city.code): "malformed",
        _signed(fields(version=2**70), signer=world.city.code): "malformed",
        _signed(fields(classification=0), signer=world.city.code): "policy",  # header 公开, body 内部
        _signed(fields(), signer=world.county_2.code): "forged",
        b"{" + b" " * 300_000 + b"}": "oversized",
    }


def test_a_burst_of_poison_is_dead_lettered_at_once_and_a_genuine_message_behind_it_applied(committed, amqp_processes):
    world = committed
    bus = AmqpBus(os.environ["BROKER_URL"])
    # Both counties consume: the world is shared by the session's bus tests, and the city's documents go to
    # both, so none may be left unapplied for the next test's convergence check.
    consumer = amqp_processes.start("consume", [world.county_1.code, world.county_2.code])
    warm_up = _issue(world)  # the consumer is running once this one is applied
    amqp_processes.start("relay", [world.city.code])
    wait_for(
        lambda: _replica(world.county_1, world.city, warm_up.pk) is not None,
        processes=amqp_processes,
        what="warm-up applied",
    )
    poison = _poison(world)
    bus.publish([Outgoing(world.county_1.code, str(uuid.uuid4()), raw) for raw in poison for _ in range(3)])
    genuine = _issue(world)
    started = time.monotonic()
    wait_for(
        lambda: _replica(world.county_1, world.city, genuine.pk) is not None,
        processes=amqp_processes,
        what="the genuine message applied",
        timeout=30,
        interval=0.05,
    )
    delay = time.monotonic() - started

    def recorded():
        with schema_context(world.county_1.schema_name):
            return dict(
                DeadLetter.objects.filter(
                    fingerprint__in=[hashlib.sha256(raw).hexdigest() for raw in poison]
                ).values_list("fingerprint", "reason")
            )

    wait_for(lambda: len(recorded()) == len(poison), processes=amqp_processes, what="dead letters recorded")
    assert recorded() == {hashlib.sha256(raw).hexdigest(): reason for raw, reason in poison.items()}
    wait_for(lambda: bus.queue_depth(world.county_1.code) == 0, processes=amqp_processes, what="queue drained")
    assert delay < 3, delay  # before: each empty message alone was requeued ~21 times, a second apart
    logs = amqp_processes.logs()
    assert consumer.poll() is None, logs  # still running
    assert "Traceback" not in logs and "requeued" not in logs, logs
    with schema_context(world.county_1.schema_name):
        assert not Replica.objects.filter(source=world.city.code, record_key__startswith="99").exists()
        assert Replica.objects.filter(source=world.city.code, record_key=str(genuine.pk)).exists()
    wait_for(lambda: converged(world), processes=amqp_processes, what="the world converged")
    bus.close()


def test_the_dead_letter_queue_is_bounded_and_keeps_no_classified_body(committed):
    prefix = f"poison-{uuid.uuid4().hex[:8]}"
    world = committed
    with override_settings(XUNCHA_SYNC_DEAD_MAX_LENGTH=3):
        bus = AmqpBus(os.environ["BROKER_URL"], prefix)
        try:
            secret = _signed(
                _fields(classification=2, body=None, sealed={"epk": "", "nonce": "", "ct": ""}), signer=world.city.code
            )
            letters = [f"dead {n}".encode() for n in range(5)] + [secret]
            for body in letters:
                bus.dead_letter(receiver_code=world.county_1.code, body=body, reason="malformed", detail="")
            assert bus.dead_depth() == 3  # the oldest dropped
            channel = bus._raw().channel()
            kept = []
            while (message := channel.basic_get(bus.dead_queue)) is not None:
                kept.append(
                    (message.body or b"", message.headers["x-xuncha-fingerprint"], message.headers["x-xuncha-reason"])
                )
                channel.basic_ack(message.delivery_tag)
            assert kept == [
                (b"dead 3", hashlib.sha256(b"dead 3").hexdigest(), "malformed"),
                (b"dead 4", hashlib.sha256(b"dead 4").hexdigest(), "malformed"),
                (b"", hashlib.sha256(secret).hexdigest(), "malformed"),
            ]  # 秘密: fingerprint only
        finally:
            bus.delete_everything([])


def test_a_dead_letter_queue_declared_before_the_bound_is_still_used(committed, caplog):
    prefix = f"poison-{uuid.uuid4().hex[:8]}"
    bus = AmqpBus(os.environ["BROKER_URL"], prefix)
    channel = bus._raw().channel()
    channel.queue_declare(f"{prefix}.dead", durable=True, auto_delete=False, arguments={"x-queue-type": "quorum"})
    channel.close()
    try:
        bus.dead_letter(receiver_code=committed.county_1.code, body=b"old", reason="malformed", detail="")
        assert bus.dead_depth() == 1
        assert "exists with other arguments" in caplog.text
    finally:
        bus.delete_everything([])
    with pytest.raises(amqp.exceptions.NotFound):
        AmqpBus(os.environ["BROKER_URL"], prefix)._raw().channel().queue_declare(f"{prefix}.dead", passive=True)


def _encoded_and_marked_sent(world, *, document_key: str) -> dict[tuple[str, int], bytes]:
    """(destination, version) -> the wire bytes the relay publishes for each of the document's outbox rows, which
    are marked sent so the running relay leaves them to the test."""
    with schema_context(world.city.schema_name):
        rows = list(OutboxMessage.objects.filter(record_type="guidance.document", record_key=document_key))
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
        return {(row.destination, row.version): message_encode(row=row, source_code=world.city.code) for row in rows}


def test_replayed_messages_are_never_applied_and_a_genuine_message_behind_them_is(committed, amqp_processes):
    """Replays of genuine signed messages over the real RabbitMQ (issue 13 "Done when"): the same message re-sent,
    an old version re-sent after the newer one was applied, and a message replayed into another organisation's
    queue. None is applied twice, nothing raises, and a fresh document behind a burst of them is applied at once."""
    world = committed
    bus = AmqpBus(os.environ["BROKER_URL"])
    consumer = amqp_processes.start("consume", [world.county_1.code, world.county_2.code])
    warm_up = _issue(world)
    amqp_processes.start("relay", [world.city.code])
    wait_for(lambda: _replica(world.county_1, world.city, warm_up.pk) is not None, processes=amqp_processes)
    with transaction.atomic():  # issued and revised at once: the relay sees the rows only as already sent
        document = _issue(world)
        with schema_context(world.city.schema_name):
            guidance_document_revise(document=GuidanceDocument.objects.get(pk=document.pk), title="修订稿")
        raw = _encoded_and_marked_sent(world, document_key=str(document.pk))
    one, two = world.county_1.code, world.county_2.code
    assert set(raw) == {(one, 1), (one, 2), (two, 1), (two, 2)}
    # The genuine newest version reaches each county first...
    bus.publish([Outgoing(code, str(uuid.uuid4()), raw[(code, 2)]) for code in (one, two)])
    for county in (world.county_1, world.county_2):
        wait_for(
            lambda county=county: getattr(_replica(county, world.city, document.pk), "version", 0) == 2,
            processes=amqp_processes,
            what="version 2 applied",
        )
    # ...then the replays, three rounds of each kind, and a fresh genuine document behind them.
    replays = {
        "the same message re-sent": [(one, raw[(one, 2)]), (two, raw[(two, 2)])],
        "an old version re-sent after the newer one": [(one, raw[(one, 1)]), (two, raw[(two, 1)])],
        "a message replayed to another organisation": [(one, raw[(two, 2)]), (two, raw[(one, 1)])],
    }
    burst = [(queue, body) for _ in range(3) for pairs in replays.values() for queue, body in pairs]
    bus.publish([Outgoing(queue, str(uuid.uuid4()), body) for queue, body in burst])
    genuine = _issue(world)
    started = time.monotonic()
    wait_for(
        lambda: _replica(world.county_1, world.city, genuine.pk) is not None,
        processes=amqp_processes,
        what="the genuine message behind the replays applied",
        timeout=30,
        interval=0.05,
    )
    delay = time.monotonic() - started
    for code in (one, two):
        wait_for(lambda code=code: bus.queue_depth(code) == 0, processes=amqp_processes, what="queues drained")

    fingerprints = {hashlib.sha256(body).hexdigest() for _queue, body in burst}
    outcomes: Counter = Counter()
    for county in (world.county_1, world.county_2):
        with schema_context(county.schema_name):
            outcomes.update(
                f"dead letter: {reason}"
                for reason in DeadLetter.objects.filter(fingerprint__in=fingerprints).values_list("reason", flat=True)
            )
            outcomes.update(
                InboxMessage.objects.filter(source=world.city.code, record_key=str(document.pk)).values_list(
                    "outcome", flat=True
                )
            )
            assert _replica(county, world.city, document.pk).version == 2
            assert _replica(county, world.city, document.pk).body["title"] == "修订稿"
    logs = amqp_processes.logs()
    unhandled = logs.count("Traceback")
    print(
        f"\nbus replay corpus over RabbitMQ: {len(burst)} replays sent "
        f"({', '.join(f'{what}: {2 * 3}' for what in replays)}); outcomes {dict(sorted(outcomes.items()))}; "
        f"applied by a replay 0 (each county applied version 2 once); unhandled exceptions {unhandled}; "
        f"genuine document behind the burst applied after {delay:.2f} s"
    )
    # Inbox rows: each county applied version 2 once; version 1, arriving after it, was stale once (a message id
    # is recorded once: its re-sendings are duplicates, which change nothing); the cross-queue replays are
    # dead letters (misaddressed, once per distinct message per receiver).
    assert outcomes == {"applied": 2, "stale": 2, "dead letter: misaddressed": 2}, outcomes
    assert unhandled == 0 and "requeued" not in logs, logs
    assert consumer.poll() is None, logs
    assert delay < 3, delay
    wait_for(lambda: converged(world), processes=amqp_processes, what="the world converged")
    bus.close()
