"""Approved plans are shared: a city's go down to its counties and up to the province (filing);
a county's go up to its city. Drafts and plans under approval stay in the office."""

from __future__ import annotations

from sync.registry import SharedRecordType, register
from tenants.planning.models import AnnualPlan, MultiYearPlan, PhaseSchedule, PlanStatus


def plan_audience(plan, owner) -> set[str]:
    """Children and parent; the sharing policy decides which of them may receive it."""
    if plan.status != PlanStatus.APPROVED:
        return set()
    codes = set(owner.children.values_list("code", flat=True))
    if owner.parent_id:
        codes.add(owner.parent.code)
    return codes


def _base(plan) -> dict:
    return {
        "title": plan.title,
        "content": plan.content,
        "status": plan.status,
        "classification": getattr(plan, "classification", 1),
    }


def annual_plan_snapshot(plan: AnnualPlan) -> dict:
    return {**_base(plan), "year": plan.year}


def multi_year_plan_snapshot(plan: MultiYearPlan) -> dict:
    return {**_base(plan), "start_year": plan.start_year, "end_year": plan.end_year}


def phase_schedule_snapshot(schedule: PhaseSchedule) -> dict:
    return {
        **_base(schedule),
        "year": schedule.annual_plan.year,
        "start_date": schedule.start_date.isoformat(),
        "end_date": schedule.end_date.isoformat(),
    }


ANNUAL_PLAN = register(
    SharedRecordType(
        record_type="planning.annual_plan",
        schema_version=1,
        model=AnnualPlan,
        snapshot=annual_plan_snapshot,
        audience=plan_audience,
    )
)
MULTI_YEAR_PLAN = register(
    SharedRecordType(
        record_type="planning.multi_year_plan",
        schema_version=1,
        model=MultiYearPlan,
        snapshot=multi_year_plan_snapshot,
        audience=plan_audience,
    )
)
PHASE_SCHEDULE = register(
    SharedRecordType(
        record_type="planning.phase_schedule",
        schema_version=1,
        model=PhaseSchedule,
        snapshot=phase_schedule_snapshot,
        audience=plan_audience,
    )
)
