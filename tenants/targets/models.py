"""Inspection targets (巡察对象 / 被巡察单位), kept in each organisation's own schema."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shared.constraints import FieldCheck

# 6-digit county-level code, or 9/12 digits for a township or village (地域回避 compares these exactly).
REGION_CODE_PATTERN = r"^[1-9][0-9]{5}([0-9]{3}([0-9]{3})?)?$"


MANAGING_CODE_PATTERN = r"^[1-9][0-9]{5}$"
managing_code_validator = RegexValidator(
    MANAGING_CODE_PATTERN, _("A region code is six digits and does not start with 0.")
)
region_code_validator = RegexValidator(
    REGION_CODE_PATTERN, _("A region code has 6, 9 or 12 digits and does not start with 0.")
)


class TargetLevel(models.TextChoices):
    CITY = "city", _("City-managed (市管)")
    COUNTY = "county", _("County-managed (县管)")
    TOWNSHIP = "township", _("Township (乡镇)")
    VILLAGE = "village", _("Village/community (村社区)")


class Target(models.Model):
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=TargetLevel.choices)
    category = models.CharField(_("category"), max_length=64, blank=True)
    managing_org_code = models.CharField(
        _("managing organisation (region code)"),
        max_length=6,
        validators=[managing_code_validator],
        help_text=_("The organisation that normally inspects this unit."),
    )
    region_code = models.CharField(
        _("region of the unit (region code)"),
        max_length=12,
        blank=True,
        validators=[region_code_validator],
        help_text=_("Where the unit sits; used for regional avoidance (地域回避)."),
    )
    business_tags = ArrayField(
        models.CharField(max_length=32), verbose_name=_("business tags"), default=list, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_inspected_on = models.DateField(_("last inspected on"), null=True, blank=True)
    last_inspected_round = models.CharField(_("last inspecting round"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection target")
        verbose_name_plural = _("inspection targets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="targets_target_unique_name"),
            FieldCheck(
                condition=Q(managing_org_code__regex=MANAGING_CODE_PATTERN),
                name="targets_managing_code_format",
                message=_("Give the managing organisation by its six-digit region code."),
                field="managing_org_code",
            ),
            FieldCheck(
                condition=Q(region_code="") | Q(region_code__regex=REGION_CODE_PATTERN),
                name="targets_region_code_format",
                message=_("A region code has 6, 9 or 12 digits."),
                field="region_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def principal(self):
        return next((leader for leader in self.leaders.all() if leader.is_principal), None)


class TargetLeader(models.Model):
    """A member of the target's leadership (领导班子成员); the principal is 主要负责人."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="leaders")
    name = models.CharField(_("name"), max_length=100)
    post = models.CharField(_("post"), max_length=100)
    is_principal = models.BooleanField(_("principal (主要负责人)"), default=False)

    class Meta:
        verbose_name = _("target leader")
        verbose_name_plural = _("target leaders")
        ordering = ["-is_principal", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(is_principal=True),
                name="targets_one_principal_per_target",
                violation_error_message=_("Only one leader can be the principal (主要负责人)."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.post})"
