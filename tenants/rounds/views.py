"""Rounds in the browser: list, create, and the round page (lifecycle buttons, teams, members, targets)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.audit.views import audited_read
from tenants.kernel.roles import ROUND_READERS, can_manage
from tenants.kernel.views import form_submit, paginated, role_required, run_service
from tenants.rounds import lifecycle
from tenants.rounds.forms import AuthoriseForm, MemberForm, RoundForm, TeamForm, TeamTargetForm, TransitionForm
from tenants.rounds.models import RoundState, Team, TeamMember, TeamTarget
from tenants.rounds.sections import round_sections
from tenants.rounds.selectors import (
    round_authorised_experts,
    round_deadlines,
    round_get_for,
    round_list_for,
    round_teams,
)
from tenants.rounds.services import (
    round_create,
    round_expert_authorise,
    round_transition,
    round_update,
    team_create,
    team_member_add,
    team_member_remove,
    team_target_add,
    team_target_remove,
)


def _can_read(access) -> bool:
    return access.has_role(*ROUND_READERS)


def _round_url(request, round) -> str:
    return reverse("rounds-detail", args=[round.pk])


@role_required(_can_read)
def round_list_page(request):
    rounds = round_list_for(actor=request.user, access=request.org_access).select_related("annual_plan")
    return render(
        request,
        "rounds/list.html",
        {"rounds": paginated(request, rounds), "can_manage": can_manage(request.org_access)},
    )


@role_required(can_manage)
def round_edit_page(request, pk: int | None = None):
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk) if pk else None
    form = RoundForm(instance=round, clearance=request.org_access.clearance)
    if request.method == "POST":
        form = RoundForm(request.POST, instance=round, clearance=request.org_access.clearance)

        def save(data):
            if round:
                return round_update(round=round, actor=request.user, **data)
            return round_create(name=data.pop("name"), kind=data.pop("kind"), actor=request.user, **data)

        saved = form_submit(
            request, form, save, success=_("Saved."), redirect_to=lambda saved: _round_url(request, saved)
        )
        if saved:
            return saved
    return render(request, "rounds/edit.html", {"form": form, "round": round})


@role_required(_can_read)
def round_detail_page(request, pk: int):
    access = request.org_access
    round = audited_read(request, round_get_for(actor=request.user, access=access, pk=pk))
    next_state = lifecycle.next_state(round.state)
    can_move = bool(next_state) and access.has_role(*lifecycle.TRANSITION_ROLES.get(next_state, ()))
    manage = can_manage(access)
    teams_editable = manage and round.state in lifecycle.TEAM_EDIT_STATES
    members_editable = manage and round.state in lifecycle.MEMBER_EDIT_STATES
    targets_removable = manage and round.state in lifecycle.TARGET_REMOVE_STATES
    return render(
        request,
        "rounds/detail.html",
        {
            "round": round,
            "sections": round_sections(request=request, round=round),
            "teams": round_teams(round=round, access=access),
            "deadlines": round_deadlines(round=round),
            "transitions": round.transitions.select_related("by"),
            "states": RoundState.choices,
            "next_state": next_state,
            "next_state_label": RoundState(next_state).label if next_state else "",
            "can_move": can_move,
            "transition_form": TransitionForm(initial={"to_state": next_state}),
            "can_manage": manage,
            "teams_editable": teams_editable,
            "members_editable": members_editable,
            "targets_removable": targets_removable,
            "authorised": round_authorised_experts(round=round),
            "team_form": TeamForm(),
            "authorise_form": AuthoriseForm(round=round),
            "member_form": MemberForm(round=round),
            "target_form": TeamTargetForm(round=round),
        },
    )


@require_POST
@role_required(_can_read)
def round_transition_view(request, pk: int):
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        return run_service(
            request,
            round_transition,
            success=lambda moved: _("The round is now: %(state)s") % {"state": RoundState(moved.state).label},
            redirect_to=_round_url(request, round),
            round=round,
            to_state=form.cleaned_data["to_state"],
            actor=request.user,
            access=request.org_access,
            note=form.cleaned_data["note"],
        )[1]
    return redirect(_round_url(request, round))


@require_POST
@role_required(can_manage)
def team_create_view(request, pk: int):
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    form = TeamForm(request.POST)
    if form.is_valid():
        return run_service(
            request,
            team_create,
            success=None,
            redirect_to=_round_url(request, round),
            round=round,
            name=form.cleaned_data["name"],
        )[1]
    return redirect(_round_url(request, round))


@require_POST
@role_required(can_manage)
def expert_authorise_view(request, pk: int):
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    form = AuthoriseForm(request.POST, round=round)
    return _choice_post(request, form, round_expert_authorise, refusal=_("Choose a person from the pool."), round=round)


def _choice_post(request, form, service, *, refusal: str, round=None, team=None):
    """A round page's small choice form (a person, a unit) posted: nothing chosen is `refusal`; else
    `service(<round or team>=, actor=, **the choice)`, its refusal shown as a message; back to the round."""
    back = _round_url(request, round or team.round)
    if not form.is_valid():
        messages.error(request, refusal)
        return redirect(back)
    scope = {"round": round} if round is not None else {"team": team}
    return run_service(
        request, service, success=None, redirect_to=back, actor=request.user, **scope, **form.cleaned_data
    )[1]


def _team(request, pk: int, team_pk: int) -> Team:
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    return get_object_or_404(Team, pk=team_pk, round=round)


@require_POST
@role_required(can_manage)
def member_add_view(request, pk: int, team_pk: int):
    team = _team(request, pk, team_pk)
    form = MemberForm(request.POST, round=team.round)
    return _choice_post(
        request, form, team_member_add, refusal=_("Choose a person authorised for this round."), team=team
    )


@require_POST
@role_required(can_manage)
def member_remove_view(request, pk: int, team_pk: int, member_pk: int):
    team = _team(request, pk, team_pk)
    return run_service(
        request,
        team_member_remove,
        success=None,
        redirect_to=_round_url(request, team.round),
        member=get_object_or_404(TeamMember, pk=member_pk, team=team),
        actor=request.user,
    )[1]


@require_POST
@role_required(can_manage)
def target_add_view(request, pk: int, team_pk: int):
    team = _team(request, pk, team_pk)
    form = TeamTargetForm(request.POST, round=team.round)
    return _choice_post(
        request, form, team_target_add, refusal=_("Choose a target not yet assigned in this round."), team=team
    )


@require_POST
@role_required(can_manage)
def target_remove_view(request, pk: int, team_pk: int, assignment_pk: int):
    team = _team(request, pk, team_pk)
    return run_service(
        request,
        team_target_remove,
        success=None,
        redirect_to=_round_url(request, team.round),
        team_target=get_object_or_404(TeamTarget, pk=assignment_pk, team=team),
        actor=request.user,
    )[1]
