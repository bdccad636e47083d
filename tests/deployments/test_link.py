"""A link between two deployments over a real RabbitMQ shovel (`xuncha peer link`, sync/links.py): what this
deployment publishes for the peer's organisation lands in the peer's queue and is judged by the peer's consumer;
a link that is down only delays."""

from __future__ import annotations

import json

import pytest

from sync.envelope import Envelope, envelope_encode, envelope_new_id
from sync.keys import private_keys
from sync.links import link_queue_name
from sync.transport import AmqpBus, BusUnavailable, Outgoing
from tests.deployments.harness import wait_for

pytestmark = pytest.mark.bus

PROVINCE_B = ("province", "429900", "测试省", None)


def _message(source: str, destination: str) -> Outgoing:
    envelope = Envelope(
        message_id=envelope_new_id(),
        record_type="guidance.document",
        schema_version=1,
        source=source,
        destination=destination,
        record_key="link-test",
        version=1,
        classification=1,
        tombstone=False,
        body={"title": "link", "classification": 1},
    )
    body = envelope_encode(envelope=envelope, signing_key=private_keys(source).signing, recipient=None)
    return Outgoing(destination, envelope.message_id, body)


def _dead_letters(b) -> dict[str, str]:
    return dict(b.query("SELECT message_id, reason FROM org_429900.sync_deadletter"))


def test_peer_link_prints_a_definitions_document_with_an_on_confirm_shovel(deployment_a):
    printed = json.loads(
        deployment_a.cli(
            "peer",
            "link",
            "province",
            "--peer-uri",
            "amqp://u:p@peer.example/xp",
            "--org",
            "429900",
            "--org",
            "429901",
            stdout=True,
        )
    )
    queue = link_queue_name("province", prefix=deployment_a.prefix)
    assert [q["name"] for q in printed["queues"]] == [queue]
    assert printed["queues"][0]["arguments"] == {"x-queue-type": "quorum"}
    assert sorted((b["destination"], b["routing_key"]) for b in printed["bindings"]) == [
        (queue, "org.429900"),
        (queue, "org.429901"),
    ]
    (shovel,) = printed["parameters"]
    assert shovel["component"] == "shovel"
    assert shovel["value"]["ack-mode"] == "on-confirm"
    assert shovel["value"]["src-queue"] == queue
    assert shovel["value"]["dest-uri"] == "amqp://u:p@peer.example/xp"
    assert shovel["value"]["dest-exchange"] == "xuncha.sync"
    assert "dest-exchange-key" not in shovel["value"]  # the routing key org.<code> travels unchanged


def test_peer_link_refuses_a_link_to_itself_and_a_missing_organisation(deployment_a):
    to_itself = deployment_a.cli(
        "peer", "link", "self", "--peer-uri", deployment_a.broker_url, "--peer-prefix", deployment_a.prefix,
        "--org", "429900", "--apply", check=False,
    )  # fmt: skip
    assert "the peer's broker, vhost and prefix are this deployment's own" in to_itself
    bad_code = deployment_a.cli("peer", "link", "p", "--peer-uri", "amqp://h/v", "--org", "42990", check=False)
    assert "not a six-digit region code: 42990" in bad_code


def test_a_shovel_carries_messages_to_the_peer_and_a_link_down_only_delays(
    deployments, deployment_a, django_db_blocker
):
    b = deployments.create("b", organizations=[PROVINCE_B])
    b.start("sync", "consume")
    bus = AmqpBus(deployment_a.broker_url, deployment_a.prefix)
    bus.routed_elsewhere = {"429900"}
    queue = link_queue_name("b", prefix=deployment_a.prefix)
    logs = lambda: b.logs() + deployment_a.logs()  # noqa: E731
    link = [
        "peer", "link", "b", "--peer-uri", b.broker_url, "--peer-prefix", b.prefix, "--org", "429900",
        "--reconnect-delay", "1", "--apply",
    ]  # fmt: skip
    try:
        with django_db_blocker.unblock():
            first, second = _message("410600", "429900"), _message("410600", "429900")
        # No link yet: nothing is bound to org.429900 here, the publish is unroutable (the relay keeps the row).
        with pytest.raises(BusUnavailable, match="unroutable"):
            bus.publish([first])
        assert bus.depth(bus.queue_name("429900")) is None  # and no local queue was made for the peer's org

        assert "ack-mode on-confirm" in deployment_a.cli(*link)
        bus.publish([first])
        # Delivered across: B's consumer judged it (B has never heard of 410600) and dead-lettered it in B.
        wait_for(lambda: first.message_id in _dead_letters(b), timeout=60, logs=logs, what="the first message in B")
        assert _dead_letters(b) == {first.message_id: "unknown-source"}
        b_bus = AmqpBus(b.broker_url, b.prefix)
        wait_for(lambda: b_bus.dead_depth() == 1, timeout=10, logs=logs, what="B's dead-letter queue")
        b_bus.close()

        # The link goes down: the message waits in the outgoing queue, nothing reaches B.
        deployment_a.cli("peer", "unlink", "b")
        bus.publish([second])
        wait_for(lambda: bus.depth(queue) == 1, timeout=20, logs=logs, what="the second message in the link queue")
        assert second.message_id not in _dead_letters(b)
        assert list(_dead_letters(b)) == [first.message_id]  # positive control: B's table is read

        # The link comes back: the waiting message is delivered.
        deployment_a.cli(*link)
        wait_for(lambda: second.message_id in _dead_letters(b), timeout=60, logs=logs, what="the second message")
        wait_for(lambda: bus.depth(queue) == 0, timeout=20, logs=logs, what="an empty link queue")
    finally:
        deployment_a.cli("peer", "unlink", "b", check=False)
        bus.delete_link(queue=queue)
        bus.close()
