"""Read queries for attachments: the files of records, without their content."""

from __future__ import annotations

from collections import defaultdict

from tenants.attachments.models import Attachment

LISTED = ("id", "record_type", "record_key", "name", "content_type", "size", "classification", "uploaded_at")


def attachments_by_record(*, records) -> dict[str, list[Attachment]]:
    """{record pk as text: [its attachments]} for records of one model, in one query."""
    records = list(records)
    if not records:
        return {}
    by_key: dict[str, list[Attachment]] = defaultdict(list)
    queryset = Attachment.objects.filter(
        record_type=records[0]._meta.label_lower, record_key__in=[str(r.pk) for r in records]
    ).only(*LISTED)
    for attachment in queryset:
        by_key[attachment.record_key].append(attachment)
    return by_key
