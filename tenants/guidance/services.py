"""Issuing, revising and withdrawing guidance documents; each change is shared down in the same
transaction (sync outbox)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sync.outbox import record_changed, record_deleted
from tenants.attachments.services import attachment_remove, attachments_add, attachments_check
from tenants.guidance.models import DocumentType, GuidanceDocument


def _validate(*, title: str, doc_type: str, classification: int) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("A title is required.")
    if doc_type not in DocumentType.values:
        errors["doc_type"] = _("Unknown document type.")
    if classification not in (0, 1, 2, 3):
        errors["classification"] = _("Unknown classification.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def guidance_document_issue(
    *,
    title: str,
    doc_type: str,
    issued_on: datetime.date,
    summary: str = "",
    content: str = "",
    classification: int = 1,
    actor=None,
    files=(),
) -> GuidanceDocument:
    """A new document, shared down at once; `files` (templates, scans) go with it wherever it goes."""
    _validate(title=title, doc_type=doc_type, classification=classification)
    checked = attachments_check(files=files)
    document = GuidanceDocument.objects.create(
        title=title.strip(),
        doc_type=doc_type,
        issued_on=issued_on,
        summary=summary,
        content=content,
        classification=classification,
    )
    record_changed(instance=document)
    attachments_add(actor=actor, record=document, files=checked)
    return document


@transaction.atomic
def guidance_document_revise(*, document: GuidanceDocument, actor=None, files=(), **changes) -> GuidanceDocument:
    """A revision, shared down at once; `files` are added to those the document has (each office below that
    holds it receives them)."""
    allowed = {"title", "doc_type", "issued_on", "summary", "content", "classification"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("Unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(document, name, value)
    _validate(title=document.title, doc_type=document.doc_type, classification=document.classification)
    checked = attachments_check(files=files)
    document.save()
    record_changed(instance=document)
    attachments_add(actor=actor, record=document, files=checked)
    return document


@transaction.atomic
def guidance_document_file_remove(*, document: GuidanceDocument, file_id: int) -> None:
    """Take one file off a document: every office below that received it loses it."""
    attachment_remove(record=document, attachment_id=file_id, refusal=_("This file is not one of the document's."))


@transaction.atomic
def guidance_document_withdraw(*, document: GuidanceDocument) -> None:
    record_deleted(instance=document)
    document.delete()
