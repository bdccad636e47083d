"""Committed organisations and real processes for the bus tests.

The bus tests need rows that other processes can see, so they cannot use the rolled-back `db`
transaction: `bus_world` provisions its own city and two counties (committed, unique codes) once
per session and drops them, their schemas and their queues at the end. Tests in it create their
own uniquely keyed records and never flush anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from tests.deployments.harness import processes_logs, processes_stop

WORLD = [
    ("city", "419800", "测试市", "410000"),
    ("county", "419801", "测试甲县", "419800"),
    ("county", "419802", "测试乙县", "419800"),
]
WORLD_CODES = [row[1] for row in WORLD]


def _drop_world() -> None:
    from shared.orgs.models import Organization

    for organization in Organization.objects.filter(code__in=WORLD_CODES).order_by("-code"):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{organization.schema_name}" CASCADE')
    Organization.objects.filter(code__in=WORLD_CODES, kind="county").delete()
    Organization.objects.filter(code__in=WORLD_CODES).delete()


@dataclass
class World:
    city: object
    county_1: object
    county_2: object

    @property
    def all(self):
        return [self.city, self.county_1, self.county_2]


@pytest.fixture(scope="session")
def bus_world(django_db_setup, django_db_blocker):
    from shared.orgs.models import Organization
    from shared.orgs.services import OrganizationSpec, organizations_create_many

    with django_db_blocker.unblock():
        _drop_world()  # leftovers of an interrupted run
        organizations_create_many(specs=[OrganizationSpec(*row) for row in WORLD])
        orgs = {org.code: org for org in Organization.objects.filter(code__in=WORLD_CODES)}
        yield World(orgs["419800"], orgs["419801"], orgs["419802"])
        _drop_world()
    from sync.transport import AmqpBus
    from tests.conftest import _broker_reachable

    if _broker_reachable(os.environ["BROKER_URL"]):
        AmqpBus(os.environ["BROKER_URL"]).delete_everything(WORLD_CODES)


@pytest.fixture
def committed(bus_world, django_db_blocker):
    """Database access that commits (no surrounding test transaction)."""
    with django_db_blocker.unblock():
        yield bus_world


def database_url_for_children() -> str:
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{connection.settings_dict['NAME']}"


class Processes:
    """Relay/consumer processes started with `xuncha sync ...`; all stopped at the end."""

    def __init__(self, tmp_path, broker_url: str):
        self.tmp_path = tmp_path
        self.broker_url = broker_url
        self.started: list[tuple[str, subprocess.Popen, object]] = []

    def start(self, action: str, codes: list[str], failpoint: str | None = None) -> subprocess.Popen:
        environment = dict(
            os.environ,
            DATABASE_URL=database_url_for_children(),
            BROKER_URL=self.broker_url,
            XUNCHA_SYNC_PREFIX=settings.XUNCHA_SYNC_PREFIX,
            SECRET_KEY=settings.SECRET_KEY,
            XUNCHA_BUS_KEY_SECRET=settings.XUNCHA_BUS_KEY_SECRET,
            PYTHONUNBUFFERED="1",
        )
        environment.pop("XUNCHA_SYNC_FAILPOINT", None)
        if failpoint:
            environment["XUNCHA_SYNC_FAILPOINT"] = failpoint
        argv = [sys.executable, "-m", "xuncha", "sync", action, "--poll", "1"]
        for code in codes:
            argv += ["--org", code]
        log = (self.tmp_path / f"{action}-{len(self.started)}.log").open("w+")
        process = subprocess.Popen(argv, env=environment, stdout=log, stderr=subprocess.STDOUT)
        self.started.append((action, process, log))
        return process

    def stop_all(self) -> None:
        processes_stop(self.started)

    def logs(self) -> str:
        return processes_logs(self.started)


@pytest.fixture
def amqp_processes(tmp_path):
    processes = Processes(tmp_path, os.environ["BROKER_URL"])
    yield processes
    processes.stop_all()


@pytest.fixture
def embedded_processes(tmp_path):
    processes = Processes(tmp_path, "")
    yield processes
    processes.stop_all()


def wait_for(
    predicate,
    *,
    timeout: float = 60,
    interval: float = 0.3,
    processes: Processes | None = None,
    what: str = "condition",
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}\n{processes.logs() if processes else ''}")


def outbox_pending(organizations) -> int:
    from sync.models import OutboxMessage

    total = 0
    for organization in organizations:
        with schema_context(organization.schema_name):
            total += OutboxMessage.objects.filter(sent_at__isnull=True).count()
    return total


def converged(world: World) -> bool:
    """No unsent outbox row and every replica equals its owner's projection for the world."""
    from sync.verify import sync_verify

    return outbox_pending(world.all) == 0 and sync_verify(codes=WORLD_CODES, repair=False).healthy


def applied_twice(world: World) -> list:
    """(receiver, source, type, key, version) applied more than once: must be empty."""
    from sync.models import InboxMessage

    counts: Counter = Counter()
    for organization in world.all:
        with schema_context(organization.schema_name):
            for row in InboxMessage.objects.filter(outcome="applied").values_list(
                "source", "record_type", "record_key", "version"
            ):
                counts[(organization.code, *row)] += 1
    return [key for key, count in counts.items() if count > 1]


def inbox_outcomes(organization, record_key: str) -> Counter:
    from sync.models import InboxMessage

    with schema_context(organization.schema_name):
        return Counter(InboxMessage.objects.filter(record_key=record_key).values_list("outcome", flat=True))


BUS_CODES = ["410000", "410600", "410611", "410621", "410622"]


@pytest.fixture
def bus(orgs):
    """Queues on the real RabbitMQ under a per-test prefix, for the session's test organisations."""
    from sync.transport import AmqpBus

    amqp = AmqpBus(os.environ["BROKER_URL"], prefix=f"xuncha.test.rectification.{uuid.uuid4().hex[:8]}")
    amqp.declare(BUS_CODES)
    try:
        yield amqp
    finally:
        amqp.delete_everything(BUS_CODES)
        amqp.close()
