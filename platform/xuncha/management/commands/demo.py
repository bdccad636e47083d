"""`xuncha demo`: migrate, seed the demo organisations and people, then run every process."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError

from shared.orgs.services import platform_migrate
from xuncha.demo import DemoSeedError, demo_seed, logins_table
from xuncha.processes import (
    DEFAULT_BIND,
    LOCAL_BROKER_URL,
    Supervisor,
    broker_reachable,
    demo_process_specs,
    environment_for_children,
    split_bind,
)


class Command(BaseCommand):
    help = ("Migrate, seed the demo province/city/counties and one user per role, print the sign-ins, "
            "then serve the site and run the sync relay and consumer, a Celery worker and beat until Ctrl-C.")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("XUNCHA_WEB_BIND", DEFAULT_BIND),
                            help=f"HOST:PORT for the web process (default {DEFAULT_BIND}, env XUNCHA_WEB_BIND)")
        parser.add_argument("--seed-only", action="store_true", help="migrate and seed, then exit")

    def handle(self, *args, **options):
        try:
            host, port = split_bind(options["bind"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("[xuncha] migrating (public schema, template, organisations) ...")
        platform_migrate(verbosity=0)
        try:
            context = demo_seed()
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        created = ", ".join(f"{number} {what}" for what, number in context.created.items()) or "nothing (all present)"
        self.stdout.write(f"[xuncha] demo data: created {created}")
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (passwords are set when a user is first created; a changed one is kept):")
        self.stdout.write(logins_table(context))
        self.stdout.write("")
        if options["seed_only"]:
            return

        broker_url = os.environ.get("BROKER_URL") or (LOCAL_BROKER_URL if broker_reachable(LOCAL_BROKER_URL) else "")
        environment = environment_for_children(broker_url=broker_url or None)
        if not broker_url:
            # Celery still runs (through files in .run/), the sync bus needs RabbitMQ.
            environment["CELERY_BROKER_URL"] = "filesystem://"
            self.stdout.write(f"[xuncha] no RabbitMQ at {LOCAL_BROKER_URL} and no BROKER_URL: "
                              f"Celery uses a file queue in {settings.RUN_DIR / 'celery-broker'}")
        if not broker_url:
            self.stdout.write("[xuncha] sync bus: embedded PostgreSQL-table transport (docs/SYNC.md)")
        # The sync bus runs either way: RabbitMQ with a broker, the PostgreSQL-table transport without.
        specs, notes = demo_process_specs(bind=options["bind"], with_sync=True,
                                          available_commands=set(get_commands()))
        self.stdout.write("[xuncha] processes: " + ", ".join(spec.name for spec in specs))
        for note in notes:
            self.stdout.write(f"[xuncha] {note}")
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        self.stdout.write(f"[xuncha] open http://{shown_host}:{port}/  (Ctrl-C stops everything)")
        self.stdout.flush()
        exit_code = Supervisor(specs, environment=environment, write=self._write).run()
        if exit_code:
            raise CommandError("the web process stopped; everything else was stopped too")

    def _write(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
