"""Filings to the province (备案) and the leading group's hearing records.

Two records, two owners (docs/DESIGN.md "Single writer"): the city owns a Filing (its content and its
revision number); the province owns the FilingReceipt (received / acknowledged / returned with a
comment) that travels back down. The city keeps every revision it sent (FilingRevision); the
province keeps the newest revision as a bus replica and its own receipt.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck


class FilingKind(models.TextChoices):
    TERM_PLAN = "term_plan", _("Term plan (巡察规划)")
    ANNUAL_PLAN = "annual_plan", _("Annual plan (年度巡察计划)")
    PHASE_SCHEDULE = "phase_schedule", _("Phase schedule (阶段任务安排)")
    ROUND_SUMMARY = "round_summary", _("Round summary (轮次工作总结)")
    HEARING_RECORD = "hearing_record", _("Leading-group hearing record (领导小组听取汇报记录)")
    STATISTICS = "statistics", _("Periodic statistics (巡察工作统计)")
    ANNUAL_SUMMARY = "annual_summary", _("Annual work summary (年度工作总结)")


class FilingStatus(models.TextChoices):
    SENT = "sent", _("Sent (已报送)")
    RECEIVED = "received", _("Received (省委巡视办已接收)")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged (已备案)")
    RETURNED = "returned", _("Returned (退回修改)")


class Filing(models.Model):
    """What the city files with the province; owned by the city. `revision` counts re-filings."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=FilingKind.choices)
    subject = models.CharField(_("subject"), max_length=64, help_text=_("what it files, e.g. round:12 or 2026-Q3"))
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=16, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    content = models.JSONField(_("content"), default=dict)
    note = models.TextField(_("covering note"), blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    # The province's answer to the current revision, as last received from its FilingReceipt.
    status = models.CharField(_("status"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.SENT)
    status_comment = models.TextField(_("province's comment"), blank=True)
    status_at = models.DateTimeField(_("status since"), null=True, blank=True)
    filed_by = user_reference(verbose_name=_("filed by"))
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        verbose_name = _("filing (备案)")
        verbose_name_plural = _("filings")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject"], name="reports_filing_one_per_subject"),
            # 机密 records never leave the office (docs/DESIGN.md, confidentiality); a filing must be able to.
            FieldCheck(
                condition=Q(classification__gte=0, classification__lte=2),
                name="reports_filing_classification_sendable",
                message=_("Only records up to 秘密 can be filed with the province."),
                field="classification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.revision})"


class FilingRevision(models.Model):
    """Every revision the city sent, as sent (append-only)."""

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    content = models.JSONField(_("content"), default=dict)
    note = models.TextField(_("covering note"), blank=True)
    filed_by = user_reference(verbose_name=_("filed by"))
    filed_at = models.DateTimeField(_("filed at"))
    # What the province said about this revision (kept when a newer one is filed).
    outcome = models.CharField(_("outcome"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.SENT)
    outcome_comment = models.TextField(_("province's comment"), blank=True)

    class Meta:
        verbose_name = _("filing revision")
        verbose_name_plural = _("filing revisions")
        ordering = ["filing", "-number"]
        constraints = [models.UniqueConstraint(fields=["filing", "number"], name="reports_revision_unique")]


class ReceiptStatus(models.TextChoices):
    RECEIVED = "received", _("Received (已接收)")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged (已备案)")
    RETURNED = "returned", _("Returned (退回修改)")


class FilingReceipt(models.Model):
    """The province's answer to a city's filing; owned by the province, replicated to the city."""

    source_code = models.CharField(_("filed by organisation"), max_length=6)
    filing_key = models.UUIDField(_("filing"))
    filing_revision = models.PositiveIntegerField(_("revision answered"))
    status = models.CharField(_("status"), max_length=16, choices=ReceiptStatus.choices, default=ReceiptStatus.RECEIVED)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = user_reference(verbose_name=_("decided by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("filing receipt")
        verbose_name_plural = _("filing receipts")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_code", "filing_key"], name="reports_receipt_one_per_filing"),
            FieldCheck(
                condition=~Q(status="returned") | ~Q(comment=""),
                name="reports_receipt_return_needs_comment",
                message=_("Say why it is returned."),
                field="comment",
            ),
        ]


class HearingRecord(models.Model):
    """The leading group's (领导小组 / 五人小组) hearing of a round's reports (seed 004 art. 31-32)."""

    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="hearing_records"
    )
    heard_on = models.DateField(_("heard on"))
    chaired_by = models.CharField(_("chaired by"), max_length=100)
    attendees = models.TextField(_("attendees"))
    decisions = models.TextField(_("decisions on using the results"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    recorded_by = user_reference(verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hearing record (听取汇报记录)")
        verbose_name_plural = _("hearing records")
        ordering = ["-heard_on", "-id"]

    def __str__(self) -> str:
        return f"{self.round} · {date_format(self.heard_on, 'DATE_FORMAT')}"
