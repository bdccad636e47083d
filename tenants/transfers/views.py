"""Web pages for transfers: thin, every change through tenants.transfers.services."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared.accounts.models import Role
from tenants.agencies.models import Agency
from tenants.findings.selectors import clue_list, finding_list
from tenants.kernel.access import is_office, is_reader, require
from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.kernel.lookups import get_or_404
from tenants.kernel.roles import TEAM_ROLES
from tenants.kernel.views import paginated, require_post, run_service
from tenants.ledger.views import LedgerPage
from tenants.office.models import OfficeSettings
from tenants.rectification.services import yellow_within_days
from tenants.transfers import selectors, services
from tenants.transfers.documents import transfer_ledger_xlsx
from tenants.transfers.models import FastTrackGround, HandlingKind, Party, ReceivedTransfer, TransferType


def _require_viewer(access):
    require(is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES, Role.AGENCY_RECEIVER))


def index(request):
    access = request.org_access
    _require_viewer(access)
    today = timezone.localdate()
    transfers = paginated(
        request,
        selectors.transfer_list(actor=request.user, access=access).select_related("finding__target", "clue__target"),
    )
    progress = selectors.county_progress(transfers=transfers, access=access)
    separated = OfficeSettings.current().duties_separated
    rights = services.SigningRights.of(actor=request.user, access=access)
    for transfer in transfers:
        transfer.is_overdue = services.transfer_is_overdue(transfer=transfer, today=today)
        signatures = list(transfer.signatures.all())
        transfer.signed_parties = {s.party for s in signatures}
        # separation of duties: who signed for one party is not offered another party's button
        transfer.signed_by_me = separated and any(s.signed_by_id == request.user.pk for s in signatures)
        transfer.county_progress = progress.get(transfer.pk)
        # only the buttons the person's submit accepts: their own party's signature, their agency's report
        transfer.signable = {party for party in Party.values if rights.may_sign(transfer, party)}
        transfer.may_report = rights.may_report(transfer)
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
            "clues": clue_list(actor=request.user, access=access) if is_office(access) else [],
            "findings": finding_list(actor=request.user, access=access) if is_office(access) else [],
        },
    )


def transfer_create(request):
    require_post(request)
    access, post = request.org_access, request.POST
    clue = get_or_404(clue_list(actor=request.user, access=access), post["clue"]) if post.get("clue") else None
    finding = (
        get_or_404(finding_list(actor=request.user, access=access), post["finding"]) if post.get("finding") else None
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
    transfer = get_or_404(selectors.transfer_list(actor=request.user, access=access), pk)
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
    transfer = get_or_404(selectors.transfer_list(actor=request.user, access=access), pk)
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
    transfers = selectors.transfer_list(actor=request.user, access=access).order_by("id")
    return file_response(transfer_ledger_xlsx(transfers=transfers), content_type=XLSX, filename="transfer-ledger.xlsx")


RECEIVED_PAGE = LedgerPage(
    model=ReceivedTransfer,
    title=gettext_lazy("Transfers from the city"),
    intro=gettext_lazy(
        "Transfers of the city about units we manage. Our handling status is reported to the city; our note stays here."
    ),
    withdrawn_intro=gettext_lazy(
        "The city no longer shares these transfers with us: their content is no longer kept here, only our own "
        "progress."
    ),
    headers=(gettext_lazy("No."), gettext_lazy("Unit"), gettext_lazy("Type"), gettext_lazy("Handling report due")),
    cells="transfers/_received_cells.html",
    progress="transfers/_received_progress.html",
    fields="transfers/_received_fields.html",
    own_fields=("note",),
    route="transfers/received/",
    report="handling",
    url_name="transfers:received",
    row_attribute="transfer",
    yellow_within_days=yellow_within_days,
    panel_description=gettext_lazy("The city's transfers about our units: deadlines, our handling status reported up"),
    panel_order=51,
    label_header=gettext_lazy("No."),
)
