"""Withdrawal that does not depend on every service remembering to re-share.

sync.registry.register() watches the model of every shared record type and every model its records
derive from (SharedRecordType.derived_from). In an organisation's schema, inside the transaction that
saved or deleted the row:

- a saved record that was shared before (it has a sync.SharedRecord) is re-evaluated: a destination
  that lost the right (classification raised, reassigned, audience shrank) gets a tombstone, the others
  the new state if it changed;
- a deleted record that destinations hold is withdrawn from them (record_deleted);
- a saved parent (a round, its arrangement, a feedback, a unit...) re-evaluates every record derived
  from it, and what derives from those where the parent bounds their classification
  (sync.outbox.dependents_reevaluate, sync.registry.derived_records).

The outbox writes nothing when a destination already holds exactly the new state, so a service that
also calls record_changed itself sends nothing twice. Bulk `QuerySet.update()` sends no signal: services
save rows (or call record_changed / dependents_reevaluate themselves).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.db.models.signals import post_delete, post_save

from shared.orgs.models import Organization
from sync.models import SharedRecord
from sync.outbox import dependents_reevaluate, record_changed, record_deleted
from sync.registry import derived_from_model, record_type_of_model

if TYPE_CHECKING:
    from shared.orgs.models import Organization
    from sync.registry import SharedRecordType

_watched: set[type] = set()


def _owner() -> Organization | None:
    """The organisation whose schema we are in, or None (public schema, template schema)."""

    schema = getattr(connection, "schema_name", None)
    if not schema or schema == "public":
        return None
    owner: Organization | None = Organization.objects.filter(schema_name=schema).select_related("parent").first()
    return owner


def _shared_before(spec: SharedRecordType, instance: models.Model) -> bool:

    return SharedRecord.objects.filter(record_type=spec.record_type, record_key=spec.key(instance)).exists()


def _saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:

    spec = record_type_of_model(sender)
    derived = derived_from_model(sender)
    if raw or (spec is None and not derived) or getattr(connection, "schema_name", None) in (None, "", "public"):
        return
    # A record never shared (one just created: its service shares it itself) with nothing derived from it
    # needs no owner: looking it up cost every new record a query
    shared = spec is not None and _shared_before(spec, instance)
    if not shared and not derived:
        return
    owner = _owner()
    if owner is None:
        return
    if shared:
        record_changed(instance=instance, owner=owner)
    if derived:
        dependents_reevaluate(instance=instance, owner=owner)


def _deleted(sender: type[models.Model], instance: models.Model, **_: Any) -> None:

    spec = record_type_of_model(sender)
    if spec is None:
        return
    owner = _owner()
    if owner is not None:
        record_deleted(instance=instance, owner=owner)


def watch(model: type[models.Model]) -> None:
    """Re-evaluate what is shared of (and derived from) `model`'s rows whenever one is saved or deleted."""
    if model in _watched:
        return
    _watched.add(model)
    label = f"{model._meta.app_label}.{model.__name__}"
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"sync-derived-saved:{label}")
    post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=f"sync-derived-deleted:{label}")
