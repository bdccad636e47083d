"""The registration API for domain code: declare which records are shared and how.

    from sync.registry import SharedRecordType, register

    register(SharedRecordType(
        record_type="guidance.document",      # "<app>.<thing>"; must have a rule in sync.policy
        schema_version=1,
        model=GuidanceDocument,
        snapshot=lambda doc: {"title": doc.title, ...},   # canonical field names: docs/SYNC.md
        audience=lambda doc, owner: {child.code for child in owner.children.all()},
    ))

Then, inside the service's transaction: sync.outbox.record_changed(instance=doc) or
record_deleted(instance=doc). Receivers keep replicas in sync.Replica; a type may add
`on_receive(*, replica, previous_body)` to do more in the receiver's transaction (e.g. open a
ledger item from a superior's rectification item); `replica` is a sync.replicas.ReplicaView (its
`tombstone` set when the record was withdrawn). Domain code reads replicas with sync.replicas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from sync import policy


@dataclass(frozen=True)
class DerivedFrom:
    """A shared record derives from an instance of `model` (its parent: the round or feedback an item
    was listed under, the unit that names its county...): whenever a parent is saved, the records
    `records(parent)` derived from it are re-evaluated in the same transaction (published where they
    changed, withdrawn where a destination lost the right). With `parent`, the record's classification
    is never below that parent's (`parent(record)` gives the parent instance, or None)."""

    model: type[models.Model]
    records: Callable[[Any], Iterable[Any]]
    parent: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class HeldWith:
    """A shared record that goes exactly where a record of `model` is held (a file with the record it is
    attached to, a chunk with its file): its audience reads that record's holders
    (`sync.replicas.record_holders`). Whenever `record_changed` changes who holds an instance of `model`, or
    at which classification, the records `records(instance)` are re-evaluated in the same transaction (sent
    to a new holder, withdrawn from one that lost the record, re-sent at the new level); not on every save,
    so a large record (a file's chunks) is not re-read when nothing about its holders moved."""

    model: type[models.Model]
    records: Callable[[Any], Iterable[Any]]


@dataclass(frozen=True)
class SharedRecordType:
    record_type: str
    schema_version: int
    model: type[models.Model] | None
    snapshot: Callable[[Any], dict[str, Any]]
    audience: Callable[[Any, Any], set[str]]
    key: Callable[[Any], str] = field(default=lambda instance: str(instance.pk))
    # Called in the receiver's schema and transaction after a newer version was stored.
    on_receive: Callable[..., None] | None = None
    # Oldest schema version a receiver still accepts.
    min_schema_version: int = 1
    # False: the receiver's sync.Replica keeps addressing and digest only, never the body (the
    # body is handed to on_receive in memory, which stores it in the domain's own audited table).
    keep_body: bool = True
    # What the record derives from (sync.derived re-evaluates it when one of them changes).
    derived_from: tuple[DerivedFrom, ...] = ()
    # Where its records go follows where another record is held (HeldWith).
    held_with: tuple[HeldWith, ...] = ()


_types: dict[str, SharedRecordType] = {}
_by_model: dict[type, SharedRecordType] = {}


def register(record_type: SharedRecordType) -> SharedRecordType:
    if record_type.record_type not in policy.RULES:
        raise ValueError(f"{record_type.record_type!r} has no rule in sync.policy; add one before sharing it")
    # Here, not at the top: sync.derived imports sync.models, which imports this module (record_type_get).
    from sync import derived

    _types[record_type.record_type] = record_type
    if record_type.model is not None:
        _by_model[record_type.model] = record_type
        derived.watch(record_type.model)
    for parent in record_type.derived_from:
        derived.watch(parent.model)
    return record_type


def record_type_get(name: str) -> SharedRecordType | None:
    return _types.get(name)


def record_type_for(instance: models.Model) -> SharedRecordType:
    found = _by_model.get(type(instance))
    if found is None:
        raise LookupError(f"{type(instance).__name__} is not a registered shared record type")
    return found


def record_types() -> dict[str, SharedRecordType]:
    return dict(_types)


def record_type_of_model(model: type[models.Model]) -> SharedRecordType | None:
    return _by_model.get(model)


def derived_from_model(model: type[models.Model]) -> list[tuple[SharedRecordType, DerivedFrom]]:
    """Every (shared type, derivation) whose records derive from instances of `model`."""
    return [(spec, parent) for spec in _types.values() for parent in spec.derived_from if parent.model is model]


def held_with_model(model: type[models.Model]) -> list[tuple[SharedRecordType, HeldWith]]:
    """Every (shared type, HeldWith) whose records go where instances of `model` are held."""
    return [(spec, follow) for spec in _types.values() for follow in spec.held_with if follow.model is model]


def derived_records(
    instance: models.Model, seen: set[tuple[str, str]] | None = None
) -> Iterator[tuple[SharedRecordType, Any]]:
    """Every shared record derived from `instance` (SharedRecordType.derived_from), and what derives from
    those in turn where it can have changed, depth first, each once: (its type, the record).

    The descent goes on below a record only through a derivation with `parent` (the record's
    classification is bounded by `instance`, so its own dependents' bound may have moved). A record
    reached through a derivation without one (a round whose progress counts the item just saved) has
    neither its row nor its bound changed, so what derives from it is as it was: re-evaluating it all
    made every item saved re-evaluate every finding, item and transfer of its round (quadratic in the
    round's size; the Harbin builder spent most of its time there)."""
    seen = set() if seen is None else seen
    for spec, derivation in derived_from_model(type(instance)):
        for record in derivation.records(instance):
            marker = (spec.record_type, spec.key(record))
            if marker in seen:
                continue
            seen.add(marker)
            yield spec, record
            if derivation.parent is not None:
                yield from derived_records(record, seen)
