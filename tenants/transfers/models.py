"""Transfers (移交) of clues and issues to the agency in charge (004 arts.22-24, 35-36)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck
from tenants.agencies.models import AgencyKind
from tenants.ledger.models import FromSuperior, ledger_constraints


class TransferType(models.TextChoices):
    DISCIPLINE_CLUE = "discipline_clue", _("Leading cadre's suspected discipline violation (涉嫌违纪线索)")
    CONDUCT_ISSUE = "conduct_issue", _("Work-style issue (作风方面突出问题)")
    DEMOCRATIC_CENTRALISM = "democratic_centralism", _("Democratic centralism (民主集中制)")
    APPOINTMENTS = "appointments", _("Selection and appointment of cadres (干部选拔任用)")
    OTHER = "other", _("Other issue (其他问题)")


# 004 art.35: who receives what.
ROUTES = {
    TransferType.DISCIPLINE_CLUE: AgencyKind.DISCIPLINE,
    TransferType.CONDUCT_ISSUE: AgencyKind.DISCIPLINE,
    TransferType.DEMOCRATIC_CENTRALISM: AgencyKind.ORGANISATION,
    TransferType.APPOINTMENTS: AgencyKind.ORGANISATION,
    TransferType.OTHER: AgencyKind.UNIT,
}


class FastTrackGround(models.TextChoices):
    """004 art.22: the four grounds for 速查速办."""

    STRONG_PUBLIC_REACTION = "public_reaction", _("Strong public reaction, partly corroborated (群众反映强烈)")
    EVIDENT_SERIOUS = "evident_serious", _("Evident clue of serious violation (涉嫌严重违纪违法)")
    COLLUSION = "collusion", _("Collusion or destroying evidence (串供毁证)")
    EIGHT_RULES = "eight_rules", _("Eight-point rules / four styles (违反中央八项规定精神)")


class Party(models.TextChoices):
    """The three signatories of the hand-over sheet (移交材料交接单, art.35)."""

    TEAM = "team", _("Inspection team (巡察组)")
    OFFICE = "office", _("Inspection office (巡察办)")
    AGENCY = "agency", _("Receiving agency (接收单位)")


class TransferStatus(models.TextChoices):
    AWAITING_SIGNATURES = "awaiting", _("Awaiting hand-over signatures (待交接)")
    HANDED_OVER = "handed_over", _("Handed over, awaiting handling report (办理中)")
    REPORTED = "reported", _("Handling reported (已反馈)")


class HandlingKind(models.TextChoices):
    TALK = "talk", _("Talk or written inquiry (谈话函询)")
    PRELIMINARY = "preliminary", _("Preliminary verification (初步核实)")
    CASE = "case", _("Case opened (立案审查)")
    ORGANISATIONAL = "organisational", _("Organisational handling (组织处理)")
    CLOSED = "closed", _("Closed without action (了结)")
    OTHER = "other", _("Other (其他)")


class Transfer(models.Model):
    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="transfers"
    )
    transfer_type = models.CharField(_("type"), max_length=24, choices=TransferType.choices)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("receiving agency"), on_delete=models.PROTECT, related_name="transfers"
    )
    clue = models.ForeignKey(
        "findings.Clue",
        verbose_name=_("clue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    finding = models.ForeignKey(
        "findings.Finding",
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    fast_track = models.BooleanField(_("fast-track (速查速办)"), default=False)
    fast_track_ground = models.CharField(
        _("fast-track ground"), max_length=16, choices=FastTrackGround.choices, blank=True
    )
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.AWAITING_SIGNATURES
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    feedback_due = models.DateField(_("handling report due"), null=True, blank=True)
    feedback_due_provisional = models.BooleanField(_("due date provisional"), default=False)
    feedback_due_note = models.CharField(_("due date note"), max_length=200, blank=True)
    handling_kind = models.CharField(_("handling"), max_length=16, choices=HandlingKind.choices, blank=True)
    handling_report = models.TextField(_("handling report"), blank=True)
    handling_reported_on = models.DateField(_("handling reported on"), null=True, blank=True)
    handling_reported_by = user_reference(null=True, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            FieldCheck(
                condition=models.Q(clue__isnull=False) | models.Q(finding__isnull=False),
                name="transfers_transfer_has_subject",
                message=_("A transfer concerns a clue or a finding."),
            ),
            FieldCheck(
                condition=models.Q(fast_track=False) | ~models.Q(fast_track_ground=""),
                name="transfers_fast_track_has_ground",
                message=_("Give the ground for the fast track (速查速办)."),
                field="fast_track_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer#{self.pk}"

    @property
    def acknowledged(self) -> bool:
        return self.handed_over_on is not None


class TransferSignature(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(_("party"), max_length=8, choices=Party.choices)
    signed_by = user_reference()
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("hand-over signature")
        verbose_name_plural = _("hand-over signatures")
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["transfer", "party"], name="transfers_signature_once")]


class HandlingProgress(models.TextChoices):
    RECEIVED = "received", _("Received (已接收)")
    HANDLING = "handling", _("Being handled (办理中)")
    HANDLED = "handled", _("Handled (已办结)")


class ReceivedTransfer(FromSuperior):
    """A superior's transfer concerning a unit this county manages (督办). Opened and updated only
    from the bus (the city's `transfers.transfer`); the county owns its handling status and date and
    reports them up as its `transfers.progress` record. Its note stays here."""

    record_key = models.CharField(_("superior's transfer key"), max_length=64)
    reference = models.CharField(_("No."), max_length=32)
    category = models.CharField(_("type"), max_length=32, blank=True)
    route = models.CharField(_("receiving agency kind"), max_length=32, blank=True)
    deadline = models.DateField(_("handling report due"), null=True, blank=True)
    # The county's own fields.
    status = models.CharField(
        _("our status"), max_length=16, choices=HandlingProgress.choices, default=HandlingProgress.RECEIVED
    )
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    note = models.TextField(_("our note (not sent)"), blank=True)
    reported_on = models.DateField(_("status reported on"), null=True, blank=True)

    # The reference (YJ-<n>) stays: it names the withdrawn row without saying anything of its content.
    SUPERIOR_FIELDS = FromSuperior.SUPERIOR_FIELDS + ("category", "route", "deadline")
    # Done for the red/yellow/green colour: we handled it, or the city has the handling report.
    DONE_STATUS, DONE_ON_FIELD = HandlingProgress.HANDLED, "handled_on"
    SUPERIOR_STATUSES, SUPERIOR_DONE_STATUS = TransferStatus, TransferStatus.REPORTED
    SUPERIOR_DEFAULT_STATUS = TransferStatus.HANDED_OVER
    PROGRESS_TYPE, PROGRESS_KEY_FIELD, PROGRESS_SOURCE_FIELD = "transfers.progress", "transfer_key", "transfer_source"
    PROGRESS_FIELDS = ("status", "handled_on", "reported_on")
    NOTICE_NOUN, LEDGER_LINK = _("transfer to supervise"), "transfers/received/"

    class Meta:
        verbose_name = _("received transfer")
        verbose_name_plural = _("received transfers")
        ordering = ["deadline", "id"]
        constraints = ledger_constraints(
            "transfers_received", "handled", "handled_on", _("Give the date it was handled.")
        )

    @property
    def category_label(self) -> str:
        """The transfer's type by name (the bus carries its code)."""
        return str(TransferType(self.category).label) if self.category in TransferType.values else self.category

    @property
    def label(self) -> str:
        return self.reference

    def progress_fields_set(self, *, note: str = "") -> list[str]:
        """Our note (not sent up), as written."""
        self.note = (note or "").strip()
        return ["note"]
