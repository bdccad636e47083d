"""End to end against the real RabbitMQ and separate relay/consumer processes: both directions,
duplicates, reordering, replays, crashes between apply and ack and between publish and mark, a
broker restart mid-stream, dead letters. Afterwards every replica equals its owner's projection
and nothing was applied twice."""

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
import uuid

import pytest
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from sync.envelope import canonical_json
from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica, SharedCopy
from sync.relay import message_encode
from sync.transport import AmqpBus, Outgoing
from tenants.guidance.models import GuidanceDocument
from tenants.guidance.services import guidance_document_issue, guidance_document_revise
from tenants.statistics.services import statistics_report_submit

from .conftest import WORLD_CODES, applied_twice, converged, inbox_outcomes, outbox_pending, wait_for

pytestmark = pytest.mark.bus
TODAY = datetime.date(2026, 5, 1)


def _issue(world, **extra) -> GuidanceDocument:
    with schema_context(world.city.schema_name):
        return guidance_document_issue(
            title=f"工作指引-{uuid.uuid4().hex[:8]}", doc_type="guidance", issued_on=TODAY, content="正文", **extra
        )


def _revise(world, document, **changes) -> None:
    with schema_context(world.city.schema_name):
        guidance_document_revise(document=GuidanceDocument.objects.get(pk=document.pk), **changes)


def _replica(organization, source, key):
    with schema_context(organization.schema_name):
        return Replica.objects.filter(source=source.code, record_key=str(key)).first()


def _owner_copy(world, key, destination):
    with schema_context(world.city.schema_name):
        return SharedCopy.objects.get(
            record_key=str(key), destination=destination.code, record_type="guidance.document"
        )


def _bus() -> AmqpBus:
    return AmqpBus(os.environ["BROKER_URL"])


def test_city_to_counties_and_county_to_city(committed, amqp_processes):
    world = committed
    amqp_processes.start("relay", WORLD_CODES)
    amqp_processes.start("consume", WORLD_CODES)
    document = _issue(world, classification=Classification.SECRET)  # travels sealed
    with schema_context(world.county_1.schema_name):
        statistics_report_submit(period="2026-Q2", rounds=1, findings=4)
    wait_for(lambda: converged(world), processes=amqp_processes, what="first sync")
    for county in (world.county_1, world.county_2):
        replica = _replica(county, world.city, document.pk)
        assert replica.version == 1 and replica.body["title"] == document.title and replica.classification == 2
    assert _replica(world.city, world.county_1, "2026-Q2").body["findings"] == 4

    _revise(world, document, title="修订后的工作指引")
    wait_for(lambda: converged(world), processes=amqp_processes, what="revision")
    assert _replica(world.county_2, world.city, document.pk).body["title"] == "修订后的工作指引"

    _revise(world, document, classification=Classification.CONFIDENTIAL)  # may no longer be held below
    wait_for(lambda: converged(world), processes=amqp_processes, what="withdrawal")
    for county in (world.county_1, world.county_2):
        replica = _replica(county, world.city, document.pk)
        assert replica.tombstone and replica.body is None and replica.version == 3
    assert applied_twice(world) == []


def test_duplicates_reordering_and_replays_change_nothing_twice(committed, amqp_processes):
    world = committed
    document = _issue(world)
    _revise(world, document, title="第二版")
    _revise(world, document, title="第三版")
    with schema_context(world.city.schema_name):
        rows = list(
            OutboxMessage.objects.filter(record_key=str(document.pk), destination=world.county_1.code).order_by(
                "version"
            )
        )
        raw = [
            Outgoing(row.destination, str(row.message_id), message_encode(row=row, source_code=world.city.code))
            for row in rows
        ]
    bus = _bus()
    bus.publish([raw[2], raw[0], raw[1], raw[2], raw[0]])  # newest first, then older ones, duplicates
    amqp_processes.start("consume", [world.county_1.code])
    wait_for(
        lambda: sum(inbox_outcomes(world.county_1, str(document.pk)).values()) == 3,
        processes=amqp_processes,
        what="three distinct messages",
    )
    bus.publish(raw)  # a replay of everything, later
    wait_for(lambda: bus.queue_depth(world.county_1.code) == 0, processes=amqp_processes, what="replay drained")
    bus.close()
    assert inbox_outcomes(world.county_1, str(document.pk)) == {"applied": 1, "stale": 2}
    replica = _replica(world.county_1, world.city, document.pk)
    assert (replica.version, replica.body["title"]) == (3, "第三版")
    assert replica.digest == _owner_copy(world, document.pk, world.county_1).digest
    # The relay now publishes the same rows again (same message ids): all duplicates or stale.
    amqp_processes.start("relay", WORLD_CODES)
    amqp_processes.start("consume", [world.city.code, world.county_2.code])
    wait_for(lambda: converged(world), processes=amqp_processes, what="convergence")
    assert inbox_outcomes(world.county_1, str(document.pk)) == {"applied": 1, "stale": 2}
    assert applied_twice(world) == []


def test_consumer_killed_between_apply_and_ack(committed, amqp_processes):
    world = committed
    amqp_processes.start("relay", WORLD_CODES)
    crashing = amqp_processes.start("consume", [world.county_1.code], failpoint="consumer-after-commit")
    document = _issue(world)
    crashing.wait(timeout=60)
    assert crashing.returncode == 137
    assert inbox_outcomes(world.county_1, str(document.pk)) == {"applied": 1}  # committed...
    bus = _bus()
    wait_for(lambda: bus.queue_depth(world.county_1.code) == 1, what="unacked message back in the queue")
    amqp_processes.start("consume", WORLD_CODES)  # ...and delivered again after the crash
    wait_for(
        lambda: bus.queue_depth(world.county_1.code) == 0 and converged(world),
        processes=amqp_processes,
        what="redelivery acked",
    )
    bus.close()
    assert inbox_outcomes(world.county_1, str(document.pk)) == {"applied": 1}
    assert applied_twice(world) == []


def test_relay_killed_between_publish_and_mark(committed, amqp_processes):
    world = committed
    amqp_processes.start("consume", WORLD_CODES)
    wait_for(lambda: converged(world), processes=amqp_processes, what="a quiet start")
    document = _issue(world)
    crashing = amqp_processes.start("relay", WORLD_CODES, failpoint="relay-after-publish")
    crashing.wait(timeout=60)
    assert crashing.returncode == 137
    with schema_context(world.city.schema_name):
        rows = OutboxMessage.objects.filter(record_key=str(document.pk), record_type="guidance.document")
        assert rows.count() == 2 and not rows.filter(sent_at__isnull=False).exists()  # published, not marked
    wait_for(
        lambda: all(_replica(c, world.city, document.pk) for c in (world.county_1, world.county_2)),
        processes=amqp_processes,
        what="the published messages applied",
    )
    amqp_processes.start("relay", WORLD_CODES)  # publishes the same rows again
    wait_for(lambda: converged(world), processes=amqp_processes, what="convergence")
    for county in (world.county_1, world.county_2):
        assert inbox_outcomes(county, str(document.pk)) == {"applied": 1}
    assert applied_twice(world) == []


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, timeout=120, capture_output=True)


def test_broker_restarted_mid_stream(committed, amqp_processes):
    world = committed
    amqp_processes.start("relay", WORLD_CODES)
    amqp_processes.start("consume", WORLD_CODES)
    document = _issue(world)
    try:
        for number in range(1, 41):
            _revise(world, document, title=f"第{number}版")
            with schema_context(world.county_2.schema_name):
                statistics_report_submit(period="2026-07", findings=number)
            if number == 15:
                _rabbitmqctl("stop_app")
            if number == 25:
                _rabbitmqctl("start_app")
                _rabbitmqctl("await_startup")
    finally:
        subprocess.run(["rabbitmqctl", "-q", "start_app"], timeout=120, capture_output=True)
        subprocess.run(["rabbitmqctl", "-q", "await_startup"], timeout=120, capture_output=True)
    wait_for(lambda: converged(world), timeout=180, processes=amqp_processes, what="convergence after the restart")
    assert _replica(world.county_1, world.city, document.pk).body["title"] == "第40版"
    assert _replica(world.city, world.county_2, "2026-07").body["findings"] == 40
    assert applied_twice(world) == []


def test_refused_messages_go_to_the_dead_letter_queue_with_their_reason(committed, amqp_processes):
    world = committed
    amqp_processes.start("consume", [world.county_2.code])
    forged = canonical_json(
        {
            "envelope": {
                "format": 1,
                "id": str(uuid.uuid4()),
                "type": "guidance.document",
                "schema": 1,
                "source": world.city.code,
                "destination": world.county_2.code,
                "key": "forged-1",
                "version": 9,
                "classification": 1,
                "tombstone": False,
                "body": {"title": "伪造", "classification": 1},
                "sealed": None,
            },
            "signature": "AAAA",
        }
    )
    undecodable = b"\x00\x01 not an envelope"
    bus = _bus()
    bus.publish(
        [
            Outgoing(world.county_2.code, str(uuid.uuid4()), forged),
            Outgoing(world.county_2.code, str(uuid.uuid4()), undecodable),
        ]
    )

    def recorded():
        with schema_context(world.county_2.schema_name):
            return dict(
                DeadLetter.objects.filter(
                    fingerprint__in=[hashlib.sha256(forged).hexdigest(), hashlib.sha256(undecodable).hexdigest()]
                ).values_list("fingerprint", "reason")
            )

    wait_for(lambda: len(recorded()) == 2, processes=amqp_processes, what="dead letters recorded")
    assert sorted(recorded().values()) == ["forged", "malformed"]
    assert _replica(world.county_2, world.city, "forged-1") is None
    # Both are in the dead-letter queue with the reason in a header.
    channel = bus._raw().channel()
    reasons = {}
    wait_for(lambda: (bus.dead_depth() or 0) >= 2, what="dead-letter queue")
    while (message := channel.basic_get(bus.dead_queue)) is not None:
        if message.body in (forged, undecodable):
            reasons[message.body] = message.headers["x-xuncha-reason"]
        channel.basic_ack(message.delivery_tag)
    bus.close()
    assert reasons == {forged: "forged", undecodable: "malformed"}


def test_anti_entropy_heals_a_lost_replica(committed, amqp_processes):
    from sync.verify import sync_verify

    world = committed
    amqp_processes.start("relay", WORLD_CODES)
    amqp_processes.start("consume", WORLD_CODES)
    document = _issue(world)
    wait_for(lambda: converged(world), processes=amqp_processes, what="first sync")
    with schema_context(world.county_2.schema_name):  # the county restores a backup from before it arrived
        Replica.objects.filter(source=world.city.code, record_key=str(document.pk)).delete()
        InboxMessage.objects.filter(source=world.city.code, record_key=str(document.pk)).delete()
    report = sync_verify(codes=[world.city.code], repair=True)
    pair = next(p for p in report.pairs if p.destination == world.county_2.code)
    assert pair.missing == [("guidance.document", str(document.pk))] and pair.resent == 1
    wait_for(lambda: converged(world), processes=amqp_processes, what="healed")
    assert _replica(world.county_2, world.city, document.pk).body["title"] == document.title
    assert applied_twice(world) == []


def test_a_retry_coming_due_is_relayed_while_other_organisations_keep_waking_the_relay(committed, amqp_processes):
    """The relay follows the NOTIFY payload (only the schemas written to), so a row that becomes due without
    a NOTIFY (a retry after backoff) relies on the periodic sweep: busy neighbours must not starve it."""
    from django.db.models import F
    from django.utils import timezone

    world = committed
    period = f"2090-{uuid.uuid4().int % 12 + 1:02d}"
    with schema_context(world.county_1.schema_name):
        statistics_report_submit(period=period, rounds=1, findings=1)  # its NOTIFY reaches nobody yet
        retry = OutboxMessage.objects.filter(record_key=period, sent_at__isnull=True)
        assert retry.count() == 1
        retry.update(next_attempt_at=timezone.now() + datetime.timedelta(hours=1), attempts=F("attempts") + 1)
    amqp_processes.start("consume", WORLD_CODES)
    amqp_processes.start("relay", WORLD_CODES)
    _issue(world)
    wait_for(lambda: outbox_pending([world.city]) == 0, processes=amqp_processes, what="the relay to run")
    with schema_context(world.county_1.schema_name):
        assert retry.count() == 1  # not due yet: the sweep left it alone
        retry.update(next_attempt_at=timezone.now())  # comes due silently

    def retry_sent_while_the_city_keeps_writing() -> bool:
        _issue(world)  # a NOTIFY from the city on every check
        with schema_context(world.county_1.schema_name):
            return not retry.exists()

    wait_for(retry_sent_while_the_city_keeps_writing, timeout=30, processes=amqp_processes, what="the retry")
    wait_for(lambda: converged(world), processes=amqp_processes, what="convergence")
    assert _replica(world.city, world.county_1, period).body["findings"] == 1
    assert applied_twice(world) == []
