"""Read queries for feedback and rectification, filtered by role, unit, round and clearance."""

from __future__ import annotations

from django.db.models import Q

from shared.accounts.models import Role
from tenants.agencies.selectors import target_ids_for_liaison
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES
from tenants.rectification.models import Feedback, RectificationItem, Submission
from tenants.rectification.sharing import ITEMS, item_assignee
from tenants.rounds.access import team_round_ids
from xuncha.clearance import narrow_for_grant


def _visible(*, actor, access, round_field: str, target_field: str) -> Q | None:
    """None = no restriction beyond clearance."""
    if is_office(access) or is_reader(access):
        return None
    visible = Q(pk__in=[])
    if access.has_role(*TEAM_ROLES):
        visible |= Q(**{f"{round_field}__in": team_round_ids(actor=actor)})
    if access.has_role(Role.UNIT_LIAISON):
        visible |= Q(**{f"{target_field}__in": target_ids_for_liaison(person=actor)})
    return visible


def feedback_list(*, actor, access):
    queryset = Feedback.objects.filter(classification__lte=access.clearance).select_related("round", "target")
    visible = _visible(actor=actor, access=access, round_field="round_id", target_field="target_id")
    queryset = queryset if visible is None else queryset.filter(visible)
    return narrow_for_grant(queryset, access)


def item_list(*, actor, access, feedback_id=None):
    queryset = RectificationItem.objects.filter(feedback__classification__lte=access.clearance).select_related(
        "feedback", "feedback__round", "feedback__target", "verified_by"
    )
    if feedback_id is not None:
        queryset = queryset.filter(feedback_id=feedback_id)
    visible = _visible(actor=actor, access=access, round_field="feedback__round_id", target_field="feedback__target_id")
    queryset = queryset if visible is None else queryset.filter(visible)
    return narrow_for_grant(queryset, access, round_field="feedback__round_id", target_field="feedback__target_id")


def county_progress(*, items, access) -> dict[int, dict]:
    """City side: the latest progress each item's supervising county reported (`rectification.progress`
    replicas), by item id: {"county": code, "status", "progress_note", "completed_on", "reported_on"}."""
    return ITEMS.county_progress(records=items, access=access)


def progress_visible(*, actor, access, replica) -> bool:
    """City side: may this person open what a county sent with its progress (`replica`, a
    `rectification.progress` replica)? Exactly when they may open the item and it is still that county's."""
    key = str(replica.body.get("item_key", ""))
    item = item_list(actor=actor, access=access).filter(pk=int(key) if key.isdigit() else None).first()
    return item is not None and item_assignee(item) == replica.source


def submission_list(*, actor, access):
    """The units' submissions (整改方案, reports) on the feedback this person may open."""
    return Submission.objects.filter(feedback__in=feedback_list(actor=actor, access=access)).select_related("feedback")
