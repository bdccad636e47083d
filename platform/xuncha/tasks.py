"""Background jobs that know their organisation.

A Celery task sent outside an organisation's context would silently run in
the public schema (tenant-schemas-celery #12, #132). Organisation tasks
therefore refuse to run in public, and scheduled jobs reach organisations
through `organizations_fan_out`, which sends one task per organisation from
inside that organisation's schema (the schema travels in a message header).
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.task import TenantTask

from shared.orgs.models import Organization
from xuncha.celery import app


class OrganizationContextMissing(RuntimeError):
    """An organisation task was about to run in the public schema."""


class OrganizationTask(TenantTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        if connection.schema_name == get_public_schema_name():
            raise OrganizationContextMissing(
                f"task {self.name} must be sent from an organisation's context (it would run in public)"
            )
        return super().__call__(*args, **kwargs)


def organization_task(*args, **options):
    """Decorator for tasks that work inside one organisation's schema."""
    options.setdefault("base", OrganizationTask)
    return app.task(*args, **options)


def current_organization():
    """The organisation whose schema an organisation task runs in."""
    return Organization.objects.get(schema_name=connection.schema_name)


def organizations_fan_out(*, task_name: str, kinds: list[str] | None = None, kwargs: dict | None = None) -> list[str]:
    """Send `task_name` once per organisation (optionally of some kinds), each in its own schema."""
    organizations = Organization.objects.local()
    if kinds:
        organizations = organizations.filter(kind__in=kinds)
    sent = []
    for organization in organizations:
        with schema_context(organization.schema_name):
            app.send_task(task_name, kwargs=kwargs or {})
        sent.append(organization.code)
    return sent


@shared_task(name="xuncha.fan_out")
def fan_out(task_name: str, kinds: list[str] | None = None) -> list[str]:
    """Beat entry point: run an organisation task in every organisation."""
    return organizations_fan_out(task_name=task_name, kinds=kinds)


@organization_task(name="xuncha.current_schema")
def current_schema() -> str:
    """Which schema a task runs in (used by operators and tests to check routing)."""
    return connection.schema_name
