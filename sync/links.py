"""Links between deployments: RabbitMQ shovels (docs/SYNC.md, "Linked deployments").

This deployment's relay publishes a message for an organisation of a linked peer deployment to its own exchange
`<prefix>` with the routing key `org.<code>`, as for any organisation. No local queue is declared for a remote
organisation; instead the link's outgoing queue `<prefix>.link.<peer>` (a durable quorum queue) is bound to
`org.<code>` for each of the peer's organisations, and a dynamic shovel of this broker (the rabbitmq_shovel plugin)
moves what it holds to the peer's broker: consumed from the outgoing queue, published to the peer's exchange with
the routing key unchanged, so it lands in the peer's `<peer prefix>.org.<code>` queue and the peer's consumer
applies it like any message (its envelope checks, policy, inbox, dead letters). `ack-mode: on-confirm`: the shovel
acks a message here only once the peer's broker confirmed it, so a link that is down (shovel stopped, peer broker
unreachable) only delays: messages wait in the outgoing queue, and until the binding exists at all the relay's
mandatory publish is unroutable and the outbox row waits with its backoff.

`xuncha peer link NAME --peer-uri ... --peer-prefix ... --org CODE ...` prints these definitions as a RabbitMQ
definitions document (`rabbitmqctl import_definitions FILE`) or, with `--apply`, declares them: the queue and its
bindings over AMQP, the peer's exchange and queues over the peer's URI (so nothing the shovel moves is dropped for
want of a queue), the shovel with `rabbitmqctl set_parameter`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shared.orgs.models import RemoteRoute
from sync.orgs import remote_routes
from sync.transport import AmqpBus, sync_prefix

PEER_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")  # as orgs.Peer.name
LINK_QUEUE_ARGUMENTS = {"x-queue-type": "quorum"}


class LinkError(Exception):
    """A link that cannot be declared as asked (the message says why)."""


def link_queue_name(peer: str, *, prefix: str | None = None) -> str:
    """The outgoing queue of the link to `peer`: what the shovel to that peer moves."""
    return f"{prefix or sync_prefix()}.link.{peer}"


def shovel_name(peer: str, *, prefix: str | None = None) -> str:
    return f"{prefix or sync_prefix()}.link.{peer}"


def vhost_of(uri: str) -> str:
    """The vhost an AMQP URI names ("/" when it names none)."""
    path = urllib.parse.urlparse(uri).path
    return urllib.parse.unquote(path[1:]) if len(path) > 1 else "/"


def uri_for_shovel(uri: str) -> str:
    """The URI with its vhost percent-encoded, as the shovel plugin takes it ("/" is "%2F"; kombu also reads
    "amqp://host//" as the default vhost, the shovel refuses it)."""
    parsed = urllib.parse.urlparse(uri)
    return parsed._replace(path="/" + urllib.parse.quote(vhost_of(uri), safe="")).geturl()


def uri_without_password(uri: str) -> str:
    parsed = urllib.parse.urlparse(uri)
    if parsed.password is None:
        return uri
    netloc = f"{parsed.username}:***@{parsed.hostname}" + (f":{parsed.port}" if parsed.port else "")
    return parsed._replace(netloc=netloc).geturl()


@dataclass(frozen=True)
class Link:
    """A link from this deployment's broker (`local_uri`, bus `prefix`) to a peer's (`peer_uri`, `peer_prefix`)
    carrying messages for the peer's organisations `codes`."""

    peer: str
    local_uri: str
    peer_uri: str
    peer_prefix: str
    codes: tuple[str, ...]
    prefix: str
    reconnect_delay: int = 5

    @property
    def queue(self) -> str:
        return link_queue_name(self.peer, prefix=self.prefix)

    @property
    def shovel(self) -> str:
        return shovel_name(self.peer, prefix=self.prefix)

    def shovel_definition(self) -> dict[str, Any]:
        """The dynamic shovel's value (RabbitMQ 3.10 keys). No dest-exchange-key: the message keeps its routing
        key org.<code>, which the peer's exchange routes to that organisation's queue."""
        return {
            "src-protocol": "amqp091",
            "src-uri": self.local_uri,
            "src-queue": self.queue,
            "dest-protocol": "amqp091",
            "dest-uri": self.peer_uri,
            "dest-exchange": self.peer_prefix,
            "ack-mode": "on-confirm",
            "src-delete-after": "never",
            "reconnect-delay": self.reconnect_delay,
        }

    def definitions(self) -> dict[str, Any]:
        """This broker's side as a RabbitMQ definitions document (rabbitmqctl import_definitions)."""
        vhost = vhost_of(self.local_uri)
        return {
            "exchanges": [
                {
                    "name": self.prefix,
                    "vhost": vhost,
                    "type": "topic",
                    "durable": True,
                    "auto_delete": False,
                    "internal": False,
                    "arguments": {},
                }
            ],
            "queues": [
                {
                    "name": self.queue,
                    "vhost": vhost,
                    "durable": True,
                    "auto_delete": False,
                    "arguments": LINK_QUEUE_ARGUMENTS,
                }
            ],
            "bindings": [
                {
                    "source": self.prefix,
                    "vhost": vhost,
                    "destination": self.queue,
                    "destination_type": "queue",
                    "routing_key": f"org.{code}",
                    "arguments": {},
                }
                for code in self.codes
            ],
            "parameters": [
                {"component": "shovel", "vhost": vhost, "name": self.shovel, "value": self.shovel_definition()}
            ],
        }


def link_plan(
    *,
    peer: str,
    peer_uri: str,
    peer_prefix: str,
    codes: Iterable[str],
    local_uri: str,
    prefix: str | None = None,
    reconnect_delay: int = 5,
) -> Link:
    """Check the arguments and return the link they describe."""
    codes = tuple(sorted(set(codes)))
    if not PEER_NAME.match(peer):
        raise LinkError(f"peer name {peer!r}: lower-case letters, digits and '-' only")
    if not codes:
        raise LinkError(
            f"no organisation of peer {peer} has route link here: import its list (xuncha peer import FILE "
            "--route link) or name them (--org CODE)"
        )
    bad = [code for code in codes if not re.fullmatch(r"\d{6}", code)]
    if bad:
        raise LinkError(f"not a six-digit region code: {', '.join(bad)}")
    for what, uri in (("this broker", local_uri), ("the peer's broker", peer_uri)):
        if not uri.startswith(("amqp://", "amqps://")):
            raise LinkError(f"{what} needs an amqp:// or amqps:// URI, got {uri_without_password(uri)!r}")
    prefix = prefix or sync_prefix()
    if (vhost_of(local_uri), prefix) == (vhost_of(peer_uri), peer_prefix) and _same_broker(local_uri, peer_uri):
        raise LinkError("the peer's broker, vhost and prefix are this deployment's own")
    return Link(
        peer=peer,
        local_uri=uri_for_shovel(local_uri),
        peer_uri=uri_for_shovel(peer_uri),
        peer_prefix=peer_prefix,
        codes=codes,
        prefix=prefix,
        reconnect_delay=reconnect_delay,
    )


def _same_broker(first: str, second: str) -> bool:
    one, two = urllib.parse.urlparse(first), urllib.parse.urlparse(second)
    return (one.hostname, one.port or 5672) == (two.hostname, two.port or 5672)


def link_apply(*, link: Link) -> None:
    """Declare the link: the peer's exchange and organisation queues (as its consumer declares them), this
    broker's outgoing queue and bindings, then the shovel (`rabbitmqctl set_parameter`, on the broker's host)."""
    peer_bus = AmqpBus(link.peer_uri, link.peer_prefix)
    try:
        peer_bus.declare(link.codes)
    finally:
        peer_bus.close()
    local = AmqpBus(link.local_uri, link.prefix)
    try:
        local.declare_link(queue=link.queue, codes=link.codes)
    finally:
        local.close()
    rabbitmqctl(
        "set_parameter", "-p", vhost_of(link.local_uri), "shovel", link.shovel, json.dumps(link.shovel_definition())
    )


def linked_codes(*, peer: str) -> list[str]:
    """The remote organisations of deployment `peer` whose route is `link` (what its link carries)."""
    return sorted(code for code, (route, name) in remote_routes().items() if route == RemoteRoute.LINK and name == peer)


def link_remove(*, peer: str, local_uri: str, prefix: str | None = None) -> None:
    """Stop and remove the link's shovel; the outgoing queue and what waits in it stay (a link that comes back
    delivers them)."""
    rabbitmqctl("clear_parameter", "-p", vhost_of(local_uri), "shovel", shovel_name(peer, prefix=prefix))


def rabbitmqctl(*args: str) -> str:
    if shutil.which("rabbitmqctl") is None:
        raise LinkError("rabbitmqctl is not on this host: print the definitions and import them on the broker's host")
    result = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise LinkError(f"rabbitmqctl {args[0]} failed: {(result.stderr or result.stdout).strip()[:300]}")
    return result.stdout
