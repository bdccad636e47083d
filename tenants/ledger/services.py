"""The county's one service on its ledger (督办台账): reporting its progress on a superior's record,
whatever its kind; and the red/yellow/green colour of a deadline."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sync.outbox import record_changed
from tenants.attachments.registry import OWNERS
from tenants.attachments.services import attachments_add, attachments_check
from tenants.kernel.access import is_office, require, require_cleared

RED, YELLOW, GREEN = "red", "yellow", "green"


def status_colour(*, due: datetime.date | None, done: bool, today: datetime.date, yellow_within_days: int) -> str:
    """红黄绿: red = open past due, yellow = open and due within the threshold, green otherwise."""
    if done or due is None:
        return GREEN
    if today > due:
        return RED
    if (due - today).days <= yellow_within_days:
        return YELLOW
    return GREEN


@transaction.atomic
def ledger_progress_report(
    *, actor, access, record, status: str, today: datetime.date | None = None, files=(), **values
):
    """The county's office records its progress on a superior's record (a FromSuperior row) and
    reports it up as its own progress record (tenants.ledger.registry). `values`: the row's done date
    (its DONE_ON_FIELD, given only with its done status, never in the future) and its own fields
    (`progress_fields_set`). `files`: evidence kept with the row (a kind whose rows carry files) and sent up
    with its progress. The superior still closes the record by its own rules."""
    require(is_office(access))
    model = type(record)
    if files and model._meta.label_lower not in OWNERS:
        raise ValidationError({"files": _("Files cannot be attached here.")})
    checked = attachments_check(files=files)
    record = model.objects.select_for_update().get(pk=record.pk)
    require_cleared(access, record.classification)
    if record.withdrawn_at is not None:
        raise ValidationError({"status": _("The superior has withdrawn this item.")})
    if status not in model.status_values():
        raise ValidationError({"status": _("Unknown progress status.")})
    today = today or timezone.localdate()
    done_field = model.DONE_ON_FIELD
    done_on = values.pop(done_field, None)
    if status == model.DONE_STATUS:
        done_on = done_on or today
        if done_on > today:
            raise ValidationError({done_field: _("The completion date cannot be in the future.")})
    elif done_on is not None:
        raise ValidationError({done_field: _("Give a completion date only for a completed item.")})
    own = record.progress_fields_set(**values)
    record.status = status
    setattr(record, done_field, done_on)
    record.reported_on, record.reported_by = today, actor
    record.save(update_fields=["status", done_field, *own, "reported_on", "reported_by"])
    record_changed(instance=record)
    if checked:
        attachments_add(actor=actor, record=record, files=checked)
    return record
