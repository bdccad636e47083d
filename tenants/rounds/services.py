"""Rounds: creation, the lifecycle, teams, members (with avoidance) and targets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sync.outbox import record_changed
from tenants.experts.models import Expert
from tenants.experts.services import avoidance_check
from tenants.office.models import OfficeSettings
from tenants.office.workdays import working_days_between
from tenants.rounds import lifecycle
from tenants.rounds.kind_hooks import behaviour_for
from tenants.rounds.models import (
    MemberRole,
    Round,
    RoundExpert,
    RoundKind,
    RoundState,
    RoundTransition,
    Team,
    TeamMember,
    TeamTarget,
)
from tenants.rounds.signals import round_transitioned
from tenants.targets.models import Target

ROUND_FIELDS = ("name", "kind", "topic", "annual_plan", "look_back_of", "onsite_start", "onsite_end", "classification")


def _check_round(round: Round) -> None:
    if round.kind not in RoundKind.values:
        raise ValidationError({"kind": _("Unknown round kind.")})
    round.full_clean(exclude=["created_by"])
    problems = behaviour_for(round.kind).round_problems(round=round)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def round_create(*, name: str, kind: str, actor, **fields) -> Round:
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    round = Round(name=name, kind=kind, created_by=actor, **fields)
    _check_round(round)
    round.save()
    record_changed(instance=round)  # the schedule goes down/to the province, progress up (sync policy)
    return round


def _after_change(round: Round, actor, *, kinds=()) -> None:
    """Let the round's kind (and a kind it just left) re-derive what follows the round's current state."""
    for kind in dict.fromkeys((*kinds, round.kind)):
        behaviour_for(kind).after_change(round=round, actor=actor)


def rounds_follow_expert(*, expert: Expert, actor, **_signal) -> None:
    """The sign-in linked to a pool member changed (experts' `expert_user_changed`): what their rounds give
    that person follows it (a cross-county grant moves to the new sign-in, the old one loses it)."""
    for round in Round.objects.filter(teams__members__expert=expert).distinct():
        _after_change(round, actor)


WINDOW_OPTIONAL_STATES = (RoundState.PLANNED, RoundState.TEAM_FORMED)


def window_required(round: Round) -> bool:
    """From 进驻动员 on, a round has an on-site window: the edit page refuses to clear it. The service itself
    accepts a cleared window (everything derived from it then fails closed), so no state can be stuck."""
    return round.state not in WINDOW_OPTIONAL_STATES


@transaction.atomic
def round_update(*, round: Round, actor=None, **fields) -> Round:
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.state in (RoundState.CLOSED, RoundState.ARCHIVED):
        raise ValidationError(_("A closed round cannot be edited."))
    if "kind" in fields and fields["kind"] != round.kind and round.state != RoundState.PLANNED:
        raise ValidationError(_("The kind of a round can only change while it is planned."))
    kind_before = round.kind
    for name, value in fields.items():
        setattr(round, name, value)
    _check_round(round)
    round.save()
    record_changed(instance=round)
    _after_change(round, actor, kinds=(kind_before,))
    return round


def _transition_problems(round: Round, to_state: str) -> list[str]:
    problems: list[str] = []
    if to_state == RoundState.TEAM_FORMED:
        teams = list(round.teams.prefetch_related("members", "team_targets"))
        if not teams:
            problems.append(_("Form at least one team first."))
        for team in teams:
            if team.leader is None:
                problems.append(_("Team %(team)s has no leader.") % {"team": team.name})
            if not team.team_targets.all():
                problems.append(_("Team %(team)s has no target.") % {"team": team.name})
    if to_state == RoundState.ANNOUNCED and not (round.onsite_start and round.onsite_end):
        problems.append(_("Set the on-site window before announcing the round."))
    problems += behaviour_for(round.kind).transition_problems(
        round=round, to_state=to_state, office_settings=OfficeSettings.current()
    )
    return problems


def _record_inspection(round: Round) -> None:
    """On leaving the site, the round's targets count as inspected (coverage)."""
    inspected_on = round.onsite_end or timezone.localdate()
    targets = Target.objects.filter(team_assignments__round=round).select_for_update()
    for target in targets:
        if target.last_inspected_on is None or target.last_inspected_on <= inspected_on:
            target.last_inspected_on = inspected_on
            target.last_inspected_round = round.name[:200]
            target.save(update_fields=["last_inspected_on", "last_inspected_round"])


@transaction.atomic
def round_transition(*, round: Round, to_state: str, actor, access, note: str = "") -> Round:
    """Move a round to `to_state`, if legal, allowed to this user, and its conditions hold; logged."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    from_state = round.state
    if to_state not in RoundState.values:
        raise ValidationError(_("Unknown round state."), code="unknown_state")
    if not lifecycle.is_legal(from_state, to_state):
        raise ValidationError(
            _("A round cannot go from “%(from)s” to “%(to)s”.")
            % {"from": RoundState(from_state).label, "to": RoundState(to_state).label},
            code="illegal_transition",
        )
    allowed = lifecycle.TRANSITION_ROLES.get(to_state, ())
    if not access.has_role(*allowed):
        raise ValidationError(
            _("Your role may not move a round to “%(to)s”.") % {"to": RoundState(to_state).label}, code="not_allowed"
        )
    if to_state == RoundState.FEEDBACK and not note.strip():
        raise ValidationError(_("Record the leading group's decision in the note."), code="note_required")
    problems = _transition_problems(round, to_state)
    if problems:
        raise ValidationError([ValidationError(problem, code="conditions") for problem in problems])
    round.state = to_state
    round.state_changed_at = timezone.now()
    round.save(update_fields=["state", "state_changed_at"])
    RoundTransition.objects.create(round=round, from_state=from_state, to_state=to_state, by=actor, note=note)
    if to_state == RoundState.REPORTING:
        _record_inspection(round)
    behaviour_for(round.kind).after_transition(round=round, from_state=from_state, to_state=to_state, actor=actor)
    round_transitioned.send(sender=Round, round=round, from_state=from_state, to_state=to_state, actor=actor)
    return round


def _lock_round(round_id: int) -> Round:
    return Round.objects.select_for_update().get(pk=round_id)


@transaction.atomic
def team_create(*, round: Round, name: str) -> Team:
    round = _lock_round(round.pk)
    if round.state not in lifecycle.TEAM_EDIT_STATES:
        raise ValidationError(_("Teams can only be formed before the round is announced."), code="state")
    if not name.strip():
        raise ValidationError({"name": _("A team needs a name.")})
    if Team.objects.filter(round=round, name=name.strip()).exists():
        raise ValidationError({"name": _("This round already has a team with that name.")}, code="duplicate")
    return Team.objects.create(round=round, name=name.strip())


@transaction.atomic
def team_delete(*, team: Team, actor=None) -> None:
    round = _lock_round(team.round_id)
    if round.state not in lifecycle.TEAM_EDIT_STATES:
        raise ValidationError(_("Teams can only be changed before the round is announced."), code="state")
    team.delete()
    _after_change(round, actor)


@transaction.atomic
def round_expert_authorise(*, round: Round, expert: Expert, actor) -> RoundExpert:
    round = _lock_round(round.pk)
    if round.state in (RoundState.CLOSED, RoundState.ARCHIVED):
        raise ValidationError(_("A closed round takes no more people."), code="state")
    if not expert.is_active:
        raise ValidationError(_("This expert is no longer active in the pool."), code="inactive")
    authorisation, _created = RoundExpert.objects.get_or_create(
        round=round, expert=expert, defaults={"authorised_by": actor}
    )
    return authorisation


@transaction.atomic
def round_expert_revoke(*, round: Round, expert: Expert) -> None:
    round = _lock_round(round.pk)
    if TeamMember.objects.filter(round=round, expert=expert).exists():
        raise ValidationError(_("Take the person off their team before revoking the authorisation."))
    RoundExpert.objects.filter(round=round, expert=expert).delete()


@transaction.atomic
def team_member_add(*, team: Team, expert: Expert, role: str = MemberRole.MEMBER, actor) -> TeamMember:
    """Put `expert` on `team`; refused (ValidationError naming the rule) on an avoidance conflict."""
    round = _lock_round(team.round_id)
    if round.state not in lifecycle.MEMBER_EDIT_STATES:
        raise ValidationError(_("Members can no longer be changed in this state."), code="state")
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Unknown team role.")})
    if not RoundExpert.objects.filter(round=round, expert=expert).exists():
        raise ValidationError(
            _("%(expert)s is not authorised for this round.") % {"expert": expert.name}, code="not_authorised"
        )
    if TeamMember.objects.filter(round=round, expert=expert).exists():
        raise ValidationError(
            _("%(expert)s is already on a team of this round.") % {"expert": expert.name}, code="already_member"
        )
    if role == MemberRole.LEADER and TeamMember.objects.filter(team=team, role=MemberRole.LEADER).exists():
        raise ValidationError(_("This team already has a leader."), code="leader_exists")
    avoidance_check(expert=expert, targets=Target.objects.filter(team_assignments__team=team))
    problems = behaviour_for(round.kind).member_problems(round=round, expert=expert)
    if problems:
        raise ValidationError(problems, code="kind")
    member = TeamMember.objects.create(team=team, round=round, expert=expert, role=role, added_by=actor)
    _after_change(round, actor)
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, actor=None) -> None:
    round = _lock_round(member.round_id)
    if round.state not in lifecycle.MEMBER_EDIT_STATES:
        raise ValidationError(_("Members can no longer be changed in this state."), code="state")
    member.delete()
    _after_change(round, actor)


@transaction.atomic
def team_target_add(*, team: Team, target: Target, actor=None) -> TeamTarget:
    """Assign a target to a team: at most the kind's limit per team, one team per target in a round,
    and no member of the team may have an avoidance conflict with it."""
    round = _lock_round(team.round_id)
    if round.state not in lifecycle.TEAM_EDIT_STATES:
        raise ValidationError(_("Targets can only be assigned before the round is announced."), code="state")
    if not target.is_active:
        raise ValidationError(_("This target is inactive."), code="inactive")
    limit = behaviour_for(round.kind).max_targets_per_team
    if TeamTarget.objects.filter(team=team).count() >= limit:
        raise ValidationError(_("A team inspects at most %(limit)s targets.") % {"limit": limit}, code="too_many")
    if TeamTarget.objects.filter(round=round, target=target).exists():
        raise ValidationError(
            _("%(target)s is already assigned to a team in this round.") % {"target": target.name}, code="target_taken"
        )
    for member in TeamMember.objects.filter(team=team).select_related("expert"):
        avoidance_check(expert=member.expert, targets=[target])
    problems = behaviour_for(round.kind).target_problems(round=round, target=target)
    if problems:
        raise ValidationError(problems, code="kind")
    try:
        with transaction.atomic():
            assignment = TeamTarget.objects.create(team=team, round=round, target=target)
    except IntegrityError:
        raise ValidationError(
            _("%(target)s is already assigned to a team in this round.") % {"target": target.name}, code="target_taken"
        ) from None
    _after_change(round, actor)
    return assignment


@transaction.atomic
def team_target_remove(*, team_target: TeamTarget, actor=None) -> None:
    """Take a target off its team: until the team leaves the site (a unit withdrawn from the round, an
    avoidance found late); assigning one is possible only before the round is announced."""
    round = _lock_round(team_target.round_id)
    if round.state not in lifecycle.TARGET_REMOVE_STATES:
        raise ValidationError(_("Targets can no longer be changed in this state."), code="state")
    team_target.delete()
    _after_change(round, actor)


def onsite_window_working_days(*, round: Round) -> tuple[int, bool] | None:
    if not (round.onsite_start and round.onsite_end):
        return None
    return working_days_between(start=round.onsite_start, end=round.onsite_end)


__all__ = [
    "round_create",
    "round_update",
    "round_transition",
    "team_create",
    "team_delete",
    "round_expert_authorise",
    "round_expert_revoke",
    "team_member_add",
    "team_member_remove",
    "team_target_add",
    "team_target_remove",
    "onsite_window_working_days",
]
