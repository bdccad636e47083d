"""xuncha sync relay | consume | status | verify | setup | keys"""

from __future__ import annotations

import json
import signal
import threading
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from shared.buskeys.services import organizations_bus_keys_ensure
from sync.bundles import BundleError, bundle_backlog, bundle_export, bundle_import
from sync.consumer import consume_run
from sync.orgs import organizations
from sync.relay import relay_run
from sync.status import status_rows, status_table
from sync.transport import bus_from_settings
from sync.verify import (
    differences_document,
    differences_resend,
    expected_replicas,
    expected_replicas_check,
    shared_records_reevaluate,
    sync_verify,
)


def stop_on_signals() -> threading.Event:
    """A stop flag set by SIGTERM/SIGINT, so a process manager stops us cleanly (the current
    batch finishes or rolls back; nothing is acked or marked before its commit)."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def _partition(text: str) -> tuple[int, int]:
    """'I/K' as (I, K), 0 <= I < K."""
    index, _, count = text.partition("/")
    try:
        partition = (int(index), int(count))
    except ValueError:
        raise ArgumentTypeError(f"expected I/K (e.g. 0/4), got {text!r}") from None
    if not 0 <= partition[0] < partition[1]:
        raise ArgumentTypeError(f"expected 0 <= I < K, got {text!r}")
    return partition


class Command(BaseCommand):
    help = "The sync bus between organisations: relay, consume, status, verify, setup, keys."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("relay", "publish every organisation's outbox (or --org ones) to the bus"),
            ("consume", "consume the queues of every organisation (or --org ones)"),
            ("status", "outbox backlog, queue depth, lag, dead letters and last sync per organisation"),
            ("verify", "compare owners' copies with replicas; re-send what is missing or stale"),
            ("setup", "declare the exchange, dead-letter queue and every organisation's queue"),
            ("keys", "give every organisation without bus keys its key pairs"),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument("--org", action="append", default=None, help="region code (repeatable)")
            if name == "verify":
                command.add_argument("--dry-run", action="store_true", help="report only, re-send nothing")
                command.add_argument(
                    "--expected-out",
                    metavar="FILE",
                    help="write what the organisations here shared with the --to organisations of another "
                    "deployment (versions and digests only), for `sync verify --expected-in` there",
                )
                command.add_argument("--to", action="append", default=None, help="with --expected-out: a code")
                command.add_argument(
                    "--expected-in",
                    metavar="FILE",
                    help="compare another deployment's expected-replicas file with the replicas here",
                )
                command.add_argument(
                    "--differences-out", metavar="FILE", help="with --expected-in: write what to re-send"
                )
                command.add_argument(
                    "--resend", metavar="FILE", help="queue again what another deployment's differences file lists"
                )
                command.add_argument(
                    "--policy",
                    action="store_true",
                    help="first re-evaluate every record each owner shares against the policy "
                    "(withdraws what a change made outside the services left shared)",
                )
            if name in ("relay", "consume"):
                command.add_argument("--poll", type=float, default=5.0, help="fallback poll interval (s)")
                command.add_argument("--prefetch", type=int, default=50, help="largest batch per organisation")
            if name == "consume":
                command.add_argument(
                    "--workers",
                    type=int,
                    default=4,
                    help="threads applying batches; each organisation's queue is consumed on its own, so a slow "
                    "organisation holds up only its own (RabbitMQ; default 4)",
                )
                command.add_argument(
                    "--partition",
                    type=_partition,
                    default=None,
                    metavar="I/K",
                    help="consume only the organisations whose code hashes to partition I of K (run K processes)",
                )

        bundle = sub.add_parser("bundle", help="carry the bus by file to a deployment with no link").add_subparsers(
            dest="bundle_action", required=True
        )
        export = bundle.add_parser("export", help="every message due to --to CODE since its last acknowledgement")
        export.add_argument("--to", required=True, dest="bundle_to", help="a remote organisation's code")
        export.add_argument("file")
        export.add_argument("--office", default=None, help="only the messages of this hosted organisation (its page's)")
        take = bundle.add_parser("import", help="apply a bundle (and write its acknowledgement) or take an ack")
        take.add_argument("file")
        take.add_argument("--ack-out", default=None, help="where the acknowledgement goes (default FILE.ack.json)")
        take.add_argument("--office", default=None, help="refuse a bundle or ack not for this hosted organisation")
        bundle.add_parser("status", help="what waits for each organisation reached by bundles")

    def handle(self, *args: Any, **options: Any) -> None:

        action, codes = options["action"], options.get("org")
        if action == "bundle":
            with translation.override(settings.LANGUAGE_CODE):  # operators read the office's language
                self._bundle(options)
            return
        try:
            if action == "relay":
                bus = bus_from_settings()
                self.stdout.write(f"sync relay on {bus.kind} for {', '.join(codes) if codes else 'all organisations'}")
                relay_run(codes=codes, bus=bus, stop=stop_on_signals(), poll_seconds=options["poll"])
            elif action == "consume":
                bus = bus_from_settings()
                self.stdout.write(
                    f"sync consumer on {bus.kind} for {', '.join(codes) if codes else 'all organisations'}"
                )
                consume_run(
                    codes=codes,
                    bus=bus,
                    stop=stop_on_signals(),
                    prefetch=options["prefetch"],
                    workers=options["workers"],
                    partition=options["partition"],
                )
            elif action == "status":
                self.stdout.write(status_table(status_rows(codes=codes, bus=bus_from_settings())))
            elif action == "verify" and (options["expected_out"] or options["expected_in"] or options["resend"]):
                self._verify_across(options)
            elif action == "verify":
                if options["policy"]:
                    for code, written in shared_records_reevaluate(codes=codes, dry_run=options["dry_run"]).items():
                        self.stdout.write(
                            f"{code}: policy re-evaluation, {written} message(s)"
                            f"{' would be' if options['dry_run'] else ''} queued"
                        )
                report = sync_verify(codes=codes, repair=not options["dry_run"])
                for line in report.lines():
                    self.stdout.write(line)
            elif action == "setup":
                bus = bus_from_settings()
                bus.declare([org.code for org in organizations(codes)])
                bus.close()
                self.stdout.write(f"declared on {bus.kind}")
            elif action == "keys":
                self.stdout.write(f"{organizations_bus_keys_ensure()} organisation(s) got new bus keys")
        except ValueError as error:
            raise CommandError(str(error)) from error
        if action in ("relay", "consume"):
            self.stdout.write("stopped")

    def _bundle(self, options: dict[str, Any]) -> None:
        if options["bundle_action"] == "status":
            for row in bundle_backlog():
                self.stdout.write(
                    _(
                        "%(code)s %(name)s (%(peer)s): %(waiting)d waiting since %(oldest)s; "
                        "last bundle %(exported)s, last ack %(acked)s"
                    )
                    % {
                        "code": row.code,
                        "name": row.name,
                        "peer": row.peer,
                        "waiting": row.waiting,
                        "oldest": f"{row.oldest:%Y-%m-%d %H:%M}" if row.oldest else "-",
                        "exported": f"{row.last_exported:%Y-%m-%d %H:%M}" if row.last_exported else "-",
                        "acked": f"{row.last_acknowledged:%Y-%m-%d %H:%M}" if row.last_acknowledged else "-",
                    }
                )
            return
        path = Path(options["file"])
        try:
            if options["bundle_action"] == "export":
                raw = bundle_export(to=options["bundle_to"], office=options["office"])
                path.write_bytes(raw)
                self.stdout.write(
                    _("Bundle for %(code)s written: %(file)s") % {"code": options["bundle_to"], "file": path}
                )
                return
            try:
                raw = path.read_bytes()
            except OSError as error:
                raise CommandError(
                    _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
                ) from error
            result = bundle_import(raw=raw, office=options["office"])
        except BundleError as error:
            raise CommandError(str(error)) from error
        if result.repeated:
            self.stdout.write(_("This bundle was imported before: nothing changed by it again."))
        if result.kind == "ack":
            self.stdout.write(
                _("Acknowledgement from %(deployment)s: %(marked)d message(s) delivered, %(requeued)d queued again")
                % {"deployment": result.deployment, "marked": result.acknowledged, "requeued": result.requeued}
            )
            return
        outcomes = ", ".join(f"{name} {count}" for name, count in sorted(result.outcomes.items())) or "0"
        self.stdout.write(
            _("Bundle %(number)d from %(deployment)s for %(code)s: %(outcomes)s; %(missing)d record(s) still missing")
            % {
                "number": result.sequence,
                "deployment": result.deployment,
                "code": result.destination,
                "outcomes": outcomes,
                "missing": result.missing,
            }
        )
        ack_path = Path(options["ack_out"] or f"{path}.ack.json")
        ack_path.write_bytes(result.ack or b"")
        self.stdout.write(_("Acknowledgement written: %(file)s (carry it back)") % {"file": ack_path})

    def _verify_across(self, options: dict[str, Any]) -> None:
        """Verify across deployments, by files carried between them (docs/SYNC.md, "Linked deployments")."""
        if options["expected_out"]:
            if not options["to"]:
                raise CommandError("--expected-out needs the other deployment's organisations (--to CODE)")
            document = expected_replicas(destinations=options["to"])
            Path(options["expected_out"]).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            records = sum(len(pair["records"]) for pair in document["pairs"])
            self.stdout.write(f"{records} record(s) in {len(document['pairs'])} pair(s) written")
        elif options["expected_in"]:
            report = expected_replicas_check(expected=_read_json(options["expected_in"]))
            for line in report.lines():
                self.stdout.write(line)
            if options["differences_out"]:
                Path(options["differences_out"]).write_text(
                    json.dumps(differences_document(report), ensure_ascii=False), encoding="utf-8"
                )
            if not report.healthy:
                raise CommandError("differences found")
        else:
            self.stdout.write(f"{differences_resend(differences=_read_json(options['resend']))} message(s) queued")


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"{path}: {error}") from error
