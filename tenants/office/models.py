"""Per-organisation settings: the numbers of docs/DOMAIN.md as editable values with seed presets,
finding categories as data, and the office's own holiday table."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shared.constraints import FieldCheck

# Bounds that keep every setting within what the rules could ask (a term is five years; deadlines are
# weeks or months), so dates counted from them stay real dates.
TERM_START_EARLIEST, TERM_START_LATEST = date(1990, 1, 1), date(2100, 12, 31)


class CoverageMode(models.TextChoices):
    PER_TERM = "per_term", _("Once per term (每届任期, seed 004 art.16)")
    PER_YEARS = "per_years", _("Once every N years (每N年, seed 000 §13)")


class HearingDeadlineMode(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days after the round (seed 004 art.31)")
    CALENDAR_DAYS = "calendar_days", _("Calendar days after the batch (seed 000 §12)")


class DutySeparation(models.TextChoices):
    """Who may verify a rectification item (核验销号) and sign a transfer's hand-over for two parties."""

    SEPARATE = "separate", _("Separate duties: the person who submitted the evidence does not verify it")
    SAME_PERSON = "same_person", _("Relaxed: one person may submit the evidence and verify it (small office)")


class OfficeSettings(models.Model):
    """The single settings row of one organisation (one per schema; created by a data migration)."""

    singleton = models.BooleanField(default=True, editable=False)
    coverage_mode = models.CharField(
        _("coverage cycle"), max_length=16, choices=CoverageMode.choices, default=CoverageMode.PER_TERM
    )
    term_years = models.PositiveSmallIntegerField(
        _("term length in years"), default=5, validators=[MaxValueValidator(10)]
    )
    current_term_start = models.DateField(
        _("start of the current term"),
        null=True,
        blank=True,
        help_text=_("With a per-term cycle, targets not inspected since this date are due by the term's end."),
        validators=[MinValueValidator(TERM_START_EARLIEST), MaxValueValidator(TERM_START_LATEST)],
    )
    coverage_years = models.PositiveSmallIntegerField(
        _("coverage cycle in years"), default=3, validators=[MaxValueValidator(10)]
    )
    coverage_warning_days = models.PositiveIntegerField(
        _("coverage warning (days before due)"), default=180, validators=[MaxValueValidator(3650)]
    )
    min_onsite_working_days = models.PositiveSmallIntegerField(
        _("minimum on-site working days"), default=20, validators=[MaxValueValidator(250)]
    )
    hearing_deadline_mode = models.CharField(
        _("hearing deadline counted in"),
        max_length=16,
        choices=HearingDeadlineMode.choices,
        default=HearingDeadlineMode.WORKING_DAYS,
    )
    hearing_working_days = models.PositiveSmallIntegerField(
        _("hearing within working days"), default=15, validators=[MaxValueValidator(250)]
    )
    hearing_calendar_days = models.PositiveSmallIntegerField(
        _("hearing within calendar days"), default=7, validators=[MaxValueValidator(365)]
    )
    rectification_plan_working_days = models.PositiveSmallIntegerField(
        _("rectification plan due (working days after receipt)"), default=10, validators=[MaxValueValidator(250)]
    )
    rectification_report_months = models.PositiveSmallIntegerField(
        _("rectification report due (months after receipt)"), default=2, validators=[MaxValueValidator(24)]
    )
    transfer_feedback_months = models.PositiveSmallIntegerField(
        _("transfer handling feedback due (months)"), default=3, validators=[MaxValueValidator(24)]
    )
    clue_feedback_interval_months = models.PositiveSmallIntegerField(
        _("clue feedback to the leading group every (months)"), default=3, validators=[MaxValueValidator(24)]
    )
    campaign_reminder_interval_hours = models.PositiveSmallIntegerField(
        _("campaign reminders to one county at most every (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("A reminder (催办) of a unified campaign to a county within this time of the last one is refused."),
    )
    duty_separation = models.CharField(
        _("separation of duties"),
        max_length=16,
        choices=DutySeparation.choices,
        default=DutySeparation.SEPARATE,
        help_text=_(
            "By default a rectification item is verified by someone other than whoever submitted its "
            "evidence, and one person signs a transfer's hand-over for one party only."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("office settings")
        verbose_name_plural = _("office settings")
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="office_settings_singleton"),
            FieldCheck(
                condition=Q(singleton=True),
                name="office_settings_singleton_true",
                message=_("There is only one settings record."),
            ),
            FieldCheck(
                condition=Q(term_years__gte=1, coverage_years__gte=1),
                name="office_cycle_positive",
                message=_("The term and the coverage cycle are at least one year."),
                field="coverage_years",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> OfficeSettings:
        """The settings of the organisation whose schema is active (created with presets if missing)."""
        settings, _created = cls.objects.get_or_create(singleton=True)
        return settings

    @property
    def duties_separated(self) -> bool:
        return self.duty_separation != DutySeparation.SAME_PERSON

    @property
    def coverage_cycle_years(self) -> int:
        return self.term_years if self.coverage_mode == CoverageMode.PER_TERM else self.coverage_years


class FindingCategory(models.Model):
    """A kind of finding (问题类别); seeded from docs/DOMAIN.md, editable per organisation."""

    code = models.SlugField(_("code"), max_length=48)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    county_level_only = models.BooleanField(_("county level"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("finding category")
        verbose_name_plural = _("finding categories")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="office_finding_category_unique_code"),
            models.UniqueConstraint(fields=["name"], name="office_finding_category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class HolidayOverride(models.Model):
    """The office's own calendar entry; wins over the published table (e.g. a year not yet announced)."""

    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date"], name="office_holiday_override_unique_date")]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working_day else 'off'}"
