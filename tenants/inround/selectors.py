"""Read queries for in-round records, filtered by role, round and clearance."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from shared.accounts.models import Classification
from tenants.inround.models import InformantIdentity, InformationRequest, Interview, Petition, WorkingPaper
from tenants.kernel.access import is_office
from tenants.kernel.roles import TEAM_ROLES
from tenants.rounds.access import can_see_informant, round_scope
from xuncha.clearance import narrow_for_grant


def _scoped(queryset, *, actor, access):
    scope = round_scope(actor=actor, access=access)
    if scope is not None:
        queryset = queryset.filter(round_id__in=scope)
    return narrow_for_grant(queryset, access)


def information_request_list(*, actor, access):
    if not is_office(access) and not access.has_role(*TEAM_ROLES):
        return InformationRequest.objects.none()
    return _scoped(InformationRequest.objects.select_related("agency", "target", "round"), actor=actor, access=access)


def information_reply_visible(*, actor, access, request: InformationRequest) -> bool:
    reply = getattr(request, "reply", None)
    return reply is not None and access.cleared_for(reply.classification)


def interview_list(*, actor, access):
    queryset = Interview.objects.filter(classification__lte=access.clearance).select_related("target", "round")
    return _scoped(queryset, actor=actor, access=access)


def petition_list(*, actor, access):
    queryset = Petition.objects.filter(classification__lte=access.clearance).select_related("target", "round")
    return _scoped(queryset, actor=actor, access=access)


def working_paper_list(*, actor, access):
    queryset = WorkingPaper.objects.filter(classification__lte=access.clearance).select_related("target", "round")
    return _scoped(queryset, actor=actor, access=access)


def informant_for(*, actor, access, record) -> InformantIdentity | None:
    """The identity behind an interview or petition, or PermissionDenied for anyone not entitled."""
    if not can_see_informant(actor=actor, access=access, round_id=record.round_id):
        raise PermissionDenied
    lookup = {"interview": record} if isinstance(record, Interview) else {"petition": record}
    return InformantIdentity.objects.filter(**lookup).first()


def informant_visible(*, actor, access, record) -> bool:
    return can_see_informant(actor=actor, access=access, round_id=record.round_id) and access.cleared_for(
        Classification.CONFIDENTIAL
    )
