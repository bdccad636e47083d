"""One registration for each kind of record a superior assigns to a county's ledger (督办台账).

    ITEMS = ledger_register(
        record_type="rectification.item", source_model=RectificationItem, snapshot=item_snapshot,
        assignee=item_assignee, derived_from=ITEM_DERIVED_FROM, values=_item_values, model=SupervisedItem,
        superior_link=_item_link,
    )

registers both records with the bus (sync.registry): the superior's record, down to the county it is
assigned to (whether it may go, and which fields, is the policy's one ledger rule, sync/policy.py
`_ledger_rule`), opening the county's row on arrival (`ledger_receive`); and the county's progress,
up to that superior only, accepted there only from the county the record was sent to (`progress_check`)
and read by the superior with `Ledger.county_progress`. The county's row (a FromSuperior, `model`) says the
rest by its class attributes: its progress record type and fields (PROGRESS_*), and how its notices name it
(NOTICE_NOUN, LEDGER_LINK). The owning apps call it from their sharing modules; this package imports none of
them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from shared.orgs.models import Organization
from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.kernel.inputs import parse_date
from tenants.ledger.sharing import (
    body_text,
    child_county_code,
    ledger_receive,
    parent_code,
    progress_by_key,
    progress_check,
)
from tenants.reminders.models import Notification
from tenants.reminders.services import notification_create
from xuncha.office_language import office_language


@dataclass(frozen=True)
class LedgerNotices:
    """The notices a ledger kind gives: to the county when a superior's record opens its row, to the superior
    when a county reports progress. Their text names the record only by its label (a reference or the problem
    as listed), never the superior's other fields; both carry the record's classification."""

    model: Any  # the county's row (a FromSuperior): its NOTICE_NOUN, LEDGER_LINK and statuses
    superior_link: Callable[[str], str]  # the superior's page of the record with this key

    def arrived(self, *, row, replica) -> None:
        with office_language():
            superior = Organization.objects.filter(code=replica.source).values_list("name", flat=True).first()
            title = _("%(superior)s assigned us a %(noun)s: %(what)s") % {
                "superior": superior or replica.source,
                "noun": self.model.NOTICE_NOUN,
                "what": getattr(row, "title", "") or row.label or row.target_name,
            }
        notification_create(
            kind="ledger_received",
            item_key=f"{replica.record_type}:{replica.source}:{replica.record_key}",
            title=title,
            link=self.model.LEDGER_LINK,
            due_date=getattr(row, "deadline", None),
            classification=row.classification,
        )

    def withdrawn(self, *, replica) -> None:
        """The superior took the record back: its arrival notice goes with it (nothing of it is kept here)."""
        Notification.objects.filter(
            kind="ledger_received", item_key=f"{replica.record_type}:{replica.source}:{replica.record_key}"[:200]
        ).delete()

    def progress(self, *, replica, body: dict, key: str) -> None:
        status = body.get("status", "")
        statuses = dict(self.model.status_choices())
        with office_language():
            county = Organization.objects.filter(code=replica.source).values_list("name", flat=True).first()
            title = _("%(county)s reported progress on a %(noun)s (No. %(key)s): %(status)s") % {
                "county": county or replica.source,
                "noun": self.model.NOTICE_NOUN,
                "key": key,
                "status": statuses.get(status, status),
            }
        notification_create(
            kind="county_progress",
            item_key=f"{replica.record_type}:{replica.source}:{key}:{status}:{body.get('reported_on')}",
            title=title,
            link=self.superior_link(key),
            classification=int(body.get("classification", 1)),
        )


@dataclass(frozen=True)
class Ledger:
    """One kind of ledger record: the superior's record type and the county's progress on it."""

    record_type: str  # the superior's record, down ("rectification.item")
    progress_type: str  # the county's progress, up ("rectification.progress")
    model: type  # the county's row (a tenants.ledger.models.FromSuperior)
    key_field: str  # the progress body's reference to the superior's record ("item_key")
    source_field: str  # and to the superior ("item_source")
    progress_fields: tuple[str, ...]  # the county's fields that travel up
    assignee: Callable[[Any], str]  # superior side: the county a record is assigned to
    down: SharedRecordType
    up: SharedRecordType
    notices: LedgerNotices | None = None

    def progress_snapshot(self, row) -> dict:
        body: dict[str, Any] = {self.key_field: row.record_key, self.source_field: row.source}
        for name in self.progress_fields:
            value = getattr(row, name)
            body[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return {**body, "classification": row.classification}

    def progress_receive(self, *, replica, previous_body) -> None:
        """In the superior's schema: accept a county's progress only on a record sent to that county,
        every field of the type the county's row holds."""
        body = progress_check(
            replica=replica,
            item_type=self.record_type,
            key_field=self.key_field,
            source_field=self.source_field,
            statuses=self.model.status_values(),
        )
        if body is None:
            return
        for name in self.progress_fields:
            field = self.model._meta.get_field(name)
            if isinstance(field, models.DateField):
                parse_date(body.get(name), field=name)
            elif isinstance(field, models.TextField):
                body_text(body, name)
        if self.notices is not None and (previous_body or {}).get("status") != body.get("status"):
            self.notices.progress(replica=replica, body=body, key=str(body.get(self.key_field, "")))

    def county_progress(self, *, records, access) -> dict[int, dict]:
        """Superior side: the latest progress each record's county reported, by record id:
        {"county": code, "county_name", *progress_fields}."""
        return progress_by_key(
            record_type=self.progress_type,
            key_field=self.key_field,
            source_field=self.source_field,
            records={str(record.pk): record for record in records},
            access=access,
            assignee=self.assignee,
            fields=self.progress_fields,
        )


_ledgers: dict[str, Ledger] = {}


def ledger_register(
    *,
    record_type: str,
    source_model: type[models.Model],
    snapshot: Callable[[Any], dict],
    assignee: Callable[[Any], str],
    values: Callable[[dict], dict],
    model: Any,
    derived_from: tuple[DerivedFrom, ...] = (),
    audience: Callable[[Any, Any], set[str]] | None = None,
    superior_link: Callable[[str], str] | None = None,
) -> Ledger:
    """Register a ledger record type with the bus (both directions) and with the ledger; see the
    module's docstring. `audience` defaults to the assigned county when it is one of the owner's; with
    `superior_link` (the superior's page of a record, by key) and the model's NOTICE_NOUN, the kind gives notices."""
    progress_type = model.PROGRESS_TYPE
    notices = LedgerNotices(model, superior_link) if superior_link is not None and model.NOTICE_NOUN else None

    def receive(*, replica, previous_body) -> None:
        opened = ledger_receive(model=model, replica=replica, values=values)
        if notices is None:
            return
        if opened is not None:
            notices.arrived(row=opened, replica=replica)
        elif replica.tombstone or replica.body is None:
            notices.withdrawn(replica=replica)

    down = register(
        SharedRecordType(
            record_type=record_type,
            schema_version=1,
            model=source_model,
            snapshot=snapshot,
            audience=audience or (lambda record, owner: child_county_code(owner, assignee(record))),
            on_receive=receive,
            derived_from=derived_from,
        )
    )
    ledger: Ledger
    up = register(
        SharedRecordType(
            record_type=progress_type,
            schema_version=1,
            model=model,
            snapshot=lambda row: ledger.progress_snapshot(row),
            audience=lambda row, owner: {row.source} if row.source == parent_code(owner) else set(),
            on_receive=lambda **kwargs: ledger.progress_receive(**kwargs),
        )
    )
    ledger = Ledger(
        record_type,
        progress_type,
        model,
        model.PROGRESS_KEY_FIELD,
        model.PROGRESS_SOURCE_FIELD,
        model.PROGRESS_FIELDS,
        assignee,
        down,
        up,
        notices,
    )
    _ledgers[record_type] = ledger
    return ledger


def ledger_get(record_type: str) -> Ledger:
    """The registered ledger of a superior's record type (LookupError if none)."""
    try:
        return _ledgers[record_type]
    except KeyError:
        raise LookupError(f"no ledger registered for {record_type}") from None


def ledgers() -> list[Ledger]:
    """Every registered ledger kind (in registration order)."""
    return list(_ledgers.values())
