"""Office settings, holiday table, finding categories and a deadline calculator in the browser."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shared.orgs.models import BundleRecord
from sync.bundles import BundleResult, bundle_backlog, bundle_records
from tenants.kernel.files import file_response
from tenants.kernel.roles import ADMINS, can_edit_settings, can_read_settings
from tenants.kernel.views import (
    form_submit,
    import_page,
    import_template_page,
    paginated,
    require_post,
    role_required,
    run_service,
)
from tenants.office.forms import BundleImportForm, CategoryForm, DeadlineForm, HolidayForm, OfficeSettingsForm
from tenants.office.imports import holidays_import, holidays_import_template
from tenants.office.models import FindingCategory, OfficeSettings
from tenants.office.selectors import finding_category_list, holiday_override_list
from tenants.office.services import (
    PRESETS,
    SETTINGS_FIELDS,
    finding_category_save,
    holiday_override_remove,
    holiday_override_set,
    office_bundle_export,
    office_bundle_import,
    office_settings_apply_preset,
    office_settings_update,
)
from tenants.office.workdays import add_months, add_working_days
from xuncha.permissions import open_to_administrators


@open_to_administrators  # the system administrator keeps the configuration (role_required refuses the other two)
@role_required(can_read_settings)
def settings_page(request):
    settings = OfficeSettings.current()
    can_edit = can_edit_settings(request.org_access)
    form = OfficeSettingsForm(instance=settings)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = OfficeSettingsForm(request.POST, instance=OfficeSettings.current())
        saved = form_submit(
            request,
            form,
            lambda data: office_settings_update(
                actor=request.user, request=request, changes={k: v for k, v in data.items() if k in SETTINGS_FIELDS}
            ),
            success=_("Settings saved."),
            redirect_to="office-settings",
        )
        if saved:
            return saved
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
@open_to_administrators
@role_required(can_edit_settings)
def preset_apply(request):
    return run_service(
        request,
        office_settings_apply_preset,
        success=_("Preset applied."),
        redirect_to="office-settings",
        preset=request.POST.get("preset", ""),
        actor=request.user,
        request=request,
    )[1]


@open_to_administrators
@role_required(can_read_settings)
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


@open_to_administrators
@role_required(can_read_settings)
def categories_page(request, pk: int | None = None):
    can_edit = can_edit_settings(request.org_access)
    category = get_object_or_404(FindingCategory, pk=pk) if pk else None
    form = CategoryForm(instance=category)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = CategoryForm(request.POST, instance=category)
        saved = form_submit(
            request,
            form,
            lambda data: finding_category_save(category=category, **data),
            success=_("Saved."),
            redirect_to="office-categories",
        )
        if saved:
            return saved
    return render(
        request,
        "office/categories.html",
        {"categories": finding_category_list(), "form": form, "category": category, "can_edit": can_edit},
    )


@open_to_administrators  # the holiday table is configuration: the system administrator keeps it
@role_required(can_edit_settings)
def holidays_import_page(request):
    """The holiday table from a spreadsheet (days off and working days), every row or none."""
    return import_page(
        request,
        service=holidays_import,
        title=_("Import the holiday table"),
        intro=_(
            "Columns: 日期 and 类型 (放假 or 上班) are required, 说明 is optional. A date already in the table is "
            "changed. If any row is wrong nothing is imported."
        ),
        template_url=reverse("office-holidays-import-template"),
        done_url=reverse("office-holidays"),
    )


@open_to_administrators
@role_required(can_edit_settings)
def holidays_import_template_page(request):
    return import_template_page(request, content=holidays_import_template(), name="holidays")


# ---------------------------------------------------------------------------------------------- bundles
OUTCOME_LABELS = {
    "applied": gettext_lazy("applied"),
    "duplicate": gettext_lazy("already received"),
    "stale": gettext_lazy("older than what is held"),
    "dead": gettext_lazy("refused (dead letter)"),
    "failed": gettext_lazy("failed, comes again"),
}


def _bundle_imported(result: BundleResult) -> str:
    if result.kind == "ack":
        text = _(
            "Acknowledgement no. %(number)d from %(deployment)s for %(code)s: %(marked)d message(s) delivered, "
            "%(requeued)d record(s) queued again for the next bundle."
        ) % {"number": result.sequence, "deployment": result.deployment, "code": result.destination,
             "marked": result.acknowledged, "requeued": result.requeued}  # fmt: skip
    else:
        outcomes = "，".join(
            f"{OUTCOME_LABELS.get(name, name)} {count}" for name, count in sorted(result.outcomes.items())
        )
        text = _(
            "Bundle no. %(number)d from %(deployment)s imported: %(outcomes)s; %(missing)d record(s) still missing. "
            "Download its acknowledgement below and carry it back."
        ) % {"number": result.sequence, "deployment": result.deployment, "outcomes": outcomes or "0",
             "missing": result.missing}  # fmt: skip
    if result.repeated:
        text = _("This bundle was imported before: nothing changed by it again.") + " " + text
    return text


@role_required(roles=ADMINS)
def bundles_page(request):
    """For each destination reached by bundles: what this office has waiting, its export; the upload of a bundle
    or an acknowledgement; the office's bundle log with each acknowledgement to download."""
    form = BundleImportForm()
    if request.method == "POST":
        form = BundleImportForm(request.POST, request.FILES)
        if form.is_valid():
            _result, response = run_service(
                request,
                office_bundle_import,
                success=_bundle_imported,
                redirect_to="office-bundles",
                office=request.tenant,
                raw=form.cleaned_data["file"].read(),
                actor=request.user,
            )
            return response
    records = paginated(request, bundle_records(office=request.tenant.code))
    return render(
        request,
        "office/bundles.html",
        {"backlog": bundle_backlog(office=request.tenant.code), "records": records, "form": form},
    )


@role_required(roles=ADMINS)
def bundle_export_page(request, code):
    require_post(request)
    exported, response = run_service(
        request,
        office_bundle_export,
        success=None,
        redirect_to="office-bundles",
        office=request.tenant,
        to=code,
        actor=request.user,
        request=request,
    )
    if exported is None:
        return response
    raw, record = exported
    name = f"bundle-{request.tenant.code}-to-{code}-{record.sequence}.json"
    return file_response(raw, content_type="application/json", filename=name)


@role_required(roles=ADMINS)
def bundle_ack_page(request, pk):
    record = get_object_or_404(
        bundle_records(office=request.tenant.code), pk=pk, kind=BundleRecord.Kind.IMPORTED, ack__isnull=False
    )
    name = f"ack-{request.tenant.code}-to-{record.peer.name}-{record.sequence}.json"
    return file_response(bytes(record.ack), content_type="application/json", filename=name)
