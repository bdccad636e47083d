"""`xuncha beat`: Celery beat; scheduled jobs are sent once per organisation (tenant-aware scheduler)."""

from __future__ import annotations

import argparse
import os

from django.conf import settings
from django.core.management.base import BaseCommand

from xuncha.celery import app


class Command(BaseCommand):
    help = "Run Celery beat (extra arguments after -- go to Celery)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule-file",
            default=os.environ.get("XUNCHA_BEAT_SCHEDULE_FILE", str(settings.RUN_DIR / "celerybeat-schedule")),
        )
        parser.add_argument("--loglevel", default=os.environ.get("LOG_LEVEL", "INFO"))
        parser.add_argument("celery_args", nargs=argparse.REMAINDER)

    def handle(self, *args, **options):

        os.makedirs(os.path.dirname(options["schedule_file"]) or ".", exist_ok=True)
        extra = [argument for argument in options["celery_args"] if argument != "--"]
        app.start(argv=["beat", f"--loglevel={options['loglevel']}", f"--schedule={options['schedule_file']}", *extra])
