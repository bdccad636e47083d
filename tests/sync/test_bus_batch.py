"""The consumer's batches over the real RabbitMQ, in this process (inside the test's transaction): one
multiple ack after the batch's commit covers exactly the messages it settled; a message put back is
the only one delivered again; a consumer that dies before its commit gets the whole batch again."""

from __future__ import annotations

import datetime
import threading
import uuid

import amqp
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared.buskeys.models import OrganizationBusKeys
from sync.consumer import messages_handle, partition_of
from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica
from sync.relay import message_encode, outbox_relay_batch
from sync.testing import queue_consume
from sync.transport import AmqpBus, Outgoing
from tenants.guidance.services import guidance_document_issue
from tests.sync.test_exchange import _fields, _signed

pytestmark = pytest.mark.bus
TODAY = datetime.date(2026, 6, 1)


def _documents(city, count: int, marker: str) -> list[Outgoing]:
    """`count` guidance documents issued by the city, as the relay publishes them to 410621."""
    outgoing = []
    with schema_context(city.schema_name):
        for number in range(count):
            document = guidance_document_issue(
                title=f"{marker}{number}", doc_type="template", issued_on=TODAY, content="正文"
            )
            row = OutboxMessage.objects.get(record_key=str(document.pk), destination="410621")
            outgoing.append(Outgoing("410621", str(row.message_id), message_encode(row=row, source_code=city.code)))
    return outgoing


def _consume(bus, receiver, handle_many, *, until, consumer=None) -> list[list[bytes]]:
    """Consume `receiver`'s queue in this thread until `until(batches)` holds (30 s at most); returns
    every batch handed to `handle_many`, in order (sync.testing.queue_consume; its own consumer unless given)."""
    batches: list[list[bytes]] = []
    stop = threading.Event()

    def recording(organization, bodies):
        batches.append(list(bodies))
        try:
            return handle_many(organization, bodies)
        finally:
            if until(batches):
                stop.set()

    queue_consume(
        consumer=consumer or AmqpBus(bus.url, prefix=bus.prefix), receiver=receiver, handle_many=recording, stop=stop
    )
    return batches


def _handled(batches) -> list[bytes]:
    return [body for batch in batches for body in batch]


def _titles(county, marker: str) -> list[str]:
    with schema_context(county.schema_name):
        return sorted(Replica.objects.filter(body__title__startswith=marker).values_list("body__title", flat=True))


def test_a_forged_message_among_good_ones_is_dead_lettered_and_everything_is_acked(orgs, bus):
    county, marker = orgs["county_a"], f"批-{uuid.uuid4().hex[:6]}-"
    good = _documents(orgs["city"], 4, marker)
    forged = Outgoing("410621", str(uuid.uuid4()), _signed(_fields(key="forged-1"), signer="410622"))
    dead_before = bus.dead_depth()
    bus.publish([*good[:2], forged, *good[2:]])

    batches = _consume(bus, county, messages_handle, until=lambda batches: len(_handled(batches)) >= 5)

    assert sorted(_handled(batches)) == sorted(item.body for item in [*good, forged])
    assert _titles(county, marker) == [f"{marker}{n}" for n in range(4)]
    with schema_context(county.schema_name):
        assert list(DeadLetter.objects.filter(record_key="forged-1").values_list("reason", flat=True)) == ["forged"]
        assert InboxMessage.objects.filter(message_id__in=[item.message_id for item in good]).count() == 4
    assert bus.dead_depth() == dead_before + 1
    # The consumer's connection is closed: anything it had not acked would be back in the queue.
    assert bus.queue_depth("410621") == 0


def test_a_message_put_back_is_the_only_one_delivered_again(orgs, bus):
    """The last message of a batch fails (as when the database fails on it): it is rejected and comes back
    alone; the multiple ack covers the others only (acking up to the rejected tag would close the channel,
    and every message of the batch would be delivered again)."""
    good = _documents(orgs["city"], 3, f"回-{uuid.uuid4().hex[:6]}-")
    failing = _documents(orgs["city"], 1, f"败-{uuid.uuid4().hex[:6]}-")[0]
    bus.publish([*good, failing])
    seen: list[bytes] = []

    def failing_once(organization, bodies):
        results = []
        for body in bodies:
            results.append(RuntimeError("database unavailable") if body == failing.body and not seen else None)
            seen.extend([body] if body == failing.body else [])
        return results

    batches = _consume(bus, orgs["county_a"], failing_once, until=lambda batches: len(seen) >= 2)

    handled = _handled(batches)
    assert sorted(handled) == sorted([*(item.body for item in good), failing.body, failing.body])
    assert handled[-1] == failing.body  # delivered again after the others were settled
    assert bus.queue_depth("410621") == 0


class _Crash(Exception):
    pass


def test_a_consumer_lost_before_its_commit_gets_the_whole_batch_again(orgs, bus):
    county, marker = orgs["county_a"], f"崩-{uuid.uuid4().hex[:6]}-"
    batch = _documents(orgs["city"], 4, marker)
    bus.publish(batch)
    consumer = AmqpBus(bus.url, prefix=bus.prefix)
    applied_before_the_crash: list[list[str]] = []

    def crash_once(organization, bodies):
        if applied_before_the_crash:
            return messages_handle(organization, bodies)
        try:
            with transaction.atomic():
                messages_handle(organization, bodies)
                applied_before_the_crash.append(_titles(county, marker))
                consumer.close()  # the broker connection is gone before the commit
                raise _Crash  # ... and the transaction with it
        except _Crash:
            return [None] * len(bodies)  # too late: nothing can be acked on a closed connection

    batches = _consume(
        bus,
        county,
        crash_once,
        consumer=consumer,
        until=lambda batches: {item.body for item in batch} <= set(_handled(batches[1:])),  # after the crash
    )

    # The first batch holds what had arrived when it was taken (all four or fewer: the broker's timing);
    # it was applied, not committed, and every message of it is delivered again.
    first, *again = batches
    bodies = {item.body: f"{marker}{n}" for n, item in enumerate(batch)}
    assert first and set(first) <= set(bodies)
    assert applied_before_the_crash == [sorted(bodies[body] for body in first)]
    assert set(first) <= set(_handled(again))  # all of them delivered again
    assert _titles(county, marker) == [f"{marker}{n}" for n in range(4)]
    with schema_context(county.schema_name):
        outcomes = InboxMessage.objects.filter(message_id__in=[item.message_id for item in batch])
        assert sorted(outcomes.values_list("outcome", flat=True)) == ["applied"] * 4  # once each
    assert bus.queue_depth("410621") == 0


def test_the_relay_publishes_a_batch_and_marks_it_sent_in_statements_that_do_not_grow_with_it(orgs, bus):
    city = orgs["city"]
    while outbox_relay_batch(organization=city, bus=bus):  # whatever the session left pending
        pass
    counted = []
    for count in (1, 2, 10):  # the first relay also loads the destinations' keys (cached after)
        with schema_context(city.schema_name):
            for number in range(count):
                guidance_document_issue(
                    title=f"发布{count}-{number}", doc_type="template", issued_on=TODAY, content="正文"
                )
        with CaptureQueriesContext(connection) as queries:
            sent = outbox_relay_batch(organization=city, bus=bus)
        # Not the keys' lookup: the keys are read again when their cache's 60-second epoch turns, which may fall
        # between two batches (the fresh-clone CI of e6254aa counted 6, 6, 7 so).
        keys_table = OrganizationBusKeys._meta.db_table
        counted.append((sent, len([q for q in queries if keys_table not in q["sql"]])))
    # Three counties each: every row signed and published, all confirms awaited, then one UPDATE.
    assert [sent for sent, _ in counted] == [3, 6, 30]
    assert counted[1][1] == counted[2][1], counted
    with schema_context(city.schema_name):
        assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert bus.queue_depth("410621") >= 13


def test_partitions_share_the_organisations_between_processes():
    codes = ["410600", "410611", "410621", "410622", "419800", "419801", "419802"]
    by_partition = {index: [code for code in codes if partition_of(code, 4) == index] for index in range(4)}
    assert by_partition == {0: ["410622", "419801"], 1: ["410611"], 2: ["410600", "410621", "419800", "419802"], 3: []}


def test_the_io_thread_sleeps_while_a_worker_applies_and_acks_when_woken(orgs, bus, monkeypatch):
    """With worker threads, the I/O thread does not poll the socket while a batch is applied: it sleeps in
    select() until the worker's future completes (a byte on its wake socket), then acks the batch at once.
    It used to call drain_events every 5 ms (about 200 times in the second the batch takes here)."""
    county = orgs["county_a"]
    bus.publish([Outgoing("410621", str(uuid.uuid4()), b"one message")])
    consumer, stop = AmqpBus(bus.url, prefix=bus.prefix), threading.Event()
    drains = {"during": 0, "total": 0}
    applying = threading.Event()
    settled: list[tuple[list[int], bool]] = []
    drain_events, batch_settle = amqp.Connection.drain_events, AmqpBus._batch_settle

    def counting_drain(self, *args, **kwargs):
        drains["total"] += 1
        drains["during"] += applying.is_set()
        return drain_events(self, *args, **kwargs)

    def slow_apply(organization, bodies):
        applying.set()
        try:
            threading.Event().wait(1.0)  # a long apply (a lock, a slow receiver)
            return [None] * len(bodies)
        finally:
            applying.clear()

    def recording_settle(self, channel, receiver, batch, results):
        settled.append(([message.delivery_tag for message in batch], applying.is_set()))
        try:
            return batch_settle(self, channel, receiver, batch, results)
        finally:
            stop.set()

    monkeypatch.setattr(amqp.Connection, "drain_events", counting_drain)
    monkeypatch.setattr(AmqpBus, "_batch_settle", recording_settle)
    timer = threading.Timer(30, stop.set)
    timer.start()
    try:
        consumer.consume(receivers={county.code: county}, handle_many=slow_apply, stop=stop, workers=1)
    finally:
        timer.cancel()
        consumer.close()

    assert settled == [([1], False)]  # settled once, after the apply had returned
    assert drains["total"] >= 1  # the delivery itself was read (positive control)
    assert drains["during"] <= 3, drains  # no polling while the worker applied
    assert bus.queue_depth("410621") == 0  # acked: nothing came back when the connection closed
