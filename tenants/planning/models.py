"""Multi-year plans, annual plans and phase schedules (巡察规划 / 年度计划 / 阶段任务安排),
each approved by the leading group (巡察工作领导小组) with the decision recorded."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shared.accounts.references import user_reference
from shared.constraints import FieldCheck


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (草稿)")
    SUBMITTED = "submitted", _("Submitted for approval (报批中)")
    APPROVED = "approved", _("Approved (已批准)")
    RETURNED = "returned", _("Returned for revision (退回修改)")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved (同意)")
    RETURNED = "returned", _("Returned for revision (退回修改)")


class PlanBase(models.Model):
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = user_reference(verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class MultiYearPlan(PlanBase):
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("multi-year plan (巡察规划)")
        verbose_name_plural = _("multi-year plans")
        ordering = ["-start_year", "id"]
        constraints = [
            FieldCheck(
                condition=Q(end_year__gte=F("start_year")),
                name="planning_multiyear_years_order",
                message=_("The end year cannot be before the start year."),
                field="end_year",
            )
        ]


class AnnualPlan(PlanBase):
    year = models.PositiveSmallIntegerField(_("year"))
    multi_year_plan = models.ForeignKey(
        MultiYearPlan,
        verbose_name=_("multi-year plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_plans",
    )

    class Meta:
        verbose_name = _("annual plan (年度计划)")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["year"], name="planning_one_annual_plan_per_year")]


class PhaseSchedule(PlanBase):
    annual_plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("annual plan"), on_delete=models.PROTECT, related_name="phase_schedules"
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        verbose_name = _("phase schedule (阶段任务安排)")
        verbose_name_plural = _("phase schedules")
        ordering = ["start_date", "id"]
        constraints = [
            FieldCheck(
                condition=Q(end_date__gte=F("start_date")),
                name="planning_phase_dates_order",
                message=_("The end date cannot be before the start date."),
                field="end_date",
            )
        ]


class PlanApproval(models.Model):
    """One leading-group decision on exactly one plan document (who, when, decision, note)."""

    multi_year_plan = models.ForeignKey(
        MultiYearPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )
    annual_plan = models.ForeignKey(
        AnnualPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )
    phase_schedule = models.ForeignKey(
        PhaseSchedule, null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = user_reference(verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leading-group approval")
        verbose_name_plural = _("leading-group approvals")
        ordering = ["decided_at", "id"]
        constraints = [
            FieldCheck(
                condition=(
                    Q(multi_year_plan__isnull=False, annual_plan__isnull=True, phase_schedule__isnull=True)
                    | Q(multi_year_plan__isnull=True, annual_plan__isnull=False, phase_schedule__isnull=True)
                    | Q(multi_year_plan__isnull=True, annual_plan__isnull=True, phase_schedule__isnull=False)
                ),
                name="planning_approval_exactly_one_plan",
                message=_("An approval concerns exactly one plan."),
            )
        ]

    @property
    def plan(self):
        return self.multi_year_plan or self.annual_plan or self.phase_schedule
