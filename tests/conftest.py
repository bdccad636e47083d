"""Session-wide test set-up for a django-tenants site under pytest-django.

pytest-django does not know about schemas (django-tenants #664), so the
session fixture below creates the test organisations once, by the same
cloning service production uses, and every test reuses them inside its own
rolled-back transaction.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connection

TEST_ORGANIZATIONS = [
    # kind, code, name, parent code
    ("province", "410000", "河南省", None),
    ("city", "410600", "鹤壁市", "410000"),
    ("county", "410621", "浚县", "410600"),
    ("county", "410622", "淇县", "410600"),
    ("county", "410611", "鹤山区", "410600"),
]

CHROMIUM = os.environ.get("XUNCHA_CHROMIUM", "/usr/bin/chromium")
DEFAULT_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"


def _broker_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5672), timeout=2):
            return True
    except OSError:
        return False


def _unavailable_capabilities() -> dict[str, str]:
    missing = {}
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        missing["browser"] = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    broker = os.environ.get("BROKER_URL") or DEFAULT_BROKER_URL
    if not _broker_reachable(broker):
        missing["bus"] = f"RabbitMQ not reachable at {urlparse(broker).hostname}:{urlparse(broker).port or 5672}"
    return missing


def pytest_configure(config):
    os.environ.setdefault("BROKER_URL", DEFAULT_BROKER_URL)
    # Every exchange/queue this session (and its child processes, e.g. the demo's sync relay)
    # declares carries a unique prefix, so parallel runs never share queues; deleted at the end.
    os.environ["XUNCHA_SYNC_PREFIX"] = f"xuncha.test.{os.getpid()}.{os.urandom(3).hex()}"
    # The audit chain's key reaches child processes too (a child started without XUNCHA_INSECURE_HTTP would
    # otherwise refuse to start); checkpoints go to this session's own folder, removed at the end.
    from django.conf import settings

    os.environ.setdefault("XUNCHA_AUDIT_KEY", settings.XUNCHA_AUDIT_KEY.decode())
    config._xuncha_anchor_dir = tempfile.mkdtemp(prefix="xuncha-audit-anchors-")
    os.environ["XUNCHA_AUDIT_ANCHOR_DIR"] = config._xuncha_anchor_dir
    settings.XUNCHA_AUDIT_ANCHOR_DIR = Path(config._xuncha_anchor_dir)
    config._xuncha_not_run = {}


def pytest_unconfigure(config):
    if getattr(config, "_xuncha_anchor_dir", None):
        shutil.rmtree(config._xuncha_anchor_dir, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Tests needing Chromium or RabbitMQ are not run (and said so loudly) where those are
    missing; under CI, or with XUNCHA_REQUIRE_<KIND>=1, a missing one is a failure."""
    missing = _unavailable_capabilities()
    kept, dropped = [], []
    for item in items:
        needs = [marker.name for marker in item.iter_markers() if marker.name in missing]
        if not needs:
            kept.append(item)
            continue
        kind = needs[0]
        if os.environ.get("CI") or os.environ.get(f"XUNCHA_REQUIRE_{kind.upper()}"):
            raise pytest.UsageError(f"{kind} tests are required here but cannot run: {missing[kind]}")
        dropped.append(item)
        config._xuncha_not_run.setdefault(kind, []).append(item.nodeid)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    missing = _unavailable_capabilities()
    for kind, nodeids in getattr(config, "_xuncha_not_run", {}).items():
        terminalreporter.write_line(
            f"NOT RUN: {len(nodeids)} {kind} test(s), because {missing.get(kind, 'unavailable')}",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    from django.test.utils import setup_databases, teardown_databases

    from shared.orgs.services import OrganizationSpec, organizations_create_many

    own_setup = None
    with django_db_blocker.unblock():
        # pytest-django creates the test database only when a collected test uses `db`; process and
        # browser tests use this fixture alone, and must never run against the real database.
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            own_setup = setup_databases(
                verbosity=0, interactive=False, aliases={"default"}, keepdb=bool(request.config.getvalue("reuse_db"))
            )
        organizations_create_many(specs=[OrganizationSpec(*row) for row in TEST_ORGANIZATIONS])
    yield
    if own_setup is not None:
        with django_db_blocker.unblock():
            teardown_databases(own_setup, verbosity=0, keepdb=bool(request.config.getvalue("reuse_db")))


@pytest.fixture(scope="session", autouse=True)
def _sync_bus_names(django_db_setup, django_db_blocker):
    """Use this session's bus prefix in-process too; delete its RabbitMQ exchanges and queues and
    its embedded-transport rows at the end."""
    from django.conf import settings

    settings.XUNCHA_SYNC_PREFIX = os.environ["XUNCHA_SYNC_PREFIX"]
    yield
    from shared.orgs.models import Organization
    from sync.transport import AmqpBus, PostgresBus

    with django_db_blocker.unblock():
        codes = list(Organization.objects.values_list("code", flat=True))
        PostgresBus().delete_everything(codes)
    if _broker_reachable(os.environ["BROKER_URL"]):
        AmqpBus(os.environ["BROKER_URL"]).delete_everything(codes)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages raised by code (services, commands) are asserted by their English msgids. Pages still
    get their language per request from LocaleMiddleware (Chinese by default), so the client tests
    see what users see."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _back_to_public_schema():
    yield
    connection.set_schema_to_public()


@pytest.fixture
def orgs(db):
    """The test organisations by region code (and by short names)."""
    from shared.orgs.models import Organization

    by_code = {org.code: org for org in Organization.objects.all()}
    by_code.update(
        province=by_code["410000"],
        city=by_code["410600"],
        county_a=by_code["410621"],
        county_b=by_code["410622"],
        county_c=by_code["410611"],
    )
    return by_code


@pytest.fixture
def demo_world(orgs):
    """The demo as `make demo` leaves it after its first morning (tests/platform/demo_world.py)."""
    from tests.platform.demo_world import demo_world_build

    return demo_world_build()


@pytest.fixture
def make_member(db):
    """make_member(org, role, clearance=1, username=None) -> User with that membership."""
    from shared.accounts.models import Membership, User

    counter = {"n": 0}

    def make(organization, role, clearance=1, username=None, password="correct-horse-battery"):
        counter["n"] += 1
        username = username or f"{role}-{organization.code}-{counter['n']}"
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": username})
        if created:
            user.set_password(password)
            user.save()
        Membership.objects.create(user=user, organization=organization, role=role, clearance=clearance)
        return user

    return make
