"""Guidance documents: this office's own, and those received from the office above."""

from __future__ import annotations

from django.db.models import QuerySet

from sync.replicas import ReplicaView, replicas_of
from tenants.guidance.models import GuidanceDocument


def guidance_document_list(*, clearance: int) -> QuerySet[GuidanceDocument]:
    return GuidanceDocument.objects.filter(classification__lte=clearance)


def guidance_received_list(*, clearance: int) -> list[ReplicaView]:
    return replicas_of(record_type="guidance.document", clearance=clearance)
