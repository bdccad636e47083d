"""Periodic statistics an office reports to the office above (counts only, no case content)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.constraints import FieldCheck

COUNT_FIELDS = (
    "rounds",
    "targets_covered",
    "findings",
    "fixed_on_the_spot",
    "rectification_items",
    "rectification_closed",
    "transfers",
)


class StatisticsReport(models.Model):
    period = models.CharField(_("period"), max_length=16, help_text=_("e.g. 2026, 2026-Q3 or 2026-07"))
    rounds = models.PositiveIntegerField(_("rounds"), default=0)
    targets_covered = models.PositiveIntegerField(_("targets covered"), default=0)
    findings = models.PositiveIntegerField(_("findings"), default=0)
    fixed_on_the_spot = models.PositiveIntegerField(_("fixed on the spot (立行立改)"), default=0)
    rectification_items = models.PositiveIntegerField(_("rectification items"), default=0)
    rectification_closed = models.PositiveIntegerField(_("rectification items closed"), default=0)
    transfers = models.PositiveIntegerField(_("transfers"), default=0)
    classification = models.PositiveSmallIntegerField(_("classification"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("statistics report")
        verbose_name_plural = _("statistics reports")
        constraints = [
            models.UniqueConstraint(fields=["period"], name="statistics_report_unique_period"),
            FieldCheck(
                condition=models.Q(rectification_closed__lte=models.F("rectification_items")),
                name="statistics_closed_not_above_items",
                message=_("Closed items cannot outnumber the items."),
                field="rectification_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.period
