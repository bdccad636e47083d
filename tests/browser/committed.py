"""Shared by the browser stories that need the bus: committed people, a Chromium per person, the real
relay and consumer processes, and removing afterwards whatever the story added to the sync tables.

The site and the sync processes are separate processes, so nothing here runs inside a test
transaction: rows are committed, uniquely named, and removed at the end.
"""

from __future__ import annotations

import time
import uuid
from contextlib import contextmanager

from django.db import connection
from django_tenants.utils import schema_context

from tests.browser.test_login import CHROMIUM, PASSWORD

CODES = ["410000", "410600", "410621", "410622", "410611"]


def people_create(specs: dict[str, tuple[str, str, int, str]], suffix: str) -> dict:
    """{key: (organisation code, role, clearance, display name)} -> {key: User}, each signing in with PASSWORD."""
    from shared.accounts.models import Membership, User
    from shared.orgs.models import Organization

    users = {}
    for key, (code, role, clearance, display_name) in specs.items():
        user = User.objects.create(username=f"{key}-{suffix}", display_name=display_name)
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.create(
            user=user, organization=Organization.objects.get(code=code), role=role, clearance=clearance
        )
        users[key] = user
    return users


def _sync_models():
    from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica, SharedCopy, SharedRecord
    from tenants.rectification.models import SupervisedItem
    from tenants.reminders.models import Notification

    # (a county's SupervisedItem is opened from a received rectification item)
    return [SharedRecord, SharedCopy, OutboxMessage, Replica, InboxMessage, DeadLetter, Notification, SupervisedItem]


def sync_high_water() -> dict:
    """The newest row id of every sync table in every test organisation's schema, before a story."""
    marks = {}
    for code in CODES:
        with schema_context(f"org_{code}"):
            for model in _sync_models():
                marks[(code, model.__name__)] = model.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return marks


def sync_rows_remove(marks: dict) -> None:
    """Remove what the story added to the sync tables (rows above the marks), in every test schema."""
    for code in CODES:
        with schema_context(f"org_{code}"):
            for model in _sync_models():
                model.objects.filter(id__gt=marks[(code, model.__name__)]).delete()
    connection.set_schema_to_public()


def sync_processes(tmp_path, codes: list[str]):
    """The real `xuncha sync relay` and `xuncha sync consume` for `codes`, on the embedded transport (a
    PostgreSQL table, as `make demo` without RabbitMQ), with this session's bus prefix."""
    from tests.sync.conftest import Processes

    processes = Processes(tmp_path, "")
    processes.start("relay", codes)
    processes.start("consume", codes)
    return processes


@contextmanager
def chromium(playwright, tmp_path):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    )
    try:
        yield browser
    finally:
        browser.close()


def signed_in(browser, site: str, username: str, *, password: str = PASSWORD, width: int = 1280):
    """A fresh browser context (its own cookies) signed in through the login form; returns its page."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"
    return page


def reload_until(page, predicate, *, what: str, timeout: float = 60, processes=None) -> None:
    """Reload the page until `predicate(page)` holds: messages travel through the relay and consumer."""
    deadline = time.monotonic() + timeout
    while not predicate(page):
        if time.monotonic() > deadline:
            logs = processes.logs() if processes is not None else ""
            raise AssertionError(f"{what}: not seen within {timeout}s\n{page.locator('main').inner_text()}\n{logs}")
        time.sleep(0.7)
        page.reload()


def off_the_event_loop(function):
    """Run `function()` (database work) in a thread: Playwright's sync API keeps an event loop running
    in this one, where Django refuses synchronous queries. Returns its result."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


def unique_suffix() -> str:
    return uuid.uuid4().hex[:8]
