"""Messages per second across a link (a RabbitMQ shovel to another deployment's vhost), next to the same run's
local bus figure.

    BROKER_URL=amqp://guest:guest@127.0.0.1:5672// python bench/link.py [N]

Needs rabbitmqctl on this host (the shovel is a runtime parameter; the peer is a vhost created here and deleted at
the end) and the rabbitmq_shovel plugin. Declares everything as the platform does (sync/links.py: the link's
outgoing quorum queue bound to org.<code>, an on-confirm shovel to the peer's exchange, the peer's organisation
queue declared by its AmqpBus) under a unique prefix, and prints, for N persistent ~1 KB messages published as the
relay does (batches of 100, confirms awaited per batch):
- local: published and confirmed into this deployment's own organisation queue (what the relay achieves when
  the destination is local), messages/s;
- across the link, live: from the first publish to the last message in the peer's queue (shovel running);
- across the link, drain: a backlog of N written while the link is down, from the first message the restored
  shovel moved to the last in the peer's queue (the link alone, at saturation);
each as a share of the local figure. The envelopes' checks and the apply are the consumer's, the same on both
sides of a link, and measured by bench/sync.py.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "platform")]

PEER_CODE = "429900"
LOCAL_CODE = "410600"
BATCH = 100


def publish(bus, code: str, count: int, body: bytes) -> float:
    """Publish `count` messages to org.<code> in batches of 100 with confirms; seconds taken."""
    from sync.transport import Outgoing

    started = time.perf_counter()
    for start in range(0, count, BATCH):
        bus.publish([Outgoing(code, str(uuid.uuid4()), body) for _ in range(min(BATCH, count - start))])
    return time.perf_counter() - started


def wait_depth(bus, queue: str, expected: int, timeout: float = 900) -> float:
    """Poll the queue's depth until it reaches `expected`; the perf_counter time it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (bus.depth(queue) or 0) >= expected:
            return time.perf_counter()
        time.sleep(0.05)
    raise SystemExit(f"{queue} did not reach {expected} messages in {timeout:.0f}s")


def main(count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "postgresql://unused/x")  # nothing here touches a database
    broker = os.environ.get("BROKER_URL", "")
    if not broker.startswith("amqp"):
        sys.exit("BROKER_URL (amqp://...) is not set: the link benchmark needs RabbitMQ")
    import django

    django.setup()
    from sync.links import link_apply, link_plan, link_remove, rabbitmqctl
    from sync.transport import AmqpBus

    token = f"{os.getpid()}.{uuid.uuid4().hex[:6]}"
    prefix, peer_prefix, vhost = f"xuncha.bench.{token}", f"xuncha.benchpeer.{token}", f"xuncha.bench.peer.{token}"
    parsed = urllib.parse.urlparse(broker)
    peer_uri = parsed._replace(path="/" + urllib.parse.quote(vhost, safe="")).geturl()
    rabbitmqctl("add_vhost", vhost)
    rabbitmqctl("set_permissions", "-p", vhost, parsed.username or "guest", ".*", ".*", ".*")
    local = AmqpBus(broker, prefix)
    local.routed_elsewhere = {PEER_CODE}
    peer = AmqpBus(peer_uri, peer_prefix)
    link = link_plan(
        peer="bench", peer_uri=peer_uri, peer_prefix=peer_prefix, codes=[PEER_CODE], local_uri=broker, prefix=prefix
    )
    body = os.urandom(700).hex().encode()[:1000]
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} (shared with other users)")
    try:
        publish(local, LOCAL_CODE, 200, body)  # warm-up, then the queue is emptied
        local.delete_everything([LOCAL_CODE])
        local_rate = count / publish(local, LOCAL_CODE, count, body)
        print(f"local bus: {count} messages published and confirmed into the organisation's queue  {local_rate:8.0f}/s")

        link_apply(link=link)
        started = time.perf_counter()
        publish(local, PEER_CODE, count, body)
        live = count / (wait_depth(peer, peer.queue_name(PEER_CODE), count) - started)
        print(f"across the link, live: {count} messages to the peer's queue  {live:8.0f}/s ({live / local_rate:.0%})")

        link_remove(peer="bench", local_uri=broker, prefix=prefix)
        publish(local, PEER_CODE, count, body)
        wait_depth(local, link.queue, count)
        link_apply(link=link)
        peer_queue = peer.queue_name(PEER_CODE)
        first = wait_depth(peer, peer_queue, count + 1)  # the shovel has started moving the backlog
        moved_before = (peer.depth(peer_queue) or 0) - count
        drained = (count - moved_before) / (wait_depth(peer, peer_queue, 2 * count) - first)
        print(
            f"across the link, drain: a backlog of {count}, from the first message moved  {drained:8.0f}/s "
            f"({drained / local_rate:.0%})"
        )
    finally:
        try:
            link_remove(peer="bench", local_uri=broker, prefix=prefix)
        except Exception as error:  # noqa: BLE001 - already removed, or the broker is gone: reported, not fatal
            print(f"(removing the shovel: {error})")
        local.delete_link(queue=link.queue)
        local.delete_everything([LOCAL_CODE])
        peer.close()
        rabbitmqctl("delete_vhost", vhost)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
