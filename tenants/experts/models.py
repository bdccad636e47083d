"""The expert pool (巡察人才库) and the conflicts the office knows of (回避)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shared.accounts.references import user_reference
from shared.constraints import FieldCheck
from tenants.targets.models import REGION_CODE_PATTERN, region_code_validator


class Specialty(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline inspection (纪检监察)")
    ORGANISATION = "organisation", _("Organisation and personnel (组织人事)")
    AUDIT = "audit", _("Audit (审计)")
    FINANCE = "finance", _("Finance (财政)")
    POLICE = "police", _("Public security (公安)")
    PROCURATORATE = "procuratorate", _("Procuratorate (检察)")
    PETITIONS = "petitions", _("Letters and visits (信访)")
    OTHER = "other", _("Other (其他)")


class Expert(models.Model):
    name = models.CharField(_("name"), max_length=100)
    home_region_code = models.CharField(
        _("home region (region code)"), max_length=12, blank=True, validators=[region_code_validator]
    )
    post = models.CharField(_("current post"), max_length=100, blank=True)
    unit = models.CharField(_("current unit"), max_length=200, blank=True)
    specialty = models.CharField(_("specialty"), max_length=16, choices=Specialty.choices, default=Specialty.OTHER)
    user = user_reference(verbose_name=_("platform user"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]
        constraints = [
            FieldCheck(
                condition=Q(home_region_code="") | Q(home_region_code__regex=REGION_CODE_PATTERN),
                name="experts_home_region_code_format",
                message=_("A region code has 6, 9 or 12 digits."),
                field="home_region_code",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(user__isnull=False),
                name="experts_one_expert_per_user",
                violation_error_message=_("This platform user is already in the pool."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConflictKind(models.TextChoices):
    POST = "post", _("Post (任职回避)")
    REGION = "region", _("Region (地域回避)")
    OFFICIAL_MATTER = "official_matter", _("Official matter (公务回避)")


class ConflictDeclaration(models.Model):
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="conflicts")
    target = models.ForeignKey(
        "targets.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ConflictKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        constraints = [models.UniqueConstraint(fields=["expert", "target", "kind"], name="experts_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.expert} / {self.target}: {self.get_kind_display()}"
