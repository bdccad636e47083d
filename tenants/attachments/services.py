"""Attach files to a record, and read one out (audited; watermarked with the reader for 秘密 and above)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Classification
from sync.outbox import record_changed
from sync.replicas import replica_get
from tenants.attachments.checks import CheckedFile, attachment_check
from tenants.attachments.models import Attachment, ReceivedFile
from tenants.attachments.registry import OWNERS, record_type_of
from tenants.attachments.travel import REPLICA_OWNERS, chunks_create, travels
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


def attachments_add(*, actor, record, files: list[CheckedFile]) -> list[Attachment]:
    """Keep checked files with `record` (a registered owner), classified as the record is. No files: nothing
    written, not even a savepoint (every record issued without files paid a SAVEPOINT and its RELEASE)."""
    owner = OWNERS[record_type_of(record)]
    if not files:
        return []
    with transaction.atomic():
        return _attachments_add(actor=actor, record=record, owner=owner, files=files)


def _attachments_add(*, actor, record, owner, files: list[CheckedFile]) -> list[Attachment]:
    classification = owner.classification(record)
    added = [
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
    chunks_create(attachments=added)
    if travels(owner.record_type):  # to wherever the record is held now (later holders: sync HeldWith)
        for attachment in added:
            record_changed(instance=attachment)
    return added


@transaction.atomic
def attachment_remove(*, record, attachment_id, refusal: str) -> None:
    """Take one file off `record` (a registered owner); where the record travelled, its holders lose the file
    with it (sync: the deleted row's withdrawal). `refusal` is the error when the file is not the record's."""
    attachment = (
        Attachment.objects.defer("content")
        .filter(record_type=record_type_of(record), record_key=str(record.pk), pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise ValidationError({"files": refusal})
    attachment.delete()


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
    return _served(actor=actor, access=access, organization=organization, file=attachment, level=level, request=request)


def _served(*, actor, access, organization, file: Attachment | ReceivedFile, level: int, request) -> bytes:
    """The content of a file the reader may open (up to their clearance): watermarked from 秘密, audited."""
    if level > access.clearance:
        raise PermissionDenied
    content = bytes(type(file).objects.values_list("content", flat=True).get(pk=file.pk))
    marked = level >= WATERMARK_FROM and watermarkable(file.content_type)
    if marked:
        content = watermark_apply(
            content=content,
            content_type=file.content_type,
            text=watermark_text(reader=actor, organization=organization),
        )
    audit_event_record(
        action=AuditAction.EXPORT,
        record_type=file._meta.label_lower,
        record_key=file.pk,
        classification=level,
        request=request,
        actor=actor,
        # the digest identifies the file; its name may speak of the case, and the audit administrator reads this
        detail={"sha256": file.sha256, "watermarked": marked},
    )
    return content


@transaction.atomic
def received_file_download(*, actor, access, organization, received: ReceivedFile, request=None) -> bytes:
    """A file another organisation sent with its record, for `actor`, who must be able to open that record's
    replica here (attachment_replica_register) and be cleared for it; audited, watermarked from 秘密."""
    owner = REPLICA_OWNERS.get(received.owner_type)
    replica = owner and replica_get(
        record_type=received.owner_type, source=received.source, key=received.owner_key, clearance=access.clearance
    )
    if not replica or not owner.visible(actor=actor, access=access, replica=replica):
        raise PermissionDenied
    level = max(received.classification, replica.classification)
    return _served(actor=actor, access=access, organization=organization, file=received, level=level, request=request)
