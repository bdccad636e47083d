"""Plans: draft → submitted → approved / returned, the decision recorded by the leading group."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sync.outbox import record_changed
from tenants.planning.models import AnnualPlan, Decision, MultiYearPlan, PhaseSchedule, PlanApproval, PlanStatus

PLAN_MODELS = {"multi_year": MultiYearPlan, "annual": AnnualPlan, "phase": PhaseSchedule}
APPROVAL_FIELD = {MultiYearPlan: "multi_year_plan", AnnualPlan: "annual_plan", PhaseSchedule: "phase_schedule"}
EDITABLE = {
    MultiYearPlan: {"title", "content", "start_year", "end_year"},
    AnnualPlan: {"title", "content", "year", "multi_year_plan"},
    PhaseSchedule: {"title", "content", "annual_plan", "start_date", "end_date"},
}


def _model(kind: str):
    try:
        return PLAN_MODELS[kind]
    except KeyError:
        raise ValidationError(_("Unknown plan kind.")) from None


@transaction.atomic
def plan_create(*, kind: str, actor, **fields):
    model = _model(kind)
    unknown = set(fields) - EDITABLE[model]
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    plan = model(created_by=actor, **fields)
    plan.full_clean()
    plan.save()
    return plan


def _locked(plan):
    return type(plan).objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_update(*, plan, **fields):
    plan = _locked(plan)
    unknown = set(fields) - EDITABLE[type(plan)]
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(_("Only a draft or returned plan can be edited."), code="state")
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_submit(*, plan):
    plan = _locked(plan)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(_("Only a draft or returned plan can be submitted."), code="state")
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def plan_decide(*, plan, decision: str, actor, note: str = "") -> PlanApproval:
    """The leading group's decision on a submitted plan, recorded with who, when and why."""
    plan = _locked(plan)
    if decision not in Decision.values:
        raise ValidationError(_("Unknown decision."), code="invalid")
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be decided."), code="state")
    if decision == Decision.RETURNED and not note.strip():
        raise ValidationError(_("Say why the plan is returned."), code="note_required")
    plan.status = PlanStatus.APPROVED if decision == Decision.APPROVED else PlanStatus.RETURNED
    plan.save(update_fields=["status"])
    if plan.status == PlanStatus.APPROVED:
        record_changed(instance=plan)  # approved plans go down, up and to the province (sync policy)
    return PlanApproval.objects.create(
        **{APPROVAL_FIELD[type(plan)]: plan}, decision=decision, note=note, decided_by=actor
    )
