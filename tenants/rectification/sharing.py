"""Rectification over the bus (rules: sync/policy.py `rectification.item`, `rectification.progress`).

Two records, two owners (docs/DESIGN.md "Single writer"):
- the city's `RectificationItem` → the county supervising it (explicit `assignee_org_code`, else the
  county managing the inspected unit). For elevated and cross-county rounds the policy lets it go only
  once `feedback_given` is true; the snapshot says so truthfully (see `item_feedback_given`) and the
  round's transition into feedback re-shares the round's items. Only the list's own fields travel:
  never the finding, clues, interviews or the feedback texts.
- the county opens its own `SupervisedItem` from it (its ledger, tenants/ledger: `ledger_register`
  below), owns the progress fields and reports them up as `rectification.progress`
  (`tenants.ledger.services.ledger_progress_report`).
- the city keeps each county's progress as a replica, checked on arrival (`Ledger.progress_receive`):
  only the county the item was actually sent to may report on it.
"""

from __future__ import annotations

from django.utils import timezone

from sync.registry import DerivedFrom
from tenants.crossorg.models import RoundArrangement
from tenants.crossorg.selectors import round_feedback_given
from tenants.findings.models import Finding
from tenants.ledger.registry import ledger_register
from tenants.ledger.sharing import body_text, superior_values
from tenants.rectification.models import Feedback, RectificationItem, SupervisedItem
from tenants.rounds.models import Round
from tenants.targets.models import Target

# --- the city's item -------------------------------------------------------------------------------


def item_assignee(item: RectificationItem) -> str:
    """The county (code) supervising the item: the explicit one, else the county managing the unit."""
    return item.assignee_org_code or item.feedback.target.managing_org_code


def item_feedback_given(item: RectificationItem) -> bool:
    """Has the round's feedback been given to the unit? The round reached its feedback stage, or the
    feedback record says it was delivered (on a date not in the future)."""
    feedback = item.feedback
    if round_feedback_given(feedback.round):
        return True
    today = timezone.localdate()
    return any(
        day is not None and day <= today for day in (feedback.leadership_delivered_on, feedback.principal_delivered_on)
    )


def item_snapshot(item: RectificationItem) -> dict:
    problem = item.problem.strip()
    return {
        "title": problem if len(problem) <= 300 else problem[:299] + "…",
        "category": item.finding.category.name if item.finding_id and item.finding.category_id else "",
        "description": item.task,
        "target_name": item.feedback.target.name,
        "deadline": item.due_date.isoformat(),
        "deadline_provisional": item.due_provisional,
        "status": item.status,
        "assignee_org_code": item_assignee(item),
        "origin_round_kind": item.feedback.round.kind,
        "feedback_given": item_feedback_given(item),
        "classification": item.feedback.classification,
    }


def _items(**filters):
    return RectificationItem.objects.filter(**filters).select_related(
        "feedback__round", "feedback__target", "finding__category"
    )


# Giving feedback (the round's state, the arrangement's date) releases the list of elevated/cross-county
# rounds; raising the round, the feedback or the finding withdraws it; a unit moved to another county
# moves its items.
ITEM_DERIVED_FROM = (
    DerivedFrom(
        model=Round, records=lambda round: _items(feedback__round=round), parent=lambda item: item.feedback.round
    ),
    DerivedFrom(model=Feedback, records=lambda feedback: _items(feedback=feedback), parent=lambda item: item.feedback),
    DerivedFrom(model=RoundArrangement, records=lambda arrangement: _items(feedback__round_id=arrangement.round_id)),
    DerivedFrom(model=Target, records=lambda target: _items(feedback__target=target)),
    DerivedFrom(model=Finding, records=lambda finding: _items(finding=finding), parent=lambda item: item.finding),
)


# --- the county's ledger row, opened from the city's item ------------------------------------------


def _item_values(body: dict) -> dict:
    return {
        "title": body_text(body, "title", 300, required=True),
        "category": body_text(body, "category", 200),
        "description": body_text(body, "description"),
        **superior_values(body),
        "origin_round_kind": body_text(body, "origin_round_kind", 32),
    }


def _item_link(key: str) -> str:
    """The city's page of its item (its feedback's), relative to the organisation."""
    feedback_id = RectificationItem.objects.filter(pk=int(key) if key.isdigit() else None).values_list(
        "feedback_id", flat=True
    )
    return f"rectification/feedback/{feedback_id[0]}/" if feedback_id else "rectification/"


ITEMS = ledger_register(
    record_type="rectification.item",
    source_model=RectificationItem,
    snapshot=item_snapshot,
    assignee=item_assignee,
    derived_from=ITEM_DERIVED_FROM,
    values=_item_values,
    model=SupervisedItem,
    superior_link=_item_link,
)
ITEM, PROGRESS = ITEMS.down, ITEMS.up
