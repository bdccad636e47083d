"""The expert pool in the browser: list, edit, conflict declarations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.experts.forms import ConflictForm, ExpertForm
from tenants.experts.imports import experts_import, experts_import_template
from tenants.experts.models import ConflictDeclaration, Expert, Specialty
from tenants.experts.selectors import conflict_list, expert_list
from tenants.experts.services import conflict_declare, conflict_withdraw, expert_create, expert_update
from tenants.kernel.roles import can_manage, can_oversee
from tenants.kernel.views import form_submit, import_page, import_template_page, paginated, role_required


@role_required(can_oversee)
def expert_list_page(request):
    specialty = request.GET.get("specialty", "")
    return render(
        request,
        "experts/list.html",
        {
            "experts": paginated(request, expert_list(specialty=specialty or None)),
            "specialties": Specialty.choices,
            "specialty": specialty,
            "can_manage": can_manage(request.org_access),
        },
    )


@role_required(can_manage)
def expert_edit_page(request, pk: int | None = None):
    expert = get_object_or_404(Expert, pk=pk) if pk else None
    form = ExpertForm(instance=expert, organization=request.tenant)
    if request.method == "POST":
        form = ExpertForm(request.POST, instance=expert, organization=request.tenant)

        def save(data):
            if expert:
                return expert_update(expert=expert, actor=request.user, **data)
            return expert_create(name=data.pop("name"), **data)

        saved = form_submit(
            request,
            form,
            save,
            success=_("Saved."),
            redirect_to=lambda saved: reverse("experts-detail", args=[saved.pk]),
        )
        if saved:
            return saved
    return render(request, "experts/edit.html", {"form": form, "expert": expert})


@role_required(can_oversee)
def expert_detail_page(request, pk: int):
    expert = get_object_or_404(Expert, pk=pk)
    form = ConflictForm()
    if request.method == "POST":
        if not can_manage(request.org_access):
            raise PermissionDenied
        form = ConflictForm(request.POST)
        saved = form_submit(
            request,
            form,
            lambda data: conflict_declare(expert=expert, **data),
            success=_("Conflict recorded."),
            redirect_to=reverse("experts-detail", args=[expert.pk]),
        )
        if saved:
            return saved
    return render(
        request,
        "experts/detail.html",
        {
            "expert": expert,
            "conflicts": conflict_list(expert=expert),
            "form": form,
            "can_manage": can_manage(request.org_access),
        },
    )


@require_POST
@role_required(can_manage)
def conflict_withdraw_view(request, pk: int, conflict_pk: int):
    conflict_withdraw(declaration=get_object_or_404(ConflictDeclaration, pk=conflict_pk, expert_id=pk))
    return redirect("experts-detail", pk)


@role_required(can_manage)
def expert_import_page(request):
    """The pool from a spreadsheet: people created or updated (by name and unit), every row or none."""
    return import_page(
        request,
        service=experts_import,
        title=_("Import the expert pool"),
        intro=_(
            "Columns: 姓名 is required; 现任单位, 现任职务, 籍贯地区代码, 专长 and 备注 are optional. "
            "A person already in the pool (same name and unit) is updated. If any row is wrong nothing is imported."
        ),
        template_url=reverse("experts-import-template"),
        done_url=reverse("experts-list"),
        actor=request.user,
    )


@role_required(can_manage)
def expert_import_template_page(request):
    return import_template_page(request, content=experts_import_template(), name="experts")
