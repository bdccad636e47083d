"""Office settings, holiday table, finding categories and a deadline calculator in the browser."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.kernel.roles import can_edit_settings, can_oversee
from tenants.kernel.views import attach_errors, role_required
from tenants.office.forms import CategoryForm, DeadlineForm, HolidayForm, OfficeSettingsForm
from tenants.office.models import FindingCategory, OfficeSettings
from tenants.office.selectors import finding_category_list, holiday_override_list
from tenants.office.services import (
    PRESETS,
    SETTINGS_FIELDS,
    finding_category_save,
    holiday_override_remove,
    holiday_override_set,
    office_settings_apply_preset,
    office_settings_update,
)
from tenants.office.workdays import add_months, add_working_days


@role_required(can_oversee)
def settings_page(request):
    settings = OfficeSettings.current()
    can_edit = can_edit_settings(request.org_access)
    form = OfficeSettingsForm(instance=settings)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = OfficeSettingsForm(request.POST, instance=OfficeSettings.current())
        if form.is_valid():
            try:
                office_settings_update(**{k: v for k, v in form.cleaned_data.items() if k in SETTINGS_FIELDS})
                messages.success(request, _("Settings saved."))
                return redirect("office-settings")
            except ValidationError as error:
                attach_errors(form, error)
    deadline, deadline_form = None, DeadlineForm(request.GET or None)
    if request.GET and deadline_form.is_valid():
        data = deadline_form.cleaned_data
        if data["months"] is not None:
            deadline = add_months(start=data["start"], months=data["months"])
        else:
            deadline = add_working_days(start=data["start"], days=data["working_days"] or 0)
    return render(
        request,
        "office/settings.html",
        {
            "form": form,
            "can_edit": can_edit,
            "presets": PRESETS,
            "deadline_form": deadline_form,
            "deadline": deadline,
            "readonly_rows": [] if can_edit else _shown_values(settings, form),
        },
    )


def _shown_values(settings, form) -> list[tuple[str, str]]:
    """The settings as a reader sees them: a choice by its label, never its stored code."""
    rows = []
    for name, field in form.fields.items():
        value = getattr(settings, name, None)
        if hasattr(settings, f"get_{name}_display"):
            value = getattr(settings, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        rows.append((field.label, "—" if value in (None, "") else value))
    return rows


@require_POST
@role_required(can_edit_settings)
def preset_apply(request):
    try:
        office_settings_apply_preset(preset=request.POST.get("preset", ""))
        messages.success(request, _("Preset applied."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("office-settings")


@role_required(can_oversee)
def holidays_page(request):
    can_edit = can_edit_settings(request.org_access)
    form = HolidayForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("remove"):
            form = HolidayForm(request.POST)
            if form.is_valid():
                holiday_override_remove(day=form.cleaned_data["date"])
                return redirect("office-holidays")
        form = HolidayForm(request.POST)
        if form.is_valid():
            holiday_override_set(
                day=form.cleaned_data["date"],
                is_working_day=form.cleaned_data["is_working_day"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Saved."))
            return redirect("office-holidays")
    return render(
        request, "office/holidays.html", {"overrides": holiday_override_list(), "form": form, "can_edit": can_edit}
    )


@role_required(can_oversee)
def categories_page(request, pk: int | None = None):
    can_edit = can_edit_settings(request.org_access)
    category = get_object_or_404(FindingCategory, pk=pk) if pk else None
    form = CategoryForm(instance=category)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = CategoryForm(request.POST, instance=category)
        if form.is_valid():
            try:
                finding_category_save(category=category, **form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("office-categories")
            except ValidationError as error:
                attach_errors(form, error)
    return render(
        request,
        "office/categories.html",
        {"categories": finding_category_list(), "form": form, "category": category, "can_edit": can_edit},
    )
