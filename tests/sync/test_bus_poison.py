"""Poison over the real RabbitMQ with the consumer process: each bad message is dead-lettered on
its first delivery with its reason (no requeue, no traceback), a genuine message behind the burst
is applied without delay, and the dead-letter queue is bounded and keeps no classified body."""

from __future__ import annotations

import hashlib
import os
import time
import uuid

import amqp
import pytest
from django.test import override_settings
from django_tenants.utils import schema_context

from sync.models import DeadLetter, Replica
from sync.transport import AmqpBus, Outgoing
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
