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
    demo_instance_id,
    demo_process_specs,
    environment_for_children,
    split_bind,
)


class Command(BaseCommand):
    help = (
        "Migrate, seed the demo province/city/counties and one user per role, print the sign-ins, "
        "then serve the site and run the sync relay and consumer, a Celery worker and beat until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("XUNCHA_WEB_BIND", DEFAULT_BIND),
            help=f"HOST:PORT for the web process (default {DEFAULT_BIND}, env XUNCHA_WEB_BIND)",
        )
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
        # This instance's own names on a shared broker (unless set explicitly): two demos on one
        # RabbitMQ neither clash on the worker's pidbox nor take each other's jobs or bus messages.
        instance = demo_instance_id(database_url=os.environ.get("DATABASE_URL", ""))
        environment.setdefault("XUNCHA_SYNC_PREFIX", f"xuncha.sync.{instance}")
        environment.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"xuncha.jobs.{instance}")
        if not broker_url:
            # Celery still runs (through files in .run/), the sync bus on the PostgreSQL-table transport.
            environment["CELERY_BROKER_URL"] = "filesystem://"
            self.stdout.write(
                f"[xuncha] no RabbitMQ at {LOCAL_BROKER_URL} and no BROKER_URL: "
                f"Celery uses a file queue in {settings.RUN_DIR / 'celery-broker'}"
            )
        specs, notes = demo_process_specs(
            bind=options["bind"],
            with_sync=True,
            available_commands=set(get_commands()),
            instance_id=instance,
            broker_url=broker_url,
            sync_prefix=environment["XUNCHA_SYNC_PREFIX"],
            jobs_queue=environment["CELERY_TASK_DEFAULT_QUEUE"],
        )
        self.stdout.write(
            f"[xuncha] demo instance {instance} (this machine and its database); processes and the transport each uses:"
        )
        for spec in specs:
            self.stdout.write(f"[xuncha]   {spec.name:<14} {spec.transport}")
        for note in notes:
            self.stdout.write(f"[xuncha] {note}")
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        self.stdout.write(
            f"[xuncha] open http://{shown_host}:{port}/  (Ctrl-C stops everything; a process "
            "that dies is restarted, one that keeps dying stops the demo)"
        )
        self.stdout.flush()
        exit_code = Supervisor(specs, environment=environment, write=self._write).run()
        if exit_code:
            raise CommandError("a process stopped for good (see the line above); everything else was stopped too")

    def _write(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
