"""`xuncha worker`: a Celery worker of the tenant-aware app (tasks run in their organisation's schema)."""

from __future__ import annotations

import argparse
import os

from django.core.management.base import BaseCommand

from xuncha.celery import app


class Command(BaseCommand):
    help = "Run a Celery worker (extra arguments after -- go to Celery, e.g. xuncha worker -- -Q reports)."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=int(os.environ.get("XUNCHA_WORKER_CONCURRENCY", "2")))
        parser.add_argument("--loglevel", default=os.environ.get("LOG_LEVEL", "INFO"))
        parser.add_argument(
            "--hostname",
            default=os.environ.get("XUNCHA_WORKER_HOSTNAME", ""),
            help="Celery node name (e.g. xuncha-a1b2@%%h); unique per worker on one broker, or the second one "
            "dies with ResourceLocked on its pidbox (env XUNCHA_WORKER_HOSTNAME; default Celery's celery@%%h)",
        )
        parser.add_argument("celery_args", nargs=argparse.REMAINDER)

    def handle(self, *args, **options):

        extra = [argument for argument in options["celery_args"] if argument != "--"]
        if options["hostname"]:
            extra = [f"--hostname={options['hostname']}", *extra]
        app.worker_main(
            argv=["worker", f"--loglevel={options['loglevel']}", f"--concurrency={options['concurrency']}", *extra]
        )
