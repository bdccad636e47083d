"""Rectification over the bus (rules: sync/policy.py `rectification.item`, `rectification.progress`).

Two records, two owners (DESIGN.md "Single writer"):
- the city's `RectificationItem` → the county supervising it (explicit `assignee_org_code`, else the
  county managing the inspected unit). For elevated and cross-county rounds the policy lets it go only
  once `feedback_given` is true; the snapshot says so truthfully (see `item_feedback_given`) and the
  round's transition into feedback re-shares the round's items. Only the list's own fields travel:
  never the finding, clues, interviews or the feedback texts.
- the county opens its own `SupervisedItem` from it (`supervised_item_receive`), owns the progress
  fields and reports them up as `rectification.progress` (`supervised_item_report_progress`).
- the city keeps each county's progress as a replica, checked on arrival (`progress_receive`):
  only the county the item was actually sent to may report on it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.orgs.models import Organization
from sync.models import SharedCopy
from sync.orgs import current_organization
from sync.outbox import record_changed
from sync.registry import SharedRecordType, register
from tenants.rectification.models import RectificationItem, SupervisedItem, SupervisedStatus
from tenants.rounds.models import Round, RoundState
from tenants.rounds.signals import round_transitioned

ITEM_TYPE, PROGRESS_TYPE = "rectification.item", "rectification.progress"
FEEDBACK_REACHED = (RoundState.FEEDBACK, RoundState.RECTIFICATION, RoundState.CLOSED, RoundState.ARCHIVED)


# --- the city's item -------------------------------------------------------------------------------

def item_assignee(item: RectificationItem) -> str:
    """The county (code) supervising the item: the explicit one, else the county managing the unit."""
    return item.assignee_org_code or item.feedback.target.managing_org_code


def item_feedback_given(item: RectificationItem) -> bool:
    """Has the round's feedback been given to the unit? The round reached its feedback stage (for
    elevated/cross-county rounds recorded as the arrangement's `feedback_given_on`), or the feedback
    record says it was delivered (on a date not in the future)."""
    from tenants.crossorg.models import RoundArrangement

    feedback = item.feedback
    round = feedback.round
    if round.state in FEEDBACK_REACHED:
        return True
    if RoundArrangement.objects.filter(round_id=round.pk, feedback_given_on__isnull=False).exists():
        return True
    today = timezone.localdate()
    return any(day is not None and day <= today
               for day in (feedback.leadership_delivered_on, feedback.principal_delivered_on))


def item_snapshot(item: RectificationItem) -> dict:
    problem = item.problem.strip()
    return {
        "title": problem if len(problem) <= 300 else problem[:299] + "…",
        "category": item.finding.category.name if item.finding_id and item.finding.category_id else "",
        "description": item.task,
        "target_name": item.feedback.target.name,
        "deadline": item.due_date.isoformat(),
        "status": item.status,
        "assignee_org_code": item_assignee(item),
        "origin_round_kind": item.feedback.round.kind,
        "feedback_given": item_feedback_given(item),
        "classification": item.feedback.classification,
    }


def item_audience(item: RectificationItem, owner) -> set[str]:
    code = item_assignee(item)
    return {code} if code and owner.children.filter(code=code).exists() else set()


def items_share(*, items) -> None:
    """Re-share items after a change (inside the caller's transaction)."""
    for item in items:
        record_changed(instance=item)


@receiver(round_transitioned, sender=Round, dispatch_uid="sync-rectification-items-on-feedback")
def share_items_on_feedback(*, round, to_state, **_) -> None:
    """Giving feedback releases the rectification list of elevated/cross-county rounds (policy)."""
    if to_state == RoundState.FEEDBACK:
        items_share(items=RectificationItem.objects.filter(feedback__round=round)
                    .select_related("feedback__round", "feedback__target", "finding__category"))


# --- the county's ledger row, opened from the city's item ------------------------------------------

def _date(value, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Give dates as YYYY-MM-DD.")}) from None


def _text(body: dict, field: str, limit: int | None = None, required: bool = False) -> str:
    value = body.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (limit is not None and len(value) > limit) or (required and not value.strip()):
        raise ValidationError({field: _("The superior's item is incomplete or malformed.")})
    return value


def _parent_code(organization) -> str | None:
    return organization.parent.code if organization.parent_id else None


def supervised_item_receive(*, replica, previous_body) -> None:
    """In the county's schema and transaction: open or update its ledger row; a tombstone withdraws it
    (kept with the county's notes, hidden from active lists). ValidationError refuses the message."""
    organization = current_organization()
    if replica.source != _parent_code(organization):
        return  # not from our superior (e.g. a county's item reported up): the replica is all
    item = SupervisedItem.objects.select_for_update().filter(source=replica.source,
                                                             record_key=replica.record_key).first()
    if replica.tombstone or replica.body is None:
        if item is not None and item.withdrawn_at is None:
            item.withdrawn_at = timezone.now()
            item.save(update_fields=["withdrawn_at"])
        return
    body = replica.body
    if body.get("assignee_org_code") != organization.code:
        raise ValidationError({"assignee_org_code": _("This item is assigned to another county.")})
    values = {
        "title": _text(body, "title", 300, required=True),
        "category": _text(body, "category", 200),
        "description": _text(body, "description"),
        "target_name": _text(body, "target_name", 200),
        "deadline": _date(body.get("deadline"), "deadline"),
        "superior_status": _text(body, "status", 16),
        "origin_round_kind": _text(body, "origin_round_kind", 32),
        "classification": int(replica.classification),
        "withdrawn_at": None,
    }
    if item is None:
        SupervisedItem.objects.create(source=replica.source, record_key=replica.record_key, **values)
        return
    for name, value in values.items():
        setattr(item, name, value)
    item.save(update_fields=list(values))


# --- the county's progress, up to the city ---------------------------------------------------------

def progress_snapshot(item: SupervisedItem) -> dict:
    return {
        "item_key": item.record_key, "item_source": item.source, "status": item.status,
        "progress_note": item.progress_note,
        "completed_on": item.completed_on.isoformat() if item.completed_on else None,
        "reported_on": item.reported_on.isoformat() if item.reported_on else None,
        "classification": item.classification,
    }


def progress_audience(item: SupervisedItem, owner) -> set[str]:
    return {item.source} if item.source == _parent_code(owner) else set()


def progress_receive(*, replica, previous_body) -> None:
    """In the city's schema: accept a county's progress only on an item this city sent to that county."""
    if replica.tombstone or replica.body is None:
        return
    body = replica.body
    organization = current_organization()
    if body.get("item_source") != organization.code:
        raise ValidationError({"item_source": _("This progress is about another organisation's item.")})
    if not Organization.objects.filter(code=replica.source, parent__code=organization.code).exists():
        raise ValidationError({"source": _("Only a county of this city reports progress here.")})
    sent = SharedCopy.objects.filter(record_type=ITEM_TYPE, record_key=str(body.get("item_key", "")),
                                     destination=replica.source, tombstone=False).exists()
    if not sent:
        raise ValidationError({"item_key": _("This county was not assigned the item.")})
    if body.get("status") not in SupervisedStatus.values:
        raise ValidationError({"status": _("Unknown progress status.")})
    _date(body.get("completed_on"), "completed_on")
    _date(body.get("reported_on"), "reported_on")
    _text(body, "progress_note")


ITEM = register(SharedRecordType(
    record_type=ITEM_TYPE, schema_version=1, model=RectificationItem, snapshot=item_snapshot,
    audience=item_audience, on_receive=supervised_item_receive,
))
PROGRESS = register(SharedRecordType(
    record_type=PROGRESS_TYPE, schema_version=1, model=SupervisedItem, snapshot=progress_snapshot,
    audience=progress_audience, on_receive=progress_receive,
))
