"""The demo, as `make demo` leaves it after its first morning, inside the test's transaction: for the
role crawl and the page tests that walk it as the demo's people (the `demo_world` fixture, tests/conftest.py)."""

from __future__ import annotations

from django.test import override_settings
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from sync.testing import messages_deliver
from xuncha import demo


def deliver_everything(organizations) -> None:
    """What the relay and consumers would do: every organisation's queued messages, until none is new."""
    for _round in range(5):
        if not [verdict for org in organizations for verdict in messages_deliver(source=org, receivers=organizations)]:
            return


def demo_world_build() -> list[Organization]:
    """The demo as `make demo` leaves it after its first morning: seeded (in Chinese, as the demo runs),
    the scheduled jobs run once (reminders, the counties' statistics), every message delivered."""
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        translation.override("zh-hans"),
    ):
        demo.demo_seed(password="demo-password-for-test")
        organizations = list(Organization.objects.order_by("code"))
        deliver_everything(organizations)
        morning_jobs(organizations)
        deliver_everything(organizations)
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
