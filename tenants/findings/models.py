"""Findings (问题) and clues (问题线索) from a round."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck

EIGHT_RULES_CATEGORY_CODE = "eight-rules-four-styles"  # 中央八项规定精神/四风: fast-track (004 arts.22-23)


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor (一般)")
    SERIOUS = "serious", _("Serious (较重)")
    GRAVE = "grave", _("Grave (严重)")


class Finding(models.Model):
    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="findings"
    )
    team = models.ForeignKey(
        "rounds.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    target = models.ForeignKey(
        "targets.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="findings"
    )
    category = models.ForeignKey(
        "office.FindingCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="findings"
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MINOR)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"))
    fixed_on_spot = models.BooleanField(_("fixed on the spot (立行立改)"), default=False)
    fixed_on_spot_note = models.TextField(_("how it was fixed"), blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    created_by = user_reference()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["round", "target", "id"]
        constraints = [
            FieldCheck(
                condition=models.Q(classification__gte=0, classification__lte=3),
                name="findings_finding_classification_range",
                message=_("Unknown classification level."),
                field="classification",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Clue(models.Model):
    """问题线索: a lead on a person's suspected violation; 机密 by default."""

    # Both empty only for a clue escalated from a county (its round and unit live in the county).
    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), null=True, blank=True, on_delete=models.PROTECT, related_name="clues"
    )
    target = models.ForeignKey(
        "targets.Target",
        verbose_name=_("target"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    category = models.ForeignKey(
        "office.FindingCategory",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    summary = models.TextField(_("summary"))
    # A county's clue about its own leadership, received sealed (clues.escalation): where it came from.
    origin_org_code = models.CharField(_("escalated from (region code)"), max_length=6, blank=True)
    origin_org_name = models.CharField(_("escalated from"), max_length=200, blank=True)
    origin_reference = models.CharField(_("escalation reference"), max_length=40, blank=True)
    origin_round_name = models.CharField(_("round at the origin"), max_length=200, blank=True)
    origin_target_name = models.CharField(_("unit at the origin"), max_length=200, blank=True)
    origin_escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    findings = models.ManyToManyField(Finding, verbose_name=_("findings"), blank=True, related_name="clues")
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.CONFIDENTIAL
    )
    created_by = user_reference()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-created_at", "-id"]
        constraints = [
            FieldCheck(
                condition=models.Q(classification__gte=2, classification__lte=3),
                name="findings_clue_at_least_secret",
                message=_("This record cannot be classified below its minimum level."),
                field="classification",
            ),
            FieldCheck(
                condition=(
                    models.Q(round__isnull=False, target__isnull=False, origin_org_code="")
                    | models.Q(round__isnull=True, target__isnull=True, classification=3)
                    & ~models.Q(origin_org_code="")
                    & ~models.Q(origin_reference="")
                ),
                name="findings_clue_own_round_or_escalated",
                message=_("A clue belongs to a round and unit of this office, or was escalated from a county."),
            ),
            models.UniqueConstraint(
                fields=["origin_org_code", "origin_reference"],
                condition=~models.Q(origin_org_code=""),
                name="findings_clue_escalation_once",
                violation_error_message=_("This escalated clue has already been received."),
            ),
        ]

    def __str__(self) -> str:  # never the content: str() reaches logs and error pages
        return f"Clue#{self.pk}"

    @property
    def is_escalated(self) -> bool:
        return bool(self.origin_org_code)

    @property
    def round_label(self) -> str:
        return self.round.name if self.round_id else self.origin_round_name

    @property
    def target_label(self) -> str:
        return self.target.name if self.target_id else self.origin_target_name

    @property
    def is_eight_rules(self) -> bool:
        return self.category is not None and self.category.code == EIGHT_RULES_CATEGORY_CODE


class CluePerson(models.Model):
    """A person a clue is about."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("person concerned")
        verbose_name_plural = _("persons concerned")

    def __str__(self) -> str:
        return f"CluePerson#{self.pk}"


class LeadershipBody(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee (党委)")
    GOVERNMENT = "government", _("Government (政府)")
    CONGRESS = "congress", _("People's congress (人大)")
    CPPCC = "cppcc", _("CPPCC (政协)")
    HIGHER_MANAGED = "higher_managed", _("Cadre managed by the city (市管干部)")


class LeadershipMember(models.Model):
    """本级领导干部名册: a member of this organisation's own leadership (the leading cadres of the
    party committee, government, people's congress and CPPCC, and the cadres the city manages). A
    clue naming one of them is never stored here: a county escalates it, sealed, to its city."""

    name = models.CharField(_("name"), max_length=100)
    post = models.CharField(_("post"), max_length=200)
    body = models.CharField(_("leadership body"), max_length=16, choices=LeadershipBody.choices)
    is_active = models.BooleanField(_("active"), default=True)
    added_by = user_reference()
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("own leadership member")
        verbose_name_plural = _("own leadership register")
        ordering = ["body", "name", "id"]
        indexes = [models.Index(fields=["name"], name="findings_leader_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.post})"


class ClueEscalation(models.Model):
    """The receipt a county keeps for a clue about its own leadership that it escalated to the city:
    reference, date, who, where to and delivery; never any of the clue's content."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    message_id = models.UUIDField(unique=True)
    destination_code = models.CharField(_("escalated to (region code)"), max_length=6)
    destination_name = models.CharField(_("escalated to"), max_length=200)
    escalated_by = user_reference(verbose_name=_("escalated by"))
    escalated_at = models.DateTimeField(_("escalated at"), default=timezone.now)
    received_at = models.DateTimeField(_("received by the city at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clue escalation receipt")
        verbose_name_plural = _("clue escalation receipts")
        ordering = ["-escalated_at", "-id"]

    def __str__(self) -> str:
        return self.reference
