"""Files attached to a record (evidence, 整改方案 and 整改报告, …): kept in the organisation's own schema beside
the record, classified with it; nothing is written outside the database, so a rollback leaves no stray file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification


class Attachment(models.Model):
    record_type = models.CharField(_("record type"), max_length=100)  # the owner's app_label.model
    record_key = models.CharField(_("record"), max_length=64)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)  # as read from the content, never the name
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("digest"), max_length=64)
    classification = models.PositiveSmallIntegerField(_("classification"), choices=Classification.choices)
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        indexes = [models.Index(fields=["record_type", "record_key"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.name
