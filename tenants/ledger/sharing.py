"""What a city's records assigned to a county (督办: rectification items, transfers) share on the bus.

The city owns the item; the county opens its own ledger row from it (`ledger_receive`, in the
county's `on_receive`) and owns its progress, which goes back up as a separate record the city
accepts only from the county it sent the item to (`progress_check`) and reads with `progress_by_key`.
Used by tenants/rectification/sharing.py and tenants/transfers/sharing.py; imports neither.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.orgs.models import Organization, OrganizationKind
from sync.orgs import current_organization, current_organization_code
from sync.replicas import record_shared_with, replicas_of
from tenants.attachments.travel import received_file_json, received_files
from tenants.kernel.inputs import parse_date


def child_county_code(owner, code: str) -> set[str]:
    """{code} if it is one of the owner's counties, else nothing (the audience of an assigned item)."""
    return {code} if code and owner.children.filter(code=code).exists() else set()


def parent_code(organization) -> str | None:
    return organization.parent.code if organization.parent_id else None


def body_text(body: dict, field: str, limit: int | None = None, required: bool = False) -> str:
    value = body.get(field)
    value = "" if value is None else value
    if not isinstance(value, str) or (limit is not None and len(value) > limit) or (required and not value.strip()):
        raise ValidationError({field: _("The superior's item is incomplete or malformed.")})
    return value


def superior_values(body: dict) -> dict:
    """What every ledger row (FromSuperior) copies from the superior's record, beside its kind's own fields."""
    return {
        "target_name": body_text(body, "target_name", 200),
        "deadline": parse_date(body.get("deadline"), field="deadline"),
        "deadline_provisional": body.get("deadline_provisional") is True,
        "superior_status": body_text(body, "status", 16),
    }


def ledger_receive(*, model, replica, values: Callable[[dict], dict]):
    """County side, in its schema and transaction: open or update the ledger row (`model`, with
    source, record_key, classification and withdrawn_at) from the superior's record; a tombstone
    marks it withdrawn and erases every field copied from the superior (FromSuperior.SUPERIOR_FIELDS),
    keeping only the county's own: a county that lost the right (level raised, reassigned) keeps none
    of the superior's content. Records not from our parent are left as replicas. ValidationError
    refuses the message. Returns the row when this message opened it (None otherwise)."""
    organization = current_organization()
    if replica.source != parent_code(organization):
        return
    row = model.objects.select_for_update().filter(source=replica.source, record_key=replica.record_key).first()
    if replica.tombstone or replica.body is None:
        if row is not None:
            erased = row.superior_fields_erase()
            if row.withdrawn_at is None:
                row.withdrawn_at = timezone.now()
            row.save(update_fields=["withdrawn_at", *erased])
        return None
    if replica.body.get("assignee_org_code") != organization.code:
        raise ValidationError({"assignee_org_code": _("This item is assigned to another county.")})
    fields = {**values(replica.body), "classification": int(replica.classification), "withdrawn_at": None}
    if row is None:
        return model.objects.create(source=replica.source, record_key=replica.record_key, **fields)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=list(fields))
    return None


def progress_check(*, replica, item_type: str, key_field: str, source_field: str, statuses) -> dict | None:
    """City side: a county's progress is accepted only about an item this city sent to that county
    (and still holds there); returns the body (None for a tombstone)."""
    if replica.tombstone or replica.body is None:
        return None
    body = replica.body
    organization = current_organization()
    if body.get(source_field) != organization.code:
        raise ValidationError({source_field: _("This progress is about another organisation's item.")})
    if not Organization.objects.filter(code=replica.source, parent__code=organization.code).exists():
        raise ValidationError({"source": _("Only a county of this city reports progress here.")})
    if not record_shared_with(record_type=item_type, key=str(body.get(key_field, "")), destination=replica.source):
        raise ValidationError({key_field: _("This county was not assigned the item.")})
    if body.get("status") not in statuses:
        raise ValidationError({"status": _("Unknown progress status.")})
    return body


def progress_by_key(
    *,
    record_type: str,
    key_field: str,
    source_field: str,
    records: dict,
    access,
    assignee: Callable,
    fields: tuple[str, ...],
) -> dict:
    """City side: {record pk: {"county", *fields}} — the latest progress of each record's current
    supervising county (replicas of `record_type`, within the reader's clearance)."""
    if not records or getattr(connection.tenant, "kind", None) == OrganizationKind.COUNTY:
        return {}  # a county has no county below it (a county's parent is a city): none reports progress to it
    replicas = replicas_of(
        record_type=record_type,
        clearance=access.clearance,
        match={source_field: current_organization_code()},
        match_any={key_field: list(records)},
    )

    progress, current = {}, []
    for replica in replicas:
        record = records[replica.body[key_field]]
        if replica.source == assignee(record):
            progress[record.pk] = {"county": replica.source, **{name: replica.body.get(name) for name in fields}}
            current.append((record.pk, replica))
    files = received_files(replicas=[replica for _, replica in current], clearance=access.clearance)
    for pk, replica in current:  # the evidence the county sent with its progress, once complete
        progress[pk]["files"] = [received_file_json(row) for row in files.get((replica.source, replica.record_key), [])]
    names = dict(
        Organization.objects.filter(code__in={p["county"] for p in progress.values()}).values_list("code", "name")
    )
    for entry in progress.values():  # pages show the county by its name, never its region code
        entry["county_name"] = names.get(entry["county"], "")
    return progress
