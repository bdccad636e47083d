"""Which records may carry files, and who may see a record's files: exactly who may see the record.

An owning app registers its record type once (in its AppConfig.ready) with the read query that already
decides who sees the record; an attachment is then offered and served only through that query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models.signals import post_delete

from tenants.attachments.models import Attachment


@dataclass(frozen=True)
class Owner:
    record_type: str  # app_label.model, as Attachment.record_type stores it
    visible: Callable[..., Any]  # (actor=, access=) -> the QuerySet of records this person may open
    classification: Callable[[Any], int]  # the record's 密级, which its files take


OWNERS: dict[str, Owner] = {}


def attachment_owner_register(*, model, visible, classification=lambda record: int(record.classification)) -> None:
    record_type = model._meta.label_lower
    OWNERS[record_type] = Owner(record_type=record_type, visible=visible, classification=classification)
    # a record's files go with it (also when a cascade deletes it): no orphaned content stays behind
    post_delete.connect(_files_delete, sender=model, dispatch_uid=f"attachments-of-{record_type}")


def _files_delete(sender, instance, **kwargs) -> None:
    Attachment.objects.filter(record_type=sender._meta.label_lower, record_key=str(instance.pk)).delete()


def record_type_of(record) -> str:
    return record._meta.label_lower
