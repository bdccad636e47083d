"""Web pages for transfers: thin, every change through tenants.transfers.services."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Role
from tenants.agencies.models import Agency
from tenants.findings.selectors import clue_list, finding_list
from tenants.kernel.access import TEAM_ROLES, is_office, is_reader, require
from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.kernel.lookups import get_or_404
from tenants.kernel.views import require_post, run_service
from tenants.office.models import OfficeSettings
from tenants.rectification.services import status_colour
from tenants.transfers import selectors, services
from tenants.transfers.documents import transfer_ledger_xlsx
from tenants.transfers.models import FastTrackGround, HandlingKind, HandlingProgress, Party, TransferType


def _require_viewer(access):
    require(is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES, Role.AGENCY_RECEIVER))


def index(request):
    access = request.org_access
    _require_viewer(access)
    today = timezone.localdate()
    transfers = list(
        selectors.transfer_list(user=request.user, access=access).select_related("finding__target", "clue__target")
    )
    progress = selectors.county_progress(transfers=transfers, access=access)
    separated = OfficeSettings.current().duties_separated
    for transfer in transfers:
        transfer.is_overdue = services.transfer_is_overdue(transfer=transfer, today=today)
        signatures = list(transfer.signatures.all())
        transfer.signed_parties = {s.party for s in signatures}
        # separation of duties: who signed for one party is not offered another party's button
        transfer.signed_by_me = separated and any(s.signed_by_id == request.user.pk for s in signatures)
        transfer.county_progress = progress.get(transfer.pk)
    return render(
        request,
        "transfers/index.html",
        {
            "transfers": transfers,
            "parties": Party.choices,
            "types": TransferType.choices,
            "grounds": FastTrackGround.choices,
            "handling_kinds": HandlingKind.choices,
            "agencies": Agency.objects.filter(is_active=True),
            "clues": clue_list(user=request.user, access=access) if is_office(access) else [],
            "findings": finding_list(user=request.user, access=access) if is_office(access) else [],
        },
    )


def transfer_create(request):
    require_post(request)
    access, post = request.org_access, request.POST
    clue = get_or_404(clue_list(user=request.user, access=access), post["clue"]) if post.get("clue") else None
    finding = (
        get_or_404(finding_list(user=request.user, access=access), post["finding"]) if post.get("finding") else None
    )
    agency = Agency.objects.filter(pk=post.get("agency") or 0).first()
    return run_service(
        request,
        services.transfer_create,
        success=_("Transfer drafted."),
        redirect_to=reverse("transfers:index"),
        actor=request.user,
        access=access,
        transfer_type=post.get("transfer_type", ""),
        clue=clue,
        finding=finding,
        agency=agency,
        fast_track=post.get("fast_track") == "on",
        fast_track_ground=post.get("fast_track_ground", ""),
    )[1]


def transfer_sign(request, pk):
    require_post(request)
    access = request.org_access
    transfer = get_or_404(selectors.transfer_list(user=request.user, access=access), pk)
    return run_service(
        request,
        services.transfer_sign,
        success=_("Signature recorded."),
        redirect_to=reverse("transfers:index"),
        actor=request.user,
        access=access,
        transfer=transfer,
        party=request.POST.get("party", ""),
    )[1]


def transfer_handling(request, pk):
    require_post(request)
    access = request.org_access
    transfer = get_or_404(selectors.transfer_list(user=request.user, access=access), pk)
    return run_service(
        request,
        services.transfer_report_handling,
        success=_("Handling reported."),
        redirect_to=reverse("transfers:index"),
        actor=request.user,
        access=access,
        transfer=transfer,
        handling_kind=request.POST.get("handling_kind", ""),
        report=request.POST.get("report", ""),
    )[1]


def ledger(request):
    access = request.org_access
    _require_viewer(access)
    transfers = selectors.transfer_list(user=request.user, access=access).order_by("id")
    return file_response(transfer_ledger_xlsx(transfers=transfers), content_type=XLSX, filename="transfer-ledger.xlsx")


def received(request):
    """A county's transfers from its city: red/yellow/green by the handling report's due date, our status."""
    access = request.org_access
    require(is_office(access) or is_reader(access))
    today = timezone.localdate()
    transfers = list(selectors.received_transfer_list(access=access))
    for transfer in transfers:
        transfer.colour = status_colour(due=transfer.deadline, today=today, done=transfer.is_done)
    return render(
        request,
        "transfers/received.html",
        {
            "transfers": transfers,
            "withdrawn": selectors.received_transfer_list(access=access, withdrawn=True),
            "statuses": HandlingProgress.choices,
            "may_report": is_office(access),
        },
    )


def received_handling(request, pk):
    require_post(request)
    access, post = request.org_access, request.POST
    transfer = get_or_404(selectors.received_transfer_list(access=access), pk)
    return run_service(
        request,
        services.received_transfer_report_handling,
        success=_("Progress reported."),
        redirect_to=reverse("transfers:received"),
        actor=request.user,
        access=access,
        transfer=transfer,
        status=post.get("status", ""),
        note=post.get("note", ""),
        dates={"handled_on": post.get("handled_on")},
    )[1]
