"""`xuncha demo --province linked` (or XUNCHA_DEMO_PROVINCE=linked): the province on a deployment of its own.

Topology 2 of deploy/README.md on one machine. The demo's own deployment is the city platform (鹤壁市 and its three
counties); the province (河南省) gets a second one: its own database (XUNCHA_DEMO_PROVINCE_DATABASE_URL, default
`<the city's database>_province` in the same PostgreSQL cluster, the embedded one included), its own bus exchange
prefix and Celery queue (on XUNCHA_DEMO_PROVINCE_BROKER_URL, default the city's broker and vhost), its own run
directory (.run/province-<instance>: its audit key, its secrets, beat's schedule), its own web port and relay,
consumer, worker and beat. The two trust each other by `xuncha peer export/import` (the fingerprints are printed as an
operator compares them) and are joined by `xuncha peer link ... --apply`, one real RabbitMQ shovel per direction.

Everything the province's deployment does runs as `xuncha ...` subprocesses with its environment: a Django process
has one database and one set of settings.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from psycopg2 import sql

from xuncha.processes import broker_reachable, demo_instance_id, shown_broker, xuncha_argv

PROVINCE = "410000"
# The names the two deployments give themselves in their peer documents (and the links are named after).
PROVINCE_PEER, CITY_PEER = "province", "hebi"
MODES = ("", "local", "linked")
SHOVEL_PLUGIN = "rabbitmq_shovel"


class LinkedDemoError(Exception):
    """The linked province cannot be set up (the message says why, in Chinese and English)."""


def linked_requirements_problem(*, broker_url: str) -> str | None:
    """Why this machine cannot run the linked province (None when it can): it needs RabbitMQ with the shovel plugin,
    and rabbitmqctl here to declare the shovels. The embedded transport (PostgreSQL tables) cannot shovel."""
    if not broker_url:
        return (
            "省级独立部署（XUNCHA_DEMO_PROVINCE=linked）需要 RabbitMQ 及其 shovel 插件：请设置 BROKER_URL。"
            "内置传输（PostgreSQL 表）无法在两个部署之间转运消息。\n"
            "The linked province (XUNCHA_DEMO_PROVINCE=linked) needs RabbitMQ with the shovel plugin: set BROKER_URL "
            "(e.g. amqp://guest:guest@127.0.0.1:5672//). The embedded transport cannot shovel between deployments."
        )
    if not broker_reachable(broker_url):
        return (
            f"无法连接 RabbitMQ（{shown_broker(broker_url)}）：请先启动它。\n"
            f"RabbitMQ at {shown_broker(broker_url)} is not reachable: start it first."
        )
    missing = [tool for tool in ("rabbitmqctl", "rabbitmq-plugins") if shutil.which(tool) is None]
    if missing:
        return (
            f"本机没有 {'、'.join(missing)}：省级独立部署的 shovel 需在 RabbitMQ 所在主机上声明。\n"
            f"{' and '.join(missing)} not found on this host: the linked province declares its shovels with them, "
            "on the broker's host."
        )
    try:
        result = subprocess.run(
            ["rabbitmq-plugins", "-q", "is_enabled", SHOVEL_PLUGIN], capture_output=True, text=True, timeout=60
        )
        enabled = result.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        enabled = False
    if not enabled:
        return (
            f"RabbitMQ 未启用 shovel 插件：请运行 rabbitmq-plugins enable {SHOVEL_PLUGIN}（或 make shovel-plugin）。\n"
            f"RabbitMQ's shovel plugin is off: run `rabbitmq-plugins enable {SHOVEL_PLUGIN}` (or `make shovel-plugin`)."
        )
    return None


def default_province_database_url(city_database_url: str) -> str:
    """The city's database URL naming `<its database>_province` (same server, same credentials)."""
    parsed = urllib.parse.urlparse(city_database_url)
    name = urllib.parse.unquote(parsed.path.lstrip("/")) or "xuncha"
    return parsed._replace(path="/" + urllib.parse.quote(f"{name}_province")).geturl()


def database_ensure(database_url: str) -> bool:
    """Create the database `database_url` names when it does not exist (on its server's postgres database);
    True when it was created."""
    parsed = urllib.parse.urlparse(database_url)
    name = urllib.parse.unquote(parsed.path.lstrip("/"))
    db = psycopg2.connect(parsed._replace(path="/postgres").geturl())
    db.autocommit = True
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is not None:
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        db.close()


def _secrets(run_dir: Path) -> dict[str, str]:
    """The province deployment's own SECRET_KEY, bus key secret (its private keys are sealed under it) and audit key:
    generated once into its run directory (mode 0600) and kept, like its database. Delete both to start afresh."""
    path = run_dir / "secrets.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    run_dir.mkdir(parents=True, exist_ok=True)
    values = {name: secrets.token_urlsafe(48) for name in ("SECRET_KEY", "XUNCHA_BUS_KEY_SECRET", "XUNCHA_AUDIT_KEY")}
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as out:
        json.dump(values, out)
    return values


@dataclass(frozen=True)
class ProvinceDeployment:
    """Where the province's deployment lives on this machine."""

    database_url: str
    broker_url: str
    instance: str
    run_dir: Path
    bind: str

    @property
    def prefix(self) -> str:
        return f"xuncha.sync.{self.instance}"

    @property
    def jobs_queue(self) -> str:
        return f"xuncha.jobs.{self.instance}"

    def environment(self, base: dict[str, str]) -> dict[str, str]:
        """The city's child environment with everything that makes a deployment its own replaced."""
        environment = dict(base)
        for name in ("XUNCHA_AUDIT_KEY_FILE", "XUNCHA_WEB_BIND", "XUNCHA_WORKER_HOSTNAME", "CELERY_BROKER_URL"):
            environment.pop(name, None)
        environment.update(_secrets(self.run_dir))
        environment.update(
            DATABASE_URL=self.database_url,
            BROKER_URL=self.broker_url,
            XUNCHA_SYNC_PREFIX=self.prefix,
            CELERY_TASK_DEFAULT_QUEUE=self.jobs_queue,
            XUNCHA_RUN_DIR=str(self.run_dir),
            XUNCHA_AUDIT_ANCHOR_DIR=str(self.run_dir / "audit-anchors"),
            XUNCHA_DEMO_PROVINCE="local",
            PYTHONUNBUFFERED="1",
        )
        return environment


def province_deployment(*, city_database_url: str, broker_url: str, run_dir: Path, bind: str) -> ProvinceDeployment:
    database_url = os.environ.get("XUNCHA_DEMO_PROVINCE_DATABASE_URL") or default_province_database_url(
        city_database_url
    )
    instance = demo_instance_id(database_url=database_url)
    return ProvinceDeployment(
        database_url=database_url,
        broker_url=os.environ.get("XUNCHA_DEMO_PROVINCE_BROKER_URL") or broker_url,
        instance=instance,
        run_dir=run_dir / f"province-{instance}",
        bind=bind,
    )


def cli(environment: dict[str, str], *arguments: str, timeout: float = 900) -> str:
    """Run `xuncha ARGUMENTS` with `environment` and return what it printed; LinkedDemoError with its output (and
    log) on failure."""
    try:
        result = subprocess.run(
            xuncha_argv(*arguments), env=environment, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as error:
        raise LinkedDemoError(f"xuncha {' '.join(arguments)}: no answer in {timeout:g}s") from error
    if result.returncode != 0:
        output = (result.stdout + result.stderr).rstrip()
        raise LinkedDemoError(f"xuncha {' '.join(arguments)} exited {result.returncode}:\n{output[-3000:]}")
    return result.stdout.rstrip()  # its log lines (stderr) are not the operator's reading
