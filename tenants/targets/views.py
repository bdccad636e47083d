"""Targets in the browser: list, edit, import/export, coverage."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.kernel.roles import can_manage, can_oversee
from tenants.kernel.views import form_submit, paginated, role_required
from tenants.office.models import OfficeSettings
from tenants.targets.forms import ImportForm, TargetForm
from tenants.targets.models import Target, TargetLevel
from tenants.targets.selectors import coverage_list, coverage_of, target_list
from tenants.targets.services import (
    TargetImportError,
    format_leaders,
    parse_leaders,
    parse_tags,
    target_create,
    target_update,
    targets_export,
    targets_import,
    targets_import_template,
)


@role_required(can_oversee)
def target_list_page(request):
    targets = target_list(
        query=request.GET.get("q", "").strip(),
        level=request.GET.get("level", ""),
        tag=request.GET.get("tag", "").strip(),
    )
    settings, today = OfficeSettings.current(), timezone.localdate()
    rows = paginated(request, targets)
    rows.object_list = [coverage_of(target=t, today=today, settings=settings) for t in rows.object_list]
    return render(
        request,
        "targets/list.html",
        {
            "rows": rows,
            "levels": TargetLevel.choices,
            "can_manage": can_manage(request.org_access),
            "q": request.GET.get("q", ""),
        },
    )


def _fields_from(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "level": data["level"],
        "category": data["category"],
        "managing_org_code": data["managing_org_code"],
        "region_code": data["region_code"],
        "business_tags": parse_tags(data["business_tags"]),
        "last_inspected_on": data["last_inspected_on"],
        "is_active": data["is_active"],
    }


@role_required(can_manage)
def target_edit_page(request, pk: int | None = None):
    target = get_object_or_404(Target, pk=pk) if pk else None
    if request.method == "POST":
        form = TargetForm(request.POST)

        def save(data):
            leaders = parse_leaders(data["leaders"])
            if target:
                return target_update(target=target, leaders=leaders, **_fields_from(form))
            fields = _fields_from(form)
            return target_create(
                name=fields.pop("name"),
                level=fields.pop("level"),
                managing_org_code=fields.pop("managing_org_code"),
                leaders=leaders,
                **fields,
            )

        saved = form_submit(request, form, save, success=_("Saved."), redirect_to="targets-list")
        if saved:
            return saved
    else:
        initial = {"is_active": True, "managing_org_code": request.tenant.code}
        if target:
            initial = {
                "name": target.name,
                "level": target.level,
                "category": target.category,
                "managing_org_code": target.managing_org_code,
                "region_code": target.region_code,
                "business_tags": "、".join(target.business_tags),
                "leaders": format_leaders(target).replace("; ", "\n"),
                "last_inspected_on": target.last_inspected_on,
                "is_active": target.is_active,
            }
        form = TargetForm(initial=initial)
    return render(request, "targets/edit.html", {"form": form, "target": target})


@role_required(can_manage)
def target_import_page(request):
    row_errors, form = [], ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = targets_import(content=upload.read(), filename=upload.name)
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(updated)s updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("targets-list")
            except TargetImportError as error:
                row_errors = error.row_errors
    return render(request, "targets/import.html", {"form": form, "row_errors": row_errors})


@role_required(can_manage)
def target_import_template_page(request):
    """The import's template: the columns and one example row (targets_import_template)."""
    return file_response(
        targets_import_template(organization=request.tenant),
        content_type=XLSX,
        filename=f"targets-import-template-{request.tenant.code}.xlsx",
    )


@role_required(can_oversee)
def target_export_page(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        fmt = "xlsx"
    content = targets_export(targets=target_list(), fmt=fmt)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    return file_response(content, content_type=content_type, filename=f"targets-{request.tenant.code}.{fmt}")


@role_required(can_oversee)
def coverage_page(request):
    at_risk_only = request.GET.get("at_risk") == "1"
    return render(
        request,
        "targets/coverage.html",
        {
            "rows": paginated(request, coverage_list(today=timezone.localdate(), at_risk_only=at_risk_only)),
            "settings": OfficeSettings.current(),
            "at_risk_only": at_risk_only,
        },
    )
