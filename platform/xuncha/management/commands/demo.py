"""`xuncha demo`: migrate, seed the demo organisations and people, then run every process.

`--province linked` (or XUNCHA_DEMO_PROVINCE=linked) runs the province on a second deployment of its own, linked by
RabbitMQ shovels (xuncha/demo/linked.py; deploy/README.md, topology 2)."""

from __future__ import annotations

import dataclasses
import os

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from shared.orgs.services import platform_migrate
from xuncha.demo import DEMO_ORGANIZATIONS, DemoSeedError, demo_seed, logins_table
from xuncha.demo.linked import (
    CITY_PEER,
    MODES,
    PROVINCE,
    PROVINCE_PEER,
    LinkedDemoError,
    ProvinceDeployment,
    cli,
    database_ensure,
    linked_requirements_problem,
    province_deployment,
)
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
        parser.add_argument(
            "--province",
            choices=MODES,
            default=os.environ.get("XUNCHA_DEMO_PROVINCE", ""),
            help="local (default): the province is an organisation of this deployment; linked: it runs on a "
            "deployment of its own (its own database, bus prefix, web port and processes) joined to this one by "
            "RabbitMQ shovels (needs BROKER_URL and the rabbitmq_shovel plugin). Env XUNCHA_DEMO_PROVINCE",
        )
        parser.add_argument(
            "--province-bind",
            default=os.environ.get("XUNCHA_DEMO_PROVINCE_BIND", ""),
            help="HOST:PORT of the linked province's web process (default: the next port; env "
            "XUNCHA_DEMO_PROVINCE_BIND)",
        )
        parser.add_argument(
            "--host-only",
            action="append",
            default=None,
            metavar="CODE",
            help="seed only these demo organisations here (repeatable; the linked province's deployment uses it)",
        )

    def handle(self, *args, **options):
        try:
            host, port = split_bind(options["bind"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        linked = options["province"] == "linked"
        if options["province"] not in MODES:  # the env default bypasses argparse's choices
            raise CommandError(f"XUNCHA_DEMO_PROVINCE={options['province']!r}: use one of local, linked")
        if linked:
            # Before anything is migrated or started: a linked province needs RabbitMQ with its shovel plugin.
            broker_url = os.environ.get("BROKER_URL", "")
            problem = linked_requirements_problem(broker_url=broker_url)
            if problem:
                raise CommandError(problem)
            try:
                split_bind(options["province_bind"] or f"{host}:{port + 1}")
            except ValueError as error:
                raise CommandError(str(error)) from error
        else:
            broker_url = os.environ.get("BROKER_URL") or (
                LOCAL_BROKER_URL if broker_reachable(LOCAL_BROKER_URL) else ""
            )
        environment = environment_for_children(broker_url=broker_url or None)
        # This instance's own names on a shared broker (unless set explicitly): two demos on one
        # RabbitMQ neither clash on the worker's pidbox nor take each other's jobs or bus messages.
        instance = demo_instance_id(database_url=os.environ.get("DATABASE_URL", ""))
        environment.setdefault("XUNCHA_SYNC_PREFIX", f"xuncha.sync.{instance}")
        environment.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"xuncha.jobs.{instance}")

        self.stdout.write("[xuncha] migrating (public schema, template, organisations) ...")
        platform_migrate(verbosity=0)
        province = None
        hosted = options["host_only"]
        if linked:
            shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
            province = province_deployment(
                city_database_url=os.environ.get("DATABASE_URL", ""),
                broker_url=broker_url,
                run_dir=settings.RUN_DIR,
                bind=options["province_bind"] or f"{shown}:{port + 1}",
            )
            try:
                self._province_prepare(province, environment)
            except LinkedDemoError as error:
                raise CommandError(str(error)) from error
            hosted = [code for _kind, code, *_rest in DEMO_ORGANIZATIONS if code != PROVINCE]
        try:
            context = demo_seed(hosted=hosted)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        created = ", ".join(f"{number} {what}" for what, number in context.created.items()) or "nothing (all present)"
        self.stdout.write(f"[xuncha] demo data: created {created}")
        if context.carried:  # the seed's bus steps (xuncha.demo.outbox_carry); the relay carries the rest
            self.stdout.write(
                f"[xuncha] demo data: {context.carried} messages carried in process among the city and counties"
            )
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (passwords are set when a user is first created; a changed one is kept):")
        self.stdout.write(logins_table(context))
        self.stdout.write("")
        if province is not None:
            try:
                self._province_link(province, environment)
            except LinkedDemoError as error:
                raise CommandError(str(error)) from error
        if options["seed_only"]:
            return
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
        if province is not None:
            province_specs, _notes = demo_process_specs(
                bind=province.bind,
                with_sync=True,
                available_commands=set(get_commands()),
                instance_id=province.instance,
                broker_url=province.broker_url,
                sync_prefix=province.prefix,
                jobs_queue=province.jobs_queue,
            )
            province_environment = province.environment(environment)
            specs += [
                dataclasses.replace(spec, name=f"province {spec.name}", environment=province_environment)
                for spec in province_specs
            ]
        for spec in specs:
            self.stdout.write(f"[xuncha]   {spec.name:<23} {spec.transport}")
        for note in notes:
            self.stdout.write(f"[xuncha] {note}")
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        if province is not None:
            province_host, province_port = split_bind(province.bind)
            self.stdout.write(
                f"[xuncha] city platform (鹤壁市 and its counties): http://{shown_host}:{port}/  e.g. hebi.admin\n"
                f"[xuncha] province (河南省, its own deployment):    http://{province_host}:{province_port}/  "
                "e.g. henan.admin (the city's filings arrive over the shovel: 收到的备案, /org/410000/reports/inbox/)"
            )
        self.stdout.write(
            f"[xuncha] open http://{shown_host}:{port}/  (Ctrl-C stops everything; a process "
            "that dies is restarted, one that keeps dying stops the demo)"
        )
        self.stdout.flush()
        exit_code = Supervisor(specs, environment=environment, write=self._write).run()
        if exit_code:
            raise CommandError("a process stopped for good (see the line above); everything else was stopped too")

    def _province_prepare(self, province: ProvinceDeployment, environment: dict[str, str]) -> None:
        """The province's deployment: its database, migrated and seeded (the province and its people) by its own
        `xuncha demo --seed-only`; then its signed organisation list imported here, as the operator would."""
        created = database_ensure(province.database_url)
        self.stdout.write(
            f"[xuncha] province deployment: database {province.database_url.rsplit('/', 1)[-1]} "
            f"({'created' if created else 'present'}), bus exchange {province.prefix}, run directory "
            f"{province.run_dir}"
        )
        child = province.environment(environment)
        self.stdout.write(
            "[province] " + cli(child, "demo", "--seed-only", "--host-only", PROVINCE).replace("\n", "\n[province] ")
        )
        document = province.run_dir / "peer-province.json"
        cli(child, "peer", "export", str(document), "--name", PROVINCE_PEER)
        self.stdout.write("[xuncha] trust: the province's organisations and keys, imported here (route link):")
        call_command("peer", "import", str(document), "--route", "link", "--yes", stdout=self.stdout)

    def _province_link(self, province: ProvinceDeployment, environment: dict[str, str]) -> None:
        """The city platform's organisation list imported at the province; one shovel each way."""
        document = settings.RUN_DIR / f"peer-{CITY_PEER}.json"
        document.parent.mkdir(parents=True, exist_ok=True)
        call_command("peer", "export", str(document), "--name", CITY_PEER, stdout=self.stdout)
        child = province.environment(environment)
        self.stdout.write("[province] trust: the city platform's organisations and keys, imported there:")
        self.stdout.write(cli(child, "peer", "import", str(document), "--route", "link", "--yes"))
        link = ("--reconnect-delay", "2", "--apply")
        self.stdout.write(
            "[xuncha] "
            + cli(
                environment,
                "peer",
                "link",
                PROVINCE_PEER,
                "--peer-uri",
                province.broker_url,
                "--peer-prefix",
                province.prefix,
                *link,
            )  # fmt: skip
        )
        self.stdout.write(
            "[province] "
            + cli(
                child,
                "peer",
                "link",
                CITY_PEER,
                "--peer-uri",
                environment["BROKER_URL"],
                "--peer-prefix",
                environment["XUNCHA_SYNC_PREFIX"],
                *link,
            )  # fmt: skip
        )

    def _write(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
