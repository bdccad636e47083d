from __future__ import annotations

from tenants.planning.models import AnnualPlan, MultiYearPlan, PhaseSchedule
from tenants.planning.services import PLAN_MODELS


def plan_list(*, kind: str):
    model = PLAN_MODELS[kind]
    related = {MultiYearPlan: [], AnnualPlan: ["multi_year_plan"], PhaseSchedule: ["annual_plan"]}[model]
    return model.objects.select_related(*related).prefetch_related("approvals")


def plan_get(*, kind: str, pk: int):
    return plan_list(kind=kind).get(pk=pk)
