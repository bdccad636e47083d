"""Web pages for findings and clues: thin, every change through tenants.findings.services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from shared.accounts.models import Classification
from tenants.audit.models import AuditAction
from tenants.audit.views import audited_list
from tenants.findings import escalation, selectors, services
from tenants.findings.documents import clue_ledger_xlsx
from tenants.findings.models import ClueEscalation, LeadershipBody, LeadershipMember, Severity
from tenants.kernel.access import is_office, require
from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.kernel.lookups import get_or_404
from tenants.kernel.views import paginated, require_post, run_service
from tenants.office.models import FindingCategory
from tenants.rounds.access import writable_rounds
from tenants.rounds.models import Round
from tenants.rounds.selectors import round_list_for
from tenants.targets.models import Target
from xuncha.clearance import visible_to


def _may_clue_ledger(access) -> bool:
    return is_office(access) and access.cleared_for(Classification.CONFIDENTIAL)


def index(request):
    """All findings and clues; `?round=<id>` (the round page's link) narrows lists and forms to that round."""
    access = request.org_access
    require(selectors.may_read_findings(access))
    selected = None
    if request.GET.get("round"):  # only a round this person may open (role, team, clearance)
        selected = get_or_404(round_list_for(actor=request.user, access=access), request.GET["round"])
    round_id = selected.pk if selected else None
    # The forms offer only the rounds this person may record in (the services' own check), and their units.
    rounds = writable_rounds(
        visible_to(Round.objects.all(), access, round_field="id"), actor=request.user, access=access
    )
    if selected:
        rounds = rounds.filter(pk=selected.pk)
    rounds = list(rounds[:50])
    targets = (
        visible_to(Target.objects.all(), access, target_field="id")
        .filter(team_assignments__round__in=rounds)
        .distinct()
    )
    findings = paginated(
        request, selectors.finding_list(actor=request.user, access=access, round_id=round_id), param="findings"
    )
    clues = paginated(request, selectors.clue_list(actor=request.user, access=access, round_id=round_id), param="clues")
    clues.object_list = audited_list(request, clues.object_list)  # the clues this page shows are logged
    return render(
        request,
        "findings/index.html",
        {
            "findings": findings,
            "clues": clues,
            "clue_ledger": _may_clue_ledger(access),
            "selected": selected,
            "selected_round": round_id,
            "rounds": rounds,
            "targets": targets[:200],
            "may_record_finding": bool(rounds) and access.cleared_for(services.FINDING_LEVEL),
            "may_record_clue": bool(rounds) and access.cleared_for(services.CLUE_LEVEL),
            "categories": FindingCategory.objects.filter(is_active=True),
            "severities": Severity.choices,
            "may_escalate": escalation.may_escalate(access)
            and escalation.escalation_destination(request.tenant) is not None,
            "escalations": paginated(request, escalation.escalation_list(access=access), param="escalations"),
        },
    )


def _round_target(request):
    post, access = request.POST, request.org_access
    return (
        get_or_404(visible_to(Round.objects.all(), access, round_field="id"), post.get("round")),
        get_or_404(visible_to(Target.objects.all(), access, target_field="id"), post.get("target")),
    )


def finding_create(request):
    require_post(request)
    post, back = request.POST, reverse("findings:index")
    round, target = _round_target(request)
    if post.get("from") == "round":  # the page narrowed to this round: back there
        back = f"{back}?round={round.pk}"
    category = FindingCategory.objects.filter(pk=post.get("category") or 0).first()
    return run_service(
        request,
        services.finding_create,
        success=_("Finding recorded."),
        redirect_to=back,
        actor=request.user,
        access=request.org_access,
        round=round,
        target=target,
        category=category,
        title=post.get("title", ""),
        description=post.get("description", ""),
        evidence=post.get("evidence", ""),
        severity=post.get("severity", Severity.MINOR),
        fixed_on_spot=post.get("fixed_on_spot") == "on",
        fixed_on_spot_note=post.get("fixed_on_spot_note", ""),
    )[1]


@sensitive_post_parameters("summary", "persons")  # error reports never carry a clue's text
def clue_create(request):
    require_post(request)
    post, back = request.POST, reverse("findings:index")
    round, target = _round_target(request)
    category = FindingCategory.objects.filter(pk=post.get("category") or 0).first()
    persons = [{"name": name} for name in post.get("persons", "").split("；") if name.strip()]

    def recorded(result) -> str:
        if isinstance(result, ClueEscalation):  # the receipt, never the content
            return _(
                "The clue concerns this office's own leadership: it was sealed and sent to "
                "%(city)s under reference %(reference)s; nothing of it is kept here."
            ) % {"city": result.destination_name, "reference": result.reference}
        return _("Clue recorded.")

    return run_service(
        request,
        services.clue_create,
        success=recorded,
        redirect_to=back,
        actor=request.user,
        access=request.org_access,
        round=round,
        target=target,
        category=category,
        summary=post.get("summary", ""),
        persons=persons,
        concerns_own_leadership=post.get("own_leadership") == "on",
    )[1]


def leadership(request):
    """The office's register of its own leadership (本级领导干部名册)."""
    access = request.org_access
    require(is_office(access))
    if request.method == "POST":
        back = reverse("findings:leadership")
        post = request.POST
        if post.get("deactivate"):
            member = get_or_404(LeadershipMember.objects.all(), post.get("deactivate"))
            return run_service(
                request,
                escalation.leadership_member_deactivate,
                success=_("Removed from the register."),
                redirect_to=back,
                actor=request.user,
                access=access,
                member=member,
            )[1]
        return run_service(
            request,
            escalation.leadership_member_add,
            success=_("Added to the register."),
            redirect_to=back,
            actor=request.user,
            access=access,
            name=post.get("name", ""),
            post=post.get("post", ""),
            body=post.get("body", ""),
        )[1]
    return render(
        request,
        "findings/leadership.html",
        {
            "members": LeadershipMember.objects.filter(is_active=True).select_related("added_by"),
            "bodies": LeadershipBody.choices,
        },
    )


def clue_ledger(request):
    access = request.org_access
    if not _may_clue_ledger(access):
        raise PermissionDenied
    clues = (
        selectors.clue_list(actor=request.user, access=access)
        .prefetch_related("persons", "transfers__agency")
        .order_by("id")
    )
    clues = audited_list(request, clues, action=AuditAction.EXPORT)
    return file_response(clue_ledger_xlsx(clues=clues), content_type=XLSX, filename="clue-ledger.xlsx")
