"""Guidance documents: this office's own, and those received from the office above."""

from __future__ import annotations

from django.db.models import QuerySet

from sync.replicas import ReplicaView, replicas_of
from tenants.guidance.models import GuidanceDocument
from tenants.kernel.access import is_office
from tenants.kernel.roles import TEAM_ROLES


def guidance_readable(access) -> bool:
    """Who reads the guidance pages: the office and the rounds' teams."""
    return is_office(access) or access.has_role(*TEAM_ROLES)


def guidance_document_list(*, clearance: int) -> QuerySet[GuidanceDocument]:
    return GuidanceDocument.objects.filter(classification__lte=clearance)


def guidance_received_list(*, clearance: int) -> list[ReplicaView]:
    return replicas_of(record_type="guidance.document", clearance=clearance)


def guidance_received_visible(*, actor, access, replica: ReplicaView) -> bool:
    """Who may open a received document (and its files): every member cleared for it, as the list shows it."""
    return replica.record_type == "guidance.document" and replica.classification <= access.clearance
