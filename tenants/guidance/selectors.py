"""Guidance documents: this office's own, and those received from the office above."""

from __future__ import annotations

from django.db.models import QuerySet

from sync.replicas import ReplicaView, replicas_of
from tenants.guidance.models import GuidanceDocument
from tenants.kernel.access import is_office
from tenants.kernel.roles import TEAM_ROLES


def guidance_readable(access) -> bool:
    """Who reads the guidance pages: the office and the rounds' own teams. A cross-county member let in by a grant
    reaches the granted round's targets and nothing else: not what this office received from above."""
    if access.is_granted:
        return False
    return is_office(access) or access.has_role(*TEAM_ROLES)


def guidance_document_list(*, clearance: int) -> QuerySet[GuidanceDocument]:
    return GuidanceDocument.objects.filter(classification__lte=clearance)


def guidance_received_list(*, clearance: int) -> list[ReplicaView]:
    return replicas_of(record_type="guidance.document", clearance=clearance)


def guidance_received_visible(*, actor, access, replica: ReplicaView) -> bool:
    """Who may open a received document (and its files): whoever reads the guidance pages, cleared for it."""
    return (
        replica.record_type == "guidance.document"
        and guidance_readable(access)
        and replica.classification <= access.clearance
    )


def guidance_files_visible(*, actor, access) -> QuerySet[GuidanceDocument]:
    """The office's own documents whose files a person may open: those the guidance pages show them."""
    if not guidance_readable(access):
        return GuidanceDocument.objects.none()
    return guidance_document_list(clearance=access.clearance)
