"""Two deployments on one machine, for the tests of what crosses a deployment boundary (links, bundles).

A deployment is a database and a RabbitMQ virtual host, and the processes the same `xuncha` CLI runs against them
(`migrate`, `org create`, `sync relay`, `sync consume`, `peer ...`), each started as a subprocess with the
deployment's own environment: its DATABASE_URL, BROKER_URL (its vhost), bus prefix, SECRET_KEY and
XUNCHA_BUS_KEY_SECRET (so its private keys are sealed under a secret no other deployment has).

`this_deployment()` describes the test process's own deployment (the test database, the session's prefix on the
broker's default vhost); `DeploymentFactory.create()` makes another one. Set-up is fast: the platform is migrated
once per session into a template database (`<test database>_dtpl_<digest of the migrations>`), and every new
deployment's database is `CREATE DATABASE ... TEMPLATE` of it (a fraction of a second), its organisations cloned
from the template schema by `xuncha org import` as provisioning does. Teardown stops the deployment's processes,
drops its database (FORCE) and deletes its vhost.
"""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def _server_url() -> str:
    """postgresql://user@host:port of the test database's server (without a database name)."""
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0]


def _admin_execute(*statements: str) -> None:
    """Statements that cannot run in a transaction (CREATE/DROP DATABASE), on the server's postgres database."""
    db = psycopg2.connect(f"{_server_url()}/postgres")
    db.autocommit = True
    try:
        with db.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        db.close()


def _database_exists(name: str) -> bool:
    db = psycopg2.connect(f"{_server_url()}/postgres")
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        db.close()


def rabbitmqctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["rabbitmqctl", "-q", *args], check=check, timeout=120, capture_output=True, text=True)


def broker_url_for(vhost: str) -> str:
    """The BROKER_URL of `vhost` on the session's broker."""
    parsed = urllib.parse.urlparse(os.environ["BROKER_URL"])
    return parsed._replace(path="/" + urllib.parse.quote(vhost, safe="")).geturl()


def migrations_digest() -> str:
    """Changes whenever a migration file does: the template database is rebuilt then."""
    digest = hashlib.sha256()
    for path in sorted(REPO.glob("*/**/migrations/*.py")):
        if ".venv" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


Started = list[tuple[str, subprocess.Popen, object]]  # (what, process, its log file)


def processes_stop(started: Started) -> None:
    """SIGTERM every process still running, then wait for each (killed after 30 s)."""
    for _, process, _ in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for _, process, _ in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def processes_logs(started: Started, *, label: str = "") -> str:
    """The tail of each process's log, for a failure message."""
    parts = []
    for what, process, log in started:
        log.flush()
        log.seek(0)
        parts.append(f"--- {label}{what} (exit {process.poll()})\n{log.read()[-3000:]}")
    return "\n".join(parts)


@dataclass
class Deployment:
    """One deployment: its database, its vhost and the processes started for it (stopped by `stop`)."""

    name: str
    database: str
    vhost: str
    prefix: str
    secret_key: str
    bus_key_secret: str
    logs_dir: Path
    audit_key: str = field(default_factory=lambda: os.environ.get("XUNCHA_AUDIT_KEY", ""))
    owned: bool = True  # created here (dropped at teardown); False for the test process's own deployment
    started: Started = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return f"{_server_url()}/{self.database}"

    @property
    def broker_url(self) -> str:
        return broker_url_for(self.vhost)

    def environment(self, **extra: str) -> dict[str, str]:
        environment = dict(
            os.environ,
            DATABASE_URL=self.database_url,
            BROKER_URL=self.broker_url,
            XUNCHA_SYNC_PREFIX=self.prefix,
            SECRET_KEY=self.secret_key,
            XUNCHA_BUS_KEY_SECRET=self.bus_key_secret,
            XUNCHA_AUDIT_KEY=self.audit_key,
            XUNCHA_AUDIT_ANCHOR_DIR=str(self.logs_dir / f"{self.name}-audit-anchors"),
            PYTHONUNBUFFERED="1",
        )
        environment.pop("XUNCHA_SYNC_FAILPOINT", None)
        environment.update(extra)
        return environment

    def cli(
        self, *args: str, input: str | None = None, timeout: float = 120, check: bool = True, stdout: bool = False
    ) -> str:
        """Run `xuncha ARGS` for this deployment and return its output (stdout and stderr, or only stdout); raises
        with the output when it fails and `check` is set."""
        result = subprocess.run(
            [sys.executable, "-m", "xuncha", *args],
            env=self.environment(),
            cwd=REPO,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = result.stdout + result.stderr
        if check and result.returncode == 0 and stdout:
            return result.stdout
        if check and result.returncode != 0:
            raise AssertionError(f"[{self.name}] xuncha {' '.join(args)} exited {result.returncode}:\n{output}")
        return output

    def python(self, code: str, *, timeout: float = 120) -> str:
        """Run Python in this deployment's Django (`xuncha shell -c`); returns what it printed."""
        return self.cli("shell", "-c", code, timeout=timeout, stdout=True)

    def query(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        """Rows of a read on this deployment's database (e.g. an organisation's sync tables), on a connection of
        its own, closed at once."""
        db = psycopg2.connect(self.database_url)
        try:
            with db.cursor() as cursor:
                cursor.execute(sql, list(params))
                return cursor.fetchall()
        finally:
            db.close()

    def organizations_create(self, rows: Iterable[tuple[str, str, str, str | None]]) -> None:
        """Provision organisations (kind, code, name, parent code) by `xuncha org import`, cloned from the
        template schema."""
        path = self.logs_dir / f"{self.name}-organisations-{uuid.uuid4().hex[:6]}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["kind", "code", "name", "parent_code"])
            for kind, code, name, parent in rows:
                writer.writerow([kind, code, name, parent or ""])
        self.cli("org", "import", str(path))

    def start(self, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start a long-running `xuncha ARGS` (e.g. "sync", "relay", "--poll", "1"); stopped by `stop`."""
        log = (self.logs_dir / f"{self.name}-{'-'.join(args[:2])}-{len(self.started)}.log").open("w+")
        process = subprocess.Popen(
            [sys.executable, "-m", "xuncha", *args],
            env=self.environment(**(extra_env or {})),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append((" ".join(args), process, log))
        return process

    def stop_processes(self) -> None:
        processes_stop(self.started)

    def logs(self) -> str:
        return processes_logs(self.started, label=f"[{self.name}] ")

    def teardown(self) -> None:
        self.stop_processes()
        if self.owned:
            _admin_execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            rabbitmqctl("delete_vhost", self.vhost, check=False)


def this_deployment(logs_dir: Path) -> Deployment:
    """The test process's own deployment: the test database and the session's prefix on the default vhost."""
    return Deployment(
        name="a",
        database=connection.settings_dict["NAME"],
        vhost=urllib.parse.unquote(urllib.parse.urlparse(os.environ["BROKER_URL"]).path[1:]) or "/",
        prefix=settings.XUNCHA_SYNC_PREFIX,
        secret_key=settings.SECRET_KEY,
        bus_key_secret=settings.XUNCHA_BUS_KEY_SECRET,
        logs_dir=logs_dir,
        owned=False,
    )


class DeploymentFactory:
    """Makes deployments from the session's migrated template database; tears down what it made."""

    def __init__(self, logs_dir: Path):
        self.logs_dir = logs_dir
        self.made: list[Deployment] = []
        base = connection.settings_dict["NAME"]
        self.template = f"{base}_dtpl_{migrations_digest()}"
        self._template_ensure(base)

    def _template_ensure(self, base: str) -> None:
        """Migrate the template database once (kept between sessions while the migrations are unchanged;
        templates of older migrations of this test database are dropped)."""
        db = psycopg2.connect(f"{_server_url()}/postgres")
        try:
            with db.cursor() as cursor:
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                    [base.replace("_", r"\_") + r"\_dtpl\_%", self.template],
                )
                stale = [row[0] for row in cursor.fetchall()]
        finally:
            db.close()
        for name in stale:
            _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if _database_exists(self.template):
            return
        building = f"{self.template}_building"
        _admin_execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)', f'CREATE DATABASE "{building}"')
        template = Deployment(
            name="template",
            database=building,
            vhost="/",
            prefix="unused",
            secret_key=settings.SECRET_KEY,
            bus_key_secret="unused-" + uuid.uuid4().hex,
            logs_dir=self.logs_dir,
            owned=False,
        )
        template.cli("migrate", timeout=600)
        # Renamed only once complete: an interrupted build never passes for a template.
        _admin_execute(f'ALTER DATABASE "{building}" RENAME TO "{self.template}"')

    def create(
        self,
        name: str,
        *,
        organizations: Iterable[tuple[str, str, str, str | None]] = (),
        ready: Callable[[Deployment], None] | None = None,
    ) -> Deployment:
        """A new deployment `name`: its database from the template, its own vhost, its organisations."""
        token = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
        deployment = Deployment(
            name=name,
            database=f"{connection.settings_dict['NAME']}_{name}_{token}",
            vhost=f"xuncha.test.{name}.{token}",
            prefix=f"xuncha.{name}",
            secret_key="test-" + uuid.uuid4().hex + uuid.uuid4().hex,
            bus_key_secret="bus-" + uuid.uuid4().hex,
            logs_dir=self.logs_dir,
            audit_key="audit-" + uuid.uuid4().hex + uuid.uuid4().hex,
        )
        self.made.append(deployment)
        _admin_execute(f'CREATE DATABASE "{deployment.database}" TEMPLATE "{self.template}"')
        rabbitmqctl("add_vhost", deployment.vhost)
        user = urllib.parse.urlparse(os.environ["BROKER_URL"]).username or "guest"
        rabbitmqctl("set_permissions", "-p", deployment.vhost, user, ".*", ".*", ".*")
        organizations = list(organizations)
        if organizations:
            deployment.organizations_create(organizations)
        if ready is not None:
            ready(deployment)
        return deployment

    def teardown(self) -> None:
        for deployment in reversed(self.made):
            deployment.teardown()
        self.made.clear()


def wait_for(predicate: Callable[[], object], *, timeout: float = 60, interval: float = 0.3, logs=None, what="it"):
    """Poll `predicate` until it is true; fail with the deployments' logs (`logs()`) when it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}\n{logs() if logs else ''}")
