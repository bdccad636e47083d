"""Templates and guidance documents an office issues to the offices below it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification


class DocumentType(models.TextChoices):
    TEMPLATE = "template", _("Template (模板)")
    GUIDANCE = "guidance", _("Guidance (工作指引)")
    NOTICE = "notice", _("Notice (通知)")


class GuidanceDocument(models.Model):
    title = models.CharField(_("title"), max_length=200)
    doc_type = models.CharField(_("document type"), max_length=16, choices=DocumentType.choices)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    content = models.TextField(_("content"), blank=True)
    issued_on = models.DateField(_("issued on"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("guidance document")
        verbose_name_plural = _("guidance documents")
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return self.title
