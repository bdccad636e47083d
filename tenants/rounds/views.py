"""Rounds in the browser: list, create, and the round page (lifecycle buttons, teams, members, targets)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.audit.views import audited_read
from tenants.kernel.roles import ROUND_READERS, can_manage
from tenants.kernel.views import attach_errors, paginated, role_required
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


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


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
        if form.is_valid():
            try:
                if round:
                    round = round_update(round=round, actor=request.user, **form.cleaned_data)
                else:
                    data = dict(form.cleaned_data)
                    round = round_create(name=data.pop("name"), kind=data.pop("kind"), actor=request.user, **data)
                messages.success(request, _("Saved."))
                return redirect(_round_url(request, round))
            except ValidationError as error:
                attach_errors(form, error)
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
        try:
            round = round_transition(
                round=round,
                to_state=form.cleaned_data["to_state"],
                actor=request.user,
                access=request.org_access,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The round is now: %(state)s") % {"state": RoundState(round.state).label})
        except ValidationError as error:
            _flash(request, error)
    return redirect(_round_url(request, round))


@require_POST
@role_required(can_manage)
def team_create_view(request, pk: int):
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team_create(round=round, name=form.cleaned_data["name"])
        except ValidationError as error:
            _flash(request, error)
    return redirect(_round_url(request, round))


@require_POST
@role_required(can_manage)
def expert_authorise_view(request, pk: int):
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    form = AuthoriseForm(request.POST, round=round)
    if form.is_valid():
        try:
            round_expert_authorise(round=round, expert=form.cleaned_data["expert"], actor=request.user)
        except ValidationError as error:
            _flash(request, error)
    else:
        messages.error(request, _("Choose a person from the pool."))
    return redirect(_round_url(request, round))


def _team(request, pk: int, team_pk: int) -> Team:
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    return get_object_or_404(Team, pk=team_pk, round=round)


@require_POST
@role_required(can_manage)
def member_add_view(request, pk: int, team_pk: int):
    team = _team(request, pk, team_pk)
    form = MemberForm(request.POST, round=team.round)
    if form.is_valid():
        try:
            team_member_add(
                team=team, expert=form.cleaned_data["expert"], role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            _flash(request, error)
    else:
        messages.error(request, _("Choose a person authorised for this round."))
    return redirect(_round_url(request, team.round))


@require_POST
@role_required(can_manage)
def member_remove_view(request, pk: int, team_pk: int, member_pk: int):
    team = _team(request, pk, team_pk)
    try:
        team_member_remove(member=get_object_or_404(TeamMember, pk=member_pk, team=team), actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    return redirect(_round_url(request, team.round))


@require_POST
@role_required(can_manage)
def target_add_view(request, pk: int, team_pk: int):
    team = _team(request, pk, team_pk)
    form = TeamTargetForm(request.POST, round=team.round)
    if form.is_valid():
        try:
            team_target_add(team=team, target=form.cleaned_data["target"], actor=request.user)
        except ValidationError as error:
            _flash(request, error)
    else:
        messages.error(request, _("Choose a target not yet assigned in this round."))
    return redirect(_round_url(request, team.round))


@require_POST
@role_required(can_manage)
def target_remove_view(request, pk: int, team_pk: int, assignment_pk: int):
    team = _team(request, pk, team_pk)
    try:
        team_target_remove(team_target=get_object_or_404(TeamTarget, pk=assignment_pk, team=team), actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    return redirect(_round_url(request, team.round))
