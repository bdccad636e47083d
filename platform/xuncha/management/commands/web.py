"""`xuncha web`: the web process (runserver when DEBUG is on, gunicorn otherwise)."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.wsgiapp import WSGIApplication

from xuncha.processes import DEFAULT_BIND, split_bind


class Command(BaseCommand):
    help = (
        "Serve the site: gunicorn (static files through WhiteNoise from STATIC_ROOT, run "
        "`xuncha collectstatic` first) or, with DEBUG on, Django's development server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("XUNCHA_WEB_BIND", DEFAULT_BIND),
            help=f"HOST:PORT (default {DEFAULT_BIND}, env XUNCHA_WEB_BIND)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("XUNCHA_WEB_WORKERS", "3")),
            help="gunicorn worker processes (env XUNCHA_WEB_WORKERS, default 3)",
        )
        parser.add_argument(
            "--server",
            choices=["auto", "gunicorn", "runserver"],
            default=os.environ.get("XUNCHA_WEB_SERVER", "auto"),
            help="auto = runserver when DEBUG is on, gunicorn otherwise",
        )

    def handle(self, *args, **options):
        try:
            host, port = split_bind(options["bind"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        server = options["server"]
        if server == "auto":
            server = "runserver" if settings.DEBUG else "gunicorn"
        if server == "runserver":
            address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            call_command("runserver", address, use_reloader=False, use_threading=True)
            return
        self._gunicorn(bind=options["bind"], workers=options["workers"])

    @staticmethod
    def _gunicorn(*, bind: str, workers: int) -> None:

        argv = [
            "gunicorn",
            "xuncha.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "--timeout",
            os.environ.get("XUNCHA_WEB_TIMEOUT", "60"),
        ]

        sys.argv = argv
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
