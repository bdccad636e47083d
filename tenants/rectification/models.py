"""Feedback to an inspected unit (反馈), its signed receipt, and rectification (整改)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck
from tenants.kernel.inputs import required_text
from tenants.ledger.models import FromSuperior, ledger_constraints


class StatusThresholds(models.Model):
    """When an open deadline turns yellow (a setting per organisation; red = past due)."""

    singleton = models.BooleanField(default=True, editable=False)
    yellow_within_days = models.PositiveSmallIntegerField(_("yellow within days of the due date"), default=7)

    class Meta:
        verbose_name = _("deadline warning thresholds")
        verbose_name_plural = _("deadline warning thresholds")
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="rectification_thresholds_singleton"),
            FieldCheck(
                condition=models.Q(singleton=True),
                name="rectification_thresholds_singleton_true",
                message=_("There is only one settings record."),
            ),
        ]

    @classmethod
    def current(cls) -> "StatusThresholds":
        return cls.objects.get_or_create(singleton=True)[0]


class Feedback(models.Model):
    """The round's feedback to one unit: to its leadership and, separately, to its principal (004 art.33)."""

    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="feedbacks"
    )
    target = models.ForeignKey(
        "targets.Target", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="feedbacks"
    )
    leadership_content = models.TextField(_("feedback to the leadership (向领导班子反馈)"))
    leadership_delivered_on = models.DateField(_("delivered to the leadership on"), null=True, blank=True)
    principal_content = models.TextField(_("feedback to the principal (向主要负责人反馈)"))
    principal_delivered_on = models.DateField(_("delivered to the principal on"), null=True, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    receipt_signed_on = models.DateField(_("receipt fully signed on"), null=True, blank=True)
    plan_due = models.DateField(_("rectification plan due"), null=True, blank=True)
    plan_due_provisional = models.BooleanField(_("plan due date provisional"), default=False)
    report_due = models.DateField(_("rectification report due"), null=True, blank=True)
    report_due_provisional = models.BooleanField(_("report due date provisional"), default=False)
    deadline_note = models.CharField(_("deadline note"), max_length=300, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedbacks")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["round", "target"], name="rectification_feedback_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.target}"


class ReceiptParty(models.TextChoices):
    """巡察反馈材料签收单: three signatures (004 art.34)."""

    TEAM_LEADER = "team_leader", _("Team leader (巡察组组长)")
    UNIT_PRINCIPAL = "unit_principal", _("Unit principal (被巡察单位主要负责人)")
    OFFICE_HEAD = "office_head", _("Office head (巡察办负责人)")


class ReceiptSignature(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="receipt_signatures")
    party = models.CharField(_("party"), max_length=16, choices=ReceiptParty.choices)
    signer_name = models.CharField(_("signed by"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    recorded_by = user_reference()
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt signature")
        verbose_name_plural = _("receipt signatures")
        ordering = ["signed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["feedback", "party"], name="rectification_receipt_sign_once")]


class SubmissionKind(models.TextChoices):
    PLAN = "plan", _("Rectification plan (整改方案)")
    REPORT = "report", _("Rectification report (整改情况报告)")
    PRINCIPAL_REPORT = "principal_report", _("Principal's report (主要负责人组织落实情况报告)")


class Submission(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=16, choices=SubmissionKind.choices)
    content = models.TextField(_("content"))
    submitted_on = models.DateField(_("submitted on"))
    due = models.DateField(_("due"), null=True, blank=True)
    submitted_by = user_reference()

    class Meta:
        verbose_name = _("rectification submission")
        verbose_name_plural = _("rectification submissions")
        ordering = ["submitted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["feedback", "kind"], name="rectification_submission_once")]

    @property
    def on_time(self) -> bool:
        return self.due is None or self.submitted_on <= self.due


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open (整改中)")
    EVIDENCE_SUBMITTED = "evidence", _("Evidence submitted (待核验)")
    CLOSED = "closed", _("Verified and closed (已销号)")


class RectificationItem(models.Model):
    """One line of the three lists: the problem (问题清单), the task (任务清单), who answers (责任清单)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="items")
    finding = models.ForeignKey(
        "findings.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="rectification_items"
    )
    problem = models.TextField(_("problem"))
    task = models.TextField(_("rectification task"))
    responsible_unit = models.CharField(_("responsible unit"), max_length=200)
    responsible_person = models.CharField(_("responsible person"), max_length=100)
    due_date = models.DateField(_("due"))
    due_provisional = models.BooleanField(
        _("due date provisional"),
        default=False,
        help_text=_("Inherited from a report deadline computed in a year without a published holiday table."),
    )
    status = models.CharField(_("status"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_submitted_by = user_reference(null=True, blank=True)
    evidence_submitted_on = models.DateField(_("evidence submitted on"), null=True, blank=True)
    verified_by = user_reference(null=True, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    assignee_org_code = models.CharField(
        _("county supervising the item"),
        max_length=6,
        blank=True,
        help_text=_("A county of this city that supervises the item; empty = the county managing the unit, if any."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["feedback", "due_date", "id"]
        constraints = [
            # 对账销号: an item is only closed with evidence and a verification on record.
            FieldCheck(
                condition=~models.Q(status="closed")
                | (~models.Q(evidence="") & models.Q(verified_by__isnull=False, verified_on__isnull=False)),
                name="rectification_item_closed_needs_evidence_and_verification",
                message=_("An item is closed only with evidence and verification."),
                field="status",
            )
        ]

    def __str__(self) -> str:
        return f"RectificationItem#{self.pk}"


class SupervisedStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started (未启动)")
    IN_PROGRESS = "in_progress", _("In progress (推进中)")
    COMPLETED = "completed", _("Completed (已完成)")


class SupervisedItem(FromSuperior):
    """督办整改事项: a superior's rectification item assigned to this county. Opened and updated only
    from the bus (the city's `rectification.item`); the city's fields are read-only here. The county
    owns the responsible person, progress note, completion date and its own status, and reports
    them up as its `rectification.progress` record. The city closes the item (对账销号), never the county."""

    record_key = models.CharField(_("superior's item key"), max_length=64)
    title = models.CharField(_("problem"), max_length=300)
    category = models.CharField(_("category"), max_length=200, blank=True)
    description = models.TextField(_("rectification task"), blank=True)
    deadline = models.DateField(_("due"), null=True, blank=True)
    origin_round_kind = models.CharField(_("round kind"), max_length=32, blank=True)
    # The county's own fields.
    status = models.CharField(
        _("our status"), max_length=16, choices=SupervisedStatus.choices, default=SupervisedStatus.NOT_STARTED
    )
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    progress_note = models.TextField(_("progress"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    reported_on = models.DateField(_("progress reported on"), null=True, blank=True)

    SUPERIOR_FIELDS = FromSuperior.SUPERIOR_FIELDS + (
        "title",
        "category",
        "description",
        "deadline",
        "origin_round_kind",
    )
    # Done for the red/yellow/green colour: we completed it, or the city closed it.
    DONE_STATUS, DONE_ON_FIELD = SupervisedStatus.COMPLETED, "completed_on"
    SUPERIOR_STATUSES, SUPERIOR_DONE_STATUS, SUPERIOR_DEFAULT_STATUS = ItemStatus, ItemStatus.CLOSED, ItemStatus.OPEN
    PROGRESS_TYPE, PROGRESS_KEY_FIELD, PROGRESS_SOURCE_FIELD = "rectification.progress", "item_key", "item_source"
    PROGRESS_FIELDS = ("status", "progress_note", "completed_on", "reported_on")
    NOTICE_NOUN, LEDGER_LINK = _("supervised rectification item"), "rectification/supervised/"

    class Meta:
        verbose_name = _("supervised rectification item")
        verbose_name_plural = _("supervised rectification items")
        ordering = ["deadline", "id"]
        constraints = ledger_constraints(
            "rectification_supervised", "completed", "completed_on", _("Give the date it was completed.")
        )

    @property
    def withdrawn_note(self) -> str:
        return self.progress_note

    def progress_fields_set(self, *, progress_note: str, responsible_person: str = "") -> list[str]:
        """The progress is required; a blank responsible person keeps the one on record."""
        self.progress_note = required_text("progress_note", progress_note, _("The progress"))
        self.responsible_person = (responsible_person or "").strip() or self.responsible_person
        return ["progress_note", "responsible_person"]
