"""Guidance pages: the office of a city (or the province) lists, issues and revises its guidance documents with
their files; every office lists what it received from above and downloads the files that arrived whole."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from shared.accounts.models import Classification
from shared.orgs.models import Organization
from tenants.attachments.selectors import attachments_by_record
from tenants.attachments.travel import received_files
from tenants.guidance import selectors, services
from tenants.guidance.forms import GuidanceDocumentForm
from tenants.guidance.models import DocumentType
from tenants.kernel.access import is_office
from tenants.kernel.lookups import get_or_404
from tenants.kernel.views import form_submit, paginated, require_post, role_required, run_service

ISSUERS = ("city", "province")  # the offices with offices below them
FIELDS = ("title", "doc_type", "issued_on", "summary", "content", "classification")


def may_issue(request) -> bool:
    return request.tenant.kind in ISSUERS and is_office(request.org_access)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


@role_required(selectors.guidance_readable)
def guidance_index(request):
    access = request.org_access
    issued = None
    if may_issue(request):
        issued = paginated(request, selectors.guidance_document_list(clearance=access.clearance), param="issued")
        files = attachments_by_record(records=issued.object_list)
        for document in issued.object_list:
            document.attachments = files.get(str(document.pk), [])
    received = paginated(request, selectors.guidance_received_list(clearance=access.clearance), param="received")
    arrived = received_files(replicas=received.object_list, clearance=access.clearance)
    names = dict(
        Organization.objects.filter(code__in={r.source for r in received.object_list}).values_list("code", "name")
    )
    rows = [
        {
            "replica": r,
            "source_name": names.get(r.source, ""),
            "type_label": _label(DocumentType, r.body.get("doc_type")),
            "level": _label(Classification, r.classification),
            "files": arrived.get((r.source, r.record_key), []),
        }
        for r in received.object_list
    ]
    return render(request, "guidance/index.html", {"issued": issued, "received": received, "rows": rows})


@role_required(is_office, kinds=ISSUERS)
def guidance_new(request):
    form = GuidanceDocumentForm(request.POST or None, request.FILES or None, clearance=request.org_access.clearance)
    saved = form_submit(
        request,
        form,
        lambda data: services.guidance_document_issue(actor=request.user, **data),
        success=_("The document has been issued to the offices below."),
        redirect_to=reverse("guidance:index"),
    )
    return saved or render(request, "guidance/edit.html", {"form": form, "document": None})


@role_required(is_office, kinds=ISSUERS)
def guidance_edit(request, pk):
    access = request.org_access
    document = get_or_404(selectors.guidance_document_list(clearance=access.clearance), pk)
    form = GuidanceDocumentForm(
        request.POST or None,
        request.FILES or None,
        clearance=access.clearance,
        initial={field: getattr(document, field) for field in FIELDS},
    )
    saved = form_submit(
        request,
        form,
        lambda data: services.guidance_document_revise(document=document, actor=request.user, **data),
        success=_("The document has been revised; the offices below receive the revision."),
        redirect_to=reverse("guidance:index"),
    )
    files = attachments_by_record(records=[document]).get(str(document.pk), [])
    return saved or render(request, "guidance/edit.html", {"form": form, "document": document, "files": files})


@role_required(is_office, kinds=ISSUERS)
def guidance_file_remove(request, pk, file_id):
    require_post(request)
    document = get_or_404(selectors.guidance_document_list(clearance=request.org_access.clearance), pk)
    return run_service(
        request,
        services.guidance_document_file_remove,
        success=_("The file has been removed; the offices below no longer receive it."),
        redirect_to=reverse("guidance:edit", args=[document.pk]),
        document=document,
        file_id=file_id,
    )[1]
