"""xuncha peer link | unlink: links to other deployments over RabbitMQ shovels (sync/links.py)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sync.links import LinkError, link_apply, link_plan, link_remove, uri_without_password
from sync.transport import BusUnavailable


class Command(BaseCommand):
    help = "Links to other deployments: declare (or print) the RabbitMQ shovel that carries their messages."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        link = sub.add_parser(
            "link",
            help="the outgoing queue for a peer deployment's organisations and the shovel to its broker: "
            "printed as a RabbitMQ definitions document (rabbitmqctl import_definitions), or --apply",
        )
        link.add_argument("peer", help="a short name for the peer deployment, e.g. province")
        link.add_argument("--peer-uri", required=True, help="the peer's broker and vhost, amqp://user:pass@host/vhost")
        link.add_argument("--peer-prefix", default="xuncha.sync", help="the peer's XUNCHA_SYNC_PREFIX")
        link.add_argument("--org", action="append", required=True, help="a peer organisation's code (repeatable)")
        link.add_argument("--local-uri", default=None, help="this broker as the shovel reaches it (default BROKER_URL)")
        link.add_argument("--reconnect-delay", type=int, default=5, help="seconds between the shovel's reconnects")
        link.add_argument("--apply", action="store_true", help="declare it here (needs rabbitmqctl on this host)")
        unlink = sub.add_parser("unlink", help="remove a link's shovel (what waits in its queue stays)")
        unlink.add_argument("peer")
        unlink.add_argument("--local-uri", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        local_uri = options["local_uri"] or settings.BROKER_URL
        try:
            if options["action"] == "unlink":
                link_remove(peer=options["peer"], local_uri=local_uri)
                self.stdout.write(f"link to {options['peer']} removed; its queue keeps what waits")
                return
            link = link_plan(
                peer=options["peer"],
                peer_uri=options["peer_uri"],
                peer_prefix=options["peer_prefix"],
                codes=options["org"],
                local_uri=local_uri,
                reconnect_delay=options["reconnect_delay"],
            )
            if not options["apply"]:
                self.stdout.write(json.dumps(link.definitions(), indent=2, ensure_ascii=False))
                return
            link_apply(link=link)
        except (LinkError, BusUnavailable) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"link to {link.peer}: {link.queue} -> {uri_without_password(link.peer_uri)} exchange {link.peer_prefix} "
            f"for {', '.join(link.codes)} (shovel {link.shovel}, ack-mode on-confirm)"
        )
