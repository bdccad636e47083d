"""Plans in the browser: office drafts and submits, the leading group decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.kernel.roles import can_decide, can_manage, can_oversee
from tenants.kernel.views import form_submit, paginated, role_required, run_service
from tenants.planning.forms import FORMS, DecisionForm
from tenants.planning.models import PlanStatus
from tenants.planning.selectors import plan_get, plan_list
from tenants.planning.services import PLAN_MODELS, plan_create, plan_decide, plan_submit, plan_update

KIND_TITLES = {"multi_year": "巡察规划", "annual": "年度计划", "phase": "阶段任务安排"}


def _kind(kind: str) -> str:
    if kind not in PLAN_MODELS:
        raise Http404
    return kind


def _get(kind, pk):
    try:
        return plan_get(kind=kind, pk=pk)
    except PLAN_MODELS[kind].DoesNotExist:
        raise Http404 from None


@role_required(can_oversee)
def plan_list_page(request):
    sections = [(kind, KIND_TITLES[kind], paginated(request, plan_list(kind=kind), param=kind)) for kind in PLAN_MODELS]
    return render(request, "planning/list.html", {"sections": sections, "can_manage": can_manage(request.org_access)})


@role_required(can_manage)
def plan_edit_page(request, kind: str, pk: int | None = None):
    kind = _kind(kind)
    plan = _get(kind, pk) if pk else None
    form_class = FORMS[kind]
    form = form_class(instance=plan)
    if request.method == "POST":
        form = form_class(request.POST, instance=plan)

        def save(data):
            return plan_update(plan=plan, **data) if plan else plan_create(kind=kind, actor=request.user, **data)

        saved = form_submit(
            request,
            form,
            save,
            success=_("Saved."),
            redirect_to=lambda saved: reverse("plans-detail", args=[kind, saved.pk]),
        )
        if saved:
            return saved
    return render(request, "planning/edit.html", {"form": form, "plan": plan, "kind_title": KIND_TITLES[kind]})


@role_required(can_oversee)
def plan_detail_page(request, kind: str, pk: int):
    kind = _kind(kind)
    plan = _get(kind, pk)
    return render(
        request,
        "planning/detail.html",
        {
            "plan": plan,
            "kind": kind,
            "kind_title": KIND_TITLES[kind],
            "approvals": plan.approvals.all(),
            "can_submit": can_manage(request.org_access) and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
            "can_decide": can_decide(request.org_access) and plan.status == PlanStatus.SUBMITTED,
            "decision_form": DecisionForm(),
        },
    )


@require_POST
@role_required(can_manage)
def plan_submit_view(request, kind: str, pk: int):
    return run_service(
        request,
        plan_submit,
        success=_("Submitted to the leading group."),
        redirect_to=reverse("plans-detail", args=[kind, pk]),
        plan=_get(_kind(kind), pk),
    )[1]


@require_POST
@role_required(can_decide)
def plan_decide_view(request, kind: str, pk: int):
    form = DecisionForm(request.POST)
    back = reverse("plans-detail", args=[kind, pk])
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect(back)
    return run_service(
        request,
        plan_decide,
        success=_("Decision recorded."),
        redirect_to=back,
        plan=_get(_kind(kind), pk),
        decision=form.cleaned_data["decision"],
        note=form.cleaned_data["note"],
        actor=request.user,
    )[1]
