"""The demo, as `make demo` leaves it after its first morning, inside the test's transaction: for the
role crawl and the page tests that walk it as the demo's people (the `demo_world` fixture, tests/conftest.py)."""

from __future__ import annotations

from django.test import override_settings
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from sync.models import OutboxMessage
from xuncha import demo


def deliver_everything(organizations, delivered: set) -> None:
    """What the relay and consumers would do: every organisation's queued messages not yet in
    `delivered`, until none is new."""
    from sync import inbox
    from sync.relay import _encode

    by_code = {org.code: org for org in organizations}
    for _round in range(5):
        batch = []
        for org in organizations:
            with schema_context(org.schema_name):
                for row in OutboxMessage.objects.order_by("id"):
                    if (org.code, row.pk) not in delivered and row.destination in by_code:
                        delivered.add((org.code, row.pk))
                        batch.append((row.destination, _encode(row=row, source_code=org.code)))
        if not batch:
            return
        for destination, raw in batch:
            inbox.message_receive(receiver=by_code[destination], raw=raw)


def demo_world_build() -> list[Organization]:
    """The demo as `make demo` leaves it after its first morning: seeded (in Chinese, as the demo runs),
    the scheduled jobs run once (reminders, the counties' statistics), every message delivered."""
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        translation.override("zh-hans"),
    ):
        demo.demo_seed(password="demo-password-for-test")
        organizations = list(Organization.objects.order_by("code"))
        delivered: set[tuple[str, int]] = set()
        deliver_everything(organizations, delivered)
        morning_jobs(organizations)
        deliver_everything(organizations, delivered)
    return organizations


def morning_jobs(organizations) -> None:
    """What the Celery beat runs each morning (tenants/reminders/apps.py), in-process."""
    from tenants.reminders.services import reminders_run
    from tenants.reports.services import statistics_send_up

    today = timezone.localdate()
    for org in organizations:
        with schema_context(org.schema_name):
            reminders_run(today=today, organization=org)
            if org.kind == "county":
                for period in (str(today.year), f"{today.year}-Q{(today.month - 1) // 3 + 1}"):
                    statistics_send_up(organization=org, period=period)
