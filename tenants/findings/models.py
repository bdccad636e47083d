"""Findings (问题) and clues (问题线索) from a round."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification

EIGHT_RULES_CATEGORY_CODE = "eight-rules-four-styles"  # 中央八项规定精神/四风: fast-track (004 arts.22-23)


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor (一般)")
    SERIOUS = "serious", _("Serious (较重)")
    GRAVE = "grave", _("Grave (严重)")


class Finding(models.Model):
    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="findings")
    team = models.ForeignKey("rounds.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="findings")
    target = models.ForeignKey("targets.Target", verbose_name=_("target"), on_delete=models.PROTECT,
                               related_name="findings")
    category = models.ForeignKey("office.FindingCategory", verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="findings")
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MINOR)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"))
    fixed_on_spot = models.BooleanField(_("fixed on the spot (立行立改)"), default=False)
    fixed_on_spot_note = models.TextField(_("how it was fixed"), blank=True)
    classification = models.PositiveSmallIntegerField(_("classification"), choices=Classification.choices,
                                                      default=Classification.INTERNAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["round", "target", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(classification__gte=0, classification__lte=3),
                                   name="findings_finding_classification_range"),
        ]

    def __str__(self) -> str:
        return self.title


class Clue(models.Model):
    """问题线索: a lead on a person's suspected violation; 机密 by default."""

    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="clues")
    target = models.ForeignKey("targets.Target", verbose_name=_("target"), on_delete=models.PROTECT,
                               related_name="clues")
    category = models.ForeignKey("office.FindingCategory", verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="clues")
    summary = models.TextField(_("summary"))
    findings = models.ManyToManyField(Finding, verbose_name=_("findings"), blank=True, related_name="clues")
    classification = models.PositiveSmallIntegerField(_("classification"), choices=Classification.choices,
                                                      default=Classification.CONFIDENTIAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(classification__gte=2, classification__lte=3),
                                   name="findings_clue_at_least_secret"),
        ]

    def __str__(self) -> str:  # never the content: str() reaches logs and error pages
        return f"Clue#{self.pk}"

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
