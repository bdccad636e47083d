"""Guidance documents: this office's own, and those received from the office above."""

from __future__ import annotations

from django.db.models import QuerySet

from sync.models import Replica
from tenants.guidance.models import GuidanceDocument


def guidance_document_list(*, clearance: int) -> QuerySet[GuidanceDocument]:
    return GuidanceDocument.objects.filter(classification__lte=clearance)


def guidance_received_list(*, clearance: int) -> QuerySet[Replica]:
    return Replica.objects.filter(record_type="guidance.document", tombstone=False, classification__lte=clearance)
