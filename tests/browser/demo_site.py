"""The seeded demo as a fresh user finds it, for the walks of issue 12: a database of its own
(<test database>_demo, created and dropped here, once per session), seeded by `xuncha demo --seed-only`
(the migration and `demo_seed()` that `make demo` runs, not a copy), then the site (`xuncha web`) and the
real sync relay and consumer on it (the PostgreSQL-table transport, as `make demo` without RabbitMQ).

The walks sign in as the demo's own users with the demo's password. Nothing the walks add is removed one
row at a time: the whole database goes at the end of the session. The test process itself does not
connect to it: everything a walk does there, it does by clicking.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest

from tests.platform.test_demo import free_port, wait_until_up

CODES = ["410000", "410600", "410621", "410622", "410611"]


@dataclass
class DemoSite:
    url: str
    database_url: str
    environment: dict
    logs_dir: Path
    started: list = field(default_factory=list)

    def logs(self) -> str:
        parts = []
        for what, process, log in self.started:
            log.flush()
            log.seek(0)
            parts.append(f"--- {what} (exit {process.poll()})\n{log.read()[-3000:]}")
        return "\n".join(parts)


def _admin_execute(base_url: str, statement: str) -> None:
    connection = psycopg2.connect(f"{base_url}/postgres")
    try:
        connection.autocommit = True  # CREATE/DROP DATABASE run outside a transaction
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def _start(site: DemoSite, what: str, argv: list[str]) -> subprocess.Popen:
    log = (site.logs_dir / f"{what}.log").open("w+")
    process = subprocess.Popen(argv, env=site.environment, stdout=log, stderr=subprocess.STDOUT)
    site.started.append((what, process, log))
    return process


def _stop(site: DemoSite) -> None:
    for _what, process, _log in site.started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for _what, process, _log in site.started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def demo_site(django_db_setup, tmp_path_factory):
    """The demo, seeded once per session on its own database, served, with the relay and consumer running."""
    with demo_served(tmp_path_factory, database_suffix="demo") as site:
        yield site


@contextmanager
def demo_served(tmp_path_factory, *, database_suffix: str):
    """A demo of its own: the database <test database>_<database_suffix>, seeded, served with the relay and
    consumer, dropped afterwards (a walk whose counts must be a fresh demo's, whatever other walks did)."""
    from django.db import connection

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"{connection.settings_dict['NAME']}_{database_suffix}"
    database_url = f"{base}/{name}"
    _admin_execute(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # an interrupted run's
    _admin_execute(base, f'CREATE DATABASE "{name}"')
    environment = dict(
        os.environ,
        DEBUG="1",
        DATABASE_URL=database_url,
        BROKER_URL="",  # the bus on the PostgreSQL-table transport, in the demo's own database
        XUNCHA_SYNC_PREFIX=f"xuncha.sync.walks{uuid.uuid4().hex[:8]}",
        PYTHONUNBUFFERED="1",
    )
    environment.pop("XUNCHA_DEMO_PASSWORD", None)  # the demo's own password
    environment.pop("XUNCHA_DEMO_CORE_ONLY", None)
    logs_dir = tmp_path_factory.mktemp("demo-site")
    port = free_port()
    site = DemoSite(
        url=f"http://127.0.0.1:{port}", database_url=database_url, environment=environment, logs_dir=logs_dir
    )
    try:
        started = time.monotonic()
        seed = subprocess.run(
            [sys.executable, "-m", "xuncha", "demo", "--seed-only"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert seed.returncode == 0, f"xuncha demo --seed-only failed:\n{seed.stdout[-3000:]}\n{seed.stderr[-3000:]}"
        (logs_dir / "seed.log").write_text(seed.stdout + seed.stderr)
        web = _start(site, "web", [sys.executable, "-m", "xuncha", "web", "--bind", f"127.0.0.1:{port}"])
        org_arguments = [argument for code in CODES for argument in ("--org", code)]
        for action in ("relay", "consume"):
            _start(site, action, [sys.executable, "-m", "xuncha", "sync", action, "--poll", "1", *org_arguments])
        wait_until_up(f"{site.url}/healthz", web, site.started[0][2], timeout=90)
        print(f"\n[demo_site] seeded and up in {time.monotonic() - started:.0f}s on {name}")
        yield site
    finally:
        _stop(site)
        _admin_execute(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
