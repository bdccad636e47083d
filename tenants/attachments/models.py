"""Files attached to a record (evidence, 整改方案 and 整改报告, …): kept in the organisation's own schema beside
the record, classified with it; nothing is written outside the database, so a rollback leaves no stray file."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference


class Attachment(models.Model):
    record_type = models.CharField(_("record type"), max_length=100)  # the owner's app_label.model
    record_key = models.CharField(_("record"), max_length=64)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)  # as read from the content, never the name
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("digest"), max_length=64)
    classification = models.PositiveSmallIntegerField(_("classification"), choices=Classification.choices)
    content = models.BinaryField(_("content"))
    uploaded_by = user_reference(null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        indexes = [models.Index(fields=["record_type", "record_key"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.name


class AttachmentChunk(models.Model):
    """The owner's side of a file on the bus: one piece of its content (bytes `start`..`end`), sent as one
    `attachments.chunk` message wherever the file's record is held. The content stays in the attachment
    (a chunk is only its bounds, read from the database when it is sent)."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField(_("piece"))
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("file piece")
        verbose_name_plural = _("file pieces")
        ordering = ["attachment_id", "index"]
        constraints = [models.UniqueConstraint(fields=["attachment", "index"], name="attachment_chunk_unique")]

    def __str__(self) -> str:
        return f"{self.attachment_id}.{self.index}"


class ReceivedChunk(models.Model):
    """The receiver's side: a piece of another organisation's file, kept until every piece arrived."""

    source = models.CharField(max_length=6)
    file_key = models.CharField(max_length=64)
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "file_key", "index"], name="attachment_received_chunk_unique")
        ]


class ReceivedFile(models.Model):
    """The receiver's side: another organisation's file, complete (every piece arrived and the content's
    digest is the one its manifest gives), with the record it belongs to (that record's replica)."""

    source = models.CharField(_("from"), max_length=6)
    file_key = models.CharField(max_length=64)
    owner_type = models.CharField(_("record type"), max_length=100)  # the bus record type of its record
    owner_key = models.CharField(_("record"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("digest"), max_length=64)
    classification = models.PositiveSmallIntegerField(_("classification"), choices=Classification.choices)
    content = models.BinaryField(_("content"))
    received_at = models.DateTimeField(_("received at"), auto_now=True)

    class Meta:
        verbose_name = _("received file")
        verbose_name_plural = _("received files")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["source", "file_key"], name="attachment_received_unique")]
        indexes = [models.Index(fields=["owner_type", "source", "owner_key"], name="attachment_received_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label)
