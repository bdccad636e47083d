"""The read API for domain code: what other organisations shared with this one (their replicas in the
current schema), as typed read-only views.

    from sync.replicas import replicas_of, replica_get

    for notice in replicas_of(record_type="rounds.round", clearance=access.clearance, match={"kind": "elevated"}):
        notice.source, notice.record_key, notice.body["name"]

Domain modules never query `sync.models.Replica` (nor filter on its JSON body) themselves: each function
here is one query whatever the number of rows, and withdrawn records (tombstones) are never returned.
Body fields are named as the sender's `snapshot` names them (docs/SYNC.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal, TypedDict, Unpack

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import RowNumber

from sync.models import OutboxMessage, Replica, SharedCopy
from sync.registry import derived_records, record_type_of_model

Order = Literal["received", "newest"]
_ORDERS: dict[str, tuple[str, ...]] = {"received": ("received_at", "id"), "newest": ("-received_at", "-id")}


@dataclass(frozen=True)
class ReplicaView:
    """One record another organisation (`source`) shared with this one, as last received."""

    id: int
    record_type: str
    source: str
    record_key: str
    version: int
    classification: int
    received_at: datetime
    body: Mapping[str, Any] = field(default_factory=dict)  # empty for a tombstone
    tombstone: bool = False
    # How the audit log names a replica that a page showed (tenants.audit: record type + id).
    audit_record_type: ClassVar[str] = "sync.replica"

    @property
    def pk(self) -> int:
        return self.id

    def text(self, name: str, default: str = "") -> str:
        """A body field as text ("" when absent or null)."""
        value = self.body.get(name)
        return default if value is None else str(value)


def replica_view(row: Replica, *, body: Mapping[str, Any] | None = None) -> ReplicaView:
    """The view of one stored row (`body` given: the body handed over in memory, for the record types
    whose replicas keep no body)."""
    kept = row.body if body is None else body
    return ReplicaView(
        id=row.pk,
        record_type=row.record_type,
        source=row.source,
        record_key=row.record_key,
        version=int(row.version),
        classification=int(row.classification),
        received_at=row.received_at,
        body=kept if isinstance(kept, Mapping) else {},
        tombstone=bool(row.tombstone),
    )


def _blank(name: str) -> Q:
    return Q(**{f"body__{name}__isnull": True}) | Q(**{f"body__{name}": None}) | Q(**{f"body__{name}": ""})


def _held(*, record_type: str, sources: Iterable[str] | None, blank: Iterable[str] = ()) -> QuerySet[Replica]:
    rows = Replica.objects.filter(record_type=record_type, tombstone=False)
    if sources is not None:
        rows = rows.filter(source__in=list(sources))
    for name in blank:
        rows = rows.filter(_blank(name))
    return rows


class ReplicaFilter(TypedDict, total=False):
    """What `replicas_of` and `replica_rows` select by, beside the record type (see replica_rows)."""

    sources: Iterable[str] | None
    keys: Iterable[str] | None
    clearance: int | None
    match: Mapping[str, object] | None
    match_any: Mapping[str, Iterable[object]] | None
    blank: Iterable[str]
    ids: Iterable[int] | None
    order: Order


def replicas_of(*, record_type: str, **selection: Unpack[ReplicaFilter]) -> list[ReplicaView]:
    """The replicas `replica_rows` selects, read at once."""
    return list(replica_rows(record_type=record_type, **selection))


class ReplicaRows:
    """The replicas `replicas_of` selects, not yet read: `count()` is one COUNT, a slice one LIMIT/OFFSET query
    of ReplicaViews, so a page (Django's Paginator) reads only its own rows."""

    def __init__(self, rows: QuerySet[Replica]) -> None:
        self._rows = rows

    def count(self) -> int:
        return self._rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[ReplicaView]:
        return [replica_view(row) for row in self._rows[index]]

    def __iter__(self) -> Iterator[ReplicaView]:
        return (replica_view(row) for row in self._rows)


def replica_rows(
    *,
    record_type: str,
    sources: Iterable[str] | None = None,
    keys: Iterable[str] | None = None,
    clearance: int | None = None,
    match: Mapping[str, object] | None = None,
    match_any: Mapping[str, Iterable[object]] | None = None,
    blank: Iterable[str] = (),
    ids: Iterable[int] | None = None,
    order: Order = "received",
) -> ReplicaRows:
    """The held (not withdrawn) replicas of `record_type`, optionally only from `sources`, with
    `keys`, up to `clearance`, whose body has each `match` field equal to its value, each `match_any`
    field among its values and each `blank` field absent, null or empty; oldest received first
    (`order="newest"`: newest first). Not yet read: ReplicaRows reads a page at a time."""
    rows = _held(record_type=record_type, sources=sources, blank=blank)
    if keys is not None:
        rows = rows.filter(record_key__in=[str(key) for key in keys])
    if clearance is not None:
        rows = rows.filter(classification__lte=clearance)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    for name, value in (match or {}).items():
        rows = rows.filter(**{f"body__{name}": value})
    for name, values in (match_any or {}).items():
        rows = rows.filter(**{f"body__{name}__in": list(values)})
    return ReplicaRows(rows.order_by(*_ORDERS[order]))


def replica_get(*, record_type: str, source: str, key: str, clearance: int | None = None) -> ReplicaView | None:
    """The held replica of one record (None when never received, withdrawn or above `clearance`)."""
    found = replicas_of(record_type=record_type, sources=[source], keys=[key], clearance=clearance)
    return found[0] if found else None


def replicas_by_source(*, record_type: str, sources: Iterable[str], key: str) -> dict[str, ReplicaView]:
    """{source: its replica of the record `key`} (e.g. each county's statistics for one period)."""
    return {view.source: view for view in replicas_of(record_type=record_type, sources=sources, keys=[key])}


def replica_count_by_source(*, record_type: str, sources: Iterable[str], blank: Iterable[str] = ()) -> dict[str, int]:
    """{source: how many held replicas of `record_type` it sent} (sources with none are absent)."""
    rows = _held(record_type=record_type, sources=sources, blank=blank)
    return dict(rows.values("source").annotate(number=Count("id")).values_list("source", "number"))


def replicas_first_by_source(
    *, record_type: str, sources: Iterable[str], order_field: str, limit: int, blank: Iterable[str] = ()
) -> dict[str, list[ReplicaView]]:
    """{source: its first `limit` held replicas of `record_type` by the body's `order_field` (as text,
    then by arrival)}, in one query whatever the number of sources."""
    ranked = _held(record_type=record_type, sources=sources, blank=blank).annotate(
        rank=Window(
            RowNumber(), partition_by=F("source"), order_by=[KeyTextTransform(order_field, "body").asc(), F("id").asc()]
        )
    )
    found: dict[str, list[ReplicaView]] = {}
    for row in ranked.filter(rank__lte=limit).order_by("source", "rank"):
        found.setdefault(row.source, []).append(replica_view(row))
    return found


def last_received_by_source(*, sources: Iterable[str]) -> dict[str, datetime]:
    """{source: when this organisation last received any record from it} (withdrawals included).

    One statement of one index probe per source (sync_replica_source_received, newest first): a
    `GROUP BY source` with Max(received_at) read every replica of those sources instead."""
    latest = [
        Replica.objects.filter(source=source).order_by("-received_at").values_list("source", "received_at")[:1]
        for source in dict.fromkeys(sources)
    ]
    if not latest:
        return {}
    first, *rest = latest
    return dict(first.union(*rest, all=True))


def record_shared_with(*, record_type: str, key: str, destination: str) -> bool:
    """The sender's side: this organisation's record `key` is currently shared with `destination`
    (its copy there is held, not withdrawn)."""
    return SharedCopy.objects.filter(
        record_type=record_type, record_key=str(key), destination=destination, tombstone=False
    ).exists()


def record_holders(*, record_type: str, key: str) -> dict[str, int]:
    """The sender's side: {destination: classification} of every organisation that currently holds this
    organisation's record `key` (its copy there is not withdrawn). What is held with a record (its files,
    `sync.registry.HeldWith`) takes this as its audience and its level."""
    return dict(
        SharedCopy.objects.filter(record_type=record_type, record_key=str(key), tombstone=False).values_list(
            "destination", "classification"
        )
    )


@dataclass(frozen=True)
class CopySent:
    """The owner's side: what one destination was sent of one record (the last version), and whether the
    relay has published it yet (`sent_at` None: still queued; `attempts`/`last_error` while it retries)."""

    record_type: str
    record_key: str
    destination: str
    version: int
    tombstone: bool
    body: Mapping[str, Any]
    updated_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str

    def text(self, name: str, default: str = "") -> str:
        value = self.body.get(name)
        return default if value is None else str(value)


def copies_sent(*, instance: models.Model) -> list[CopySent]:
    """The owner's side: every copy this organisation has sent of `instance` and of each record derived from
    it (a round's notice, its rectification items and transfers...), one per destination, with the state of
    the last message for it; oldest first. Two queries per record type."""
    by_type: dict[str, list[str]] = {}
    own = record_type_of_model(type(instance))
    if own is not None:
        by_type[own.record_type] = [own.key(instance)]
    for spec, record in derived_records(instance):
        by_type.setdefault(spec.record_type, []).append(spec.key(record))
    copies: list[CopySent] = []
    for record_type, keys in by_type.items():
        rows = list(SharedCopy.objects.filter(record_type=record_type, record_key__in=keys))
        messages: dict[tuple[str, str, int], OutboxMessage] = {
            (message.record_key, message.destination, int(message.version)): message
            for message in OutboxMessage.objects.filter(record_type=record_type, record_key__in=keys)
        }
        for row in rows:
            message = messages.get((row.record_key, row.destination, int(row.version)))
            copies.append(
                CopySent(
                    record_type=record_type,
                    record_key=row.record_key,
                    destination=row.destination,
                    version=int(row.version),
                    tombstone=bool(row.tombstone),
                    body=row.body if isinstance(row.body, Mapping) else {},
                    updated_at=row.updated_at,
                    sent_at=message.sent_at if message is not None else None,
                    attempts=int(message.attempts) if message is not None else 0,
                    last_error=message.last_error if message is not None else "",
                )
            )
    return sorted(copies, key=lambda copy: (copy.updated_at, copy.record_type, copy.record_key, copy.destination))
