"""Web pages for in-round work: thin, every change through tenants.inround.services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tenants.attachments.selectors import attachments_by_record
from tenants.audit.views import audited_list, audited_read
from tenants.inround import selectors, services
from tenants.inround.models import Petition
from tenants.kernel.access import is_office
from tenants.kernel.lookups import get_or_404
from tenants.kernel.roles import TEAM_ROLES
from tenants.kernel.views import paginated, require_post, run_service
from tenants.rounds.access import can_see_informant, may_write_round, writable_rounds
from tenants.rounds.models import Round
from tenants.targets.models import Target
from xuncha.clearance import visible_to

KINDS = {
    "interview": selectors.interview_list,
    "petition": selectors.petition_list,
    "paper": selectors.working_paper_list,
}


def _require_inround_user(access):
    if not (is_office(access) or access.has_role(*TEAM_ROLES)):
        raise PermissionDenied


def index(request):
    access = request.org_access
    _require_inround_user(access)
    user = request.user
    # The forms offer only the rounds this person may record in (the services' own check), and their units.
    rounds = list(
        writable_rounds(visible_to(Round.objects.all(), access, round_field="id"), actor=user, access=access)[:50]
    )
    targets = (
        visible_to(Target.objects.all(), access, target_field="id")
        .filter(team_assignments__round__in=rounds)
        .distinct()
    )
    return render(
        request,
        "inround/index.html",
        {
            "requests": paginated(
                request, selectors.information_request_list(actor=user, access=access), param="requests"
            ),
            "interviews": _audited_page(request, selectors.interview_list(actor=user, access=access), "interviews"),
            "petitions": _audited_page(request, selectors.petition_list(actor=user, access=access), "petitions"),
            "papers": paginated(request, selectors.working_paper_list(actor=user, access=access), param="papers"),
            "rounds": rounds,
            "targets": targets[:200],
            "channels": Petition.Channel.choices,
            "may_record": {
                "interview": bool(rounds) and access.cleared_for(services.INTERVIEW_LEVEL),
                "petition": bool(rounds) and access.cleared_for(services.PETITION_LEVEL),
                "paper": bool(rounds) and access.cleared_for(services.PAPER_LEVEL),
            },
        },
    )


def _audited_page(request, records, param: str):
    """One page of classified records; those it shows are logged as read."""
    page = paginated(request, records, param=param)
    page.object_list = audited_list(request, page.object_list)
    return page


def record_detail(request, kind, pk):
    access = request.org_access
    _require_inround_user(access)
    if kind not in KINDS:
        raise PermissionDenied
    record = audited_read(request, get_or_404(KINDS[kind](actor=request.user, access=access), pk))
    informant = None
    entitled = kind != "paper" and can_see_informant(actor=request.user, access=access, round_id=record.round_id)
    if entitled:
        informant = services.informant_disclose(request=request, access=access, record=record)
    context = {"kind": kind, "record": record, "informant": informant, "entitled": entitled}
    if kind == "paper":
        context["attachments"] = attachments_by_record(records=[record]).get(str(record.pk), [])
        context["may_change_files"] = record.status != record.Status.APPROVED and may_write_round(
            actor=request.user, access=access, round_id=record.round_id
        )
    return render(request, "inround/record.html", context)


def record_create(request, kind):
    require_post(request)
    access = request.org_access
    _require_inround_user(access)
    post = request.POST
    back = reverse("inround:index")
    round = get_or_404(visible_to(Round.objects.all(), request.org_access, round_field="id"), post.get("round"))
    target = get_or_404(visible_to(Target.objects.all(), request.org_access, target_field="id"), post.get("target"))
    informant = (
        {
            "name": post.get("informant_name", ""),
            "position": post.get("informant_position", ""),
            "contact": post.get("informant_contact", ""),
        }
        if post.get("informant_name")
        else None
    )
    common = {"actor": request.user, "access": access, "round": round, "target": target, "redirect_to": back}
    if kind == "interview":
        return run_service(
            request,
            services.interview_record,
            success=_("Interview recorded."),
            dates={"held_on": post.get("date")},
            summary=post.get("summary", ""),
            informant=informant,
            **common,
        )[1]
    if kind == "petition":
        return run_service(
            request,
            services.petition_record,
            success=_("Petition recorded."),
            dates={"received_on": post.get("date")},
            channel=post.get("channel", ""),
            summary=post.get("summary", ""),
            informant=informant,
            **common,
        )[1]
    if kind == "paper":
        return run_service(
            request,
            services.working_paper_create,
            success=_("Working paper saved."),
            title=post.get("title", ""),
            content=post.get("content", ""),
            files=request.FILES.getlist("files"),
            **common,
        )[1]
    raise PermissionDenied


def paper_step(request, pk, step):
    require_post(request)
    access = request.org_access
    paper = get_or_404(selectors.working_paper_list(actor=request.user, access=access), pk)
    back = reverse("inround:record", args=["paper", paper.pk])
    if step == "submit":
        return run_service(
            request,
            services.working_paper_submit,
            success=_("Submitted for approval."),
            redirect_to=back,
            actor=request.user,
            access=access,
            paper=paper,
        )[1]
    if step == "files":
        return run_service(
            request,
            services.working_paper_files_add,
            success=_("Files attached."),
            redirect_to=back,
            actor=request.user,
            access=access,
            paper=paper,
            files=request.FILES.getlist("files"),
        )[1]
    if step in ("approve", "return"):
        return run_service(
            request,
            services.working_paper_decide,
            success=_("Decision recorded."),
            redirect_to=back,
            actor=request.user,
            access=access,
            paper=paper,
            approve=step == "approve",
            reason=request.POST.get("reason", ""),
        )[1]
    raise PermissionDenied


def paper_file_remove(request, pk, file_id):
    require_post(request)
    access = request.org_access
    paper = get_or_404(selectors.working_paper_list(actor=request.user, access=access), pk)
    return run_service(
        request,
        services.working_paper_file_remove,
        success=_("The file has been removed."),
        redirect_to=reverse("inround:record", args=["paper", paper.pk]),
        actor=request.user,
        access=access,
        paper=paper,
        file_id=file_id,
    )[1]
