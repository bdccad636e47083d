"""xuncha peer export | import | rotate | revoke | list (trust between deployments, sync/peers.py) and
link | unlink (links over RabbitMQ shovels, sync/links.py)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from shared.orgs.models import Organization, PeerKeyEvent, RemoteRoute
from sync.links import LinkError, link_apply, link_plan, link_remove, linked_codes, uri_without_password
from sync.peers import (
    PeerDocumentError,
    peer_export,
    peer_import,
    peer_import_preview,
    peer_key_revoke,
    peer_key_rotate,
)
from sync.transport import BusUnavailable

TRUST = ("export", "import", "rotate", "revoke", "list")


class Command(BaseCommand):
    help = (
        "Trust and links between deployments: export this deployment's organisations and public keys, import a "
        "peer's, rotate or revoke keys; declare (or print) the RabbitMQ shovel that carries a peer's messages."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser(
            "export", help="write the signed list of this deployment's organisations and public keys"
        )
        export.add_argument("file")
        export.add_argument("--name", default=None, help="this deployment's name for its peers (first export only)")
        take = sub.add_parser("import", help="show a peer document's fingerprints and, once confirmed, apply it")
        take.add_argument("file")
        take.add_argument("--route", choices=RemoteRoute.values, default=RemoteRoute.BUNDLE)
        take.add_argument("--yes", action="store_true", help="do not ask (the fingerprints are still printed)")
        for name, text in (
            ("rotate", "give an organisation new keys and write the signed rotation for the peers"),
            ("revoke", "write the signed revocation of an organisation's keys for the peers"),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument("--org", required=True, help="region code of an organisation hosted here")
            command.add_argument("file")
        sub.add_parser("list", help="the peer deployments, their organisations and the key events")
        link = sub.add_parser(
            "link",
            help="the outgoing queue for a peer deployment's organisations and the shovel to its broker: "
            "printed as a RabbitMQ definitions document (rabbitmqctl import_definitions), or --apply",
        )
        link.add_argument("peer", help="a short name for the peer deployment, e.g. province")
        link.add_argument("--peer-uri", required=True, help="the peer's broker and vhost, amqp://user:pass@host/vhost")
        link.add_argument("--peer-prefix", default="xuncha.sync", help="the peer's XUNCHA_SYNC_PREFIX")
        link.add_argument(
            "--org",
            action="append",
            default=None,
            help="a peer organisation's code (repeatable; default: the peer's organisations with route link)",
        )
        link.add_argument("--local-uri", default=None, help="this broker as the shovel reaches it (default BROKER_URL)")
        link.add_argument("--reconnect-delay", type=int, default=5, help="seconds between the shovel's reconnects")
        link.add_argument("--apply", action="store_true", help="declare it here (needs rabbitmqctl on this host)")
        unlink = sub.add_parser("unlink", help="remove a link's shovel (what waits in its queue stays)")
        unlink.add_argument("peer")
        unlink.add_argument("--local-uri", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] not in TRUST:
            self._link(options)
            return
        # Operators read the office's language (a refusal's reason is Chinese, as on the pages).
        with translation.override(settings.LANGUAGE_CODE):
            try:
                self._handle(options)
            except (PeerDocumentError, ValidationError) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                raise CommandError(text) from error

    def _handle(self, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "export":
            Path(options["file"]).write_bytes(peer_export(name=options["name"]))
            self.stdout.write(_("Written: %(file)s") % {"file": options["file"]})
        elif action in ("rotate", "revoke"):
            write = peer_key_rotate if action == "rotate" else peer_key_revoke
            Path(options["file"]).write_bytes(write(code=options["org"]))
            self.stdout.write(
                _("Written: %(file)s (to be imported by the peer deployments)") % {"file": options["file"]}
            )
        elif action == "import":
            self._import(options)
        else:
            for org in Organization.objects.remote().select_related("peer", "parent").order_by("peer__name", "code"):
                self.stdout.write(f"{org.peer}\t{org.code}\t{org.kind}\t{org.remote_route}\t{org.name}")
            for event in PeerKeyEvent.objects.select_related("peer"):
                direction = _("received") if event.received else _("sent")
                self.stdout.write(
                    f"{event.at:%Y-%m-%d %H:%M}\t{event.get_kind_display()}\t{direction}\t"
                    f"{event.peer or '-'}\t{event.organization_code or '-'}\t#{event.sequence}\t{event.fingerprint}"
                )

    def _import(self, options: dict[str, Any]) -> None:
        try:
            raw = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": options["file"], "error": error.strerror}
            ) from error
        document = peer_import_preview(raw=raw)
        self.stdout.write(
            _("Deployment %(deployment)s, document number %(number)d")
            % {"deployment": document.deployment, "number": document.sequence}
        )
        self.stdout.write(_("Deployment signing key fingerprint: %(fp)s") % {"fp": document.deployment_fingerprint})
        if document.kind == "organizations":
            for line in document.organizations:
                state = _("known") if line.known else _("new")
                self.stdout.write(f"  {state} {line.code} {line.name}: {line.fingerprint}")
        else:
            what = _("key rotation") if document.event == "rotate" else _("key revocation")
            self.stdout.write(f"  {what}: {document.body.get('code')}")
        self.stdout.write(_("Compare these fingerprints with the other deployment by phone or letter."))
        if not options["yes"]:
            self.stdout.write(_("Do the fingerprints match? Import? [y/N] "), ending="")
            self.stdout.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes", "是"):
                self.stdout.write(_("Not imported."))
                return
        peer_import(raw=raw, route=options["route"])
        self.stdout.write(_("Imported."))

    def _link(self, options: dict[str, Any]) -> None:
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
                codes=options["org"] or linked_codes(peer=options["peer"]),
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
