"""Attach files to a record, and read one out (audited; watermarked with the reader for 秘密 and above)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Classification
from tenants.attachments.checks import CheckedFile, attachment_check
from tenants.attachments.models import Attachment
from tenants.attachments.registry import OWNERS, record_type_of
from tenants.attachments.watermark import watermark_apply, watermarkable
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record

MAX_FILES = 10
WATERMARK_FROM = Classification.SECRET


def attachments_check(*, files) -> list[CheckedFile]:
    """Every file checked before anything is written: one bad file refuses the whole submission."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("At most %(count)d files at a time.") % {"count": MAX_FILES}})
    return [attachment_check(upload) for upload in files]


@transaction.atomic
def attachments_add(*, actor, record, files: list[CheckedFile]) -> list[Attachment]:
    """Keep checked files with `record` (a registered owner), classified as the record is."""
    owner = OWNERS[record_type_of(record)]
    classification = owner.classification(record)
    return [
        Attachment.objects.create(
            record_type=owner.record_type,
            record_key=str(record.pk),
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=hashlib.sha256(checked.content).hexdigest(),
            classification=classification,
            content=checked.content,
            uploaded_by=actor,
        )
        for checked in files
    ]


def watermark_text(*, reader, organization) -> str:
    name = getattr(reader, "display_name", "") or reader.get_username()
    return f"{name} · {organization.name} · {timezone.localtime().strftime('%Y-%m-%d %H:%M')}"


@transaction.atomic
def attachment_download(*, actor, access, organization, attachment: Attachment, request=None) -> bytes:
    """The file for `actor`, who must be able to open its record and be cleared for it; every download is
    audited, and a 秘密 or higher PDF or image carries the reader, office and time across it."""
    owner = OWNERS.get(attachment.record_type)
    record = owner and owner.visible(actor=actor, access=access).filter(pk=attachment.record_key).first()
    if record is None:
        raise PermissionDenied
    # The file is as secret as its record is now (a record raised after the upload raises its files too).
    level = max(attachment.classification, owner.classification(record))
    if level > access.clearance:
        raise PermissionDenied
    content = bytes(attachment.content)
    marked = level >= WATERMARK_FROM and watermarkable(attachment.content_type)
    if marked:
        content = watermark_apply(
            content=content,
            content_type=attachment.content_type,
            text=watermark_text(reader=actor, organization=organization),
        )
    audit_event_record(
        action=AuditAction.EXPORT,
        record_type="attachments.attachment",
        record_key=attachment.pk,
        classification=level,
        request=request,
        actor=actor,
        # the digest identifies the file; its name may speak of the case, and the audit administrator reads this
        detail={"sha256": attachment.sha256, "watermarked": marked},
    )
    return content
