"""The county's live figures are re-published after every transaction that moved one of them.

The services that move a figure (a round's stage, its units, a finding, a rectification item or its
feedback, a transfer, a unit's last inspection, the office's term or thresholds) save rows of the
models in `live.FIGURE_MODELS`; a receiver on those saves and deletes queues ONE publication per
schema per transaction with `transaction.on_commit` (a second save in the same transaction finds it
already queued; a rolled-back transaction drops it with its other callbacks). After the commit the
figures are read and shared in their own short transaction (services.live_statistics_publish); the
outbox writes nothing when the city already holds exactly these figures. A publication lost between
the commit and that transaction (the process ended) is repaired by the nightly pass
(tasks.live_statistics_refresh_task). Only counties publish: a city's figures stay in the city.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import get_public_schema_name, schema_context

from shared.orgs.models import Organization
from tenants.reports.live import FIGURE_MODELS
from tenants.reports.services import live_statistics_publish


class _Publication:
    """The callback queued for one schema; `done` once it ran (a test's captured callbacks stay listed)."""

    def __init__(self, schema: str) -> None:
        self.schema, self.done = schema, False

    def __call__(self) -> None:
        self.done = True
        with schema_context(self.schema):
            owner = Organization.objects.select_related("parent").filter(schema_name=self.schema).first()
            if owner is None or owner.kind != "county" or owner.parent_id is None:
                return
            live_statistics_publish(organization=owner)


def _queued(schema: str) -> bool:
    return any(
        isinstance(entry[1], _Publication) and entry[1].schema == schema and not entry[1].done
        for entry in connection.run_on_commit
    )


def figures_moved(sender: type, raw: bool = False, **_: Any) -> None:
    """A saved or deleted row may move the figures: queue this schema's publication once."""
    schema = getattr(connection, "schema_name", None)
    if raw or not schema or schema in (get_public_schema_name(), settings.XUNCHA_TEMPLATE_SCHEMA):
        return
    kind = getattr(getattr(connection, "tenant", None), "kind", None)
    if kind is not None and kind != "county":
        return
    if _queued(schema):
        return
    transaction.on_commit(_Publication(schema), robust=True)


def connect() -> None:
    """Called from ReportsConfig.ready(): watch every installed model that moves a figure."""
    for app_label, model_name in FIGURE_MODELS:
        if not apps.is_installed(f"tenants.{app_label}"):
            continue
        model = apps.get_model(app_label, model_name)
        post_save.connect(figures_moved, sender=model, dispatch_uid=f"live-statistics-save-{app_label}.{model_name}")
        post_delete.connect(figures_moved, sender=model, dispatch_uid=f"live-statistics-del-{app_label}.{model_name}")
