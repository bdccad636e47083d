"""Read queries for rounds, filtered by what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenants.kernel.roles import TEAM_ROLES, can_oversee
from tenants.office.models import HearingDeadlineMode, OfficeSettings
from tenants.office.workdays import Deadline, add_working_days, working_days_between
from tenants.rounds import lifecycle
from tenants.rounds.models import Round, RoundExpert, Team, TeamMember
from xuncha.clearance import visible_to


def round_list_for(*, actor, access) -> QuerySet[Round]:
    """Every round for the office and the leading group; only their own rounds for team members;
    nothing for anyone else. Never beyond the caller's clearance."""
    rounds = Round.objects.filter(classification__lte=max(access.clearance, -1))
    if access.is_granted:  # cross-county member let in by a grant: the granted rounds only
        return visible_to(rounds, access, round_field="id")
    if can_oversee(access):
        return rounds
    if access.has_role(*TEAM_ROLES):
        return rounds.filter(teams__members__expert__user=actor).distinct()
    return rounds.none()


def team_list_for(*, actor, access) -> QuerySet[Team]:
    """The teams of the rounds the caller may see."""
    return Team.objects.filter(round__in=round_list_for(actor=actor, access=access))


def round_get_for(*, actor, access, pk: int) -> Round:
    round = round_list_for(actor=actor, access=access).filter(pk=pk).first()
    if round is None:
        raise Http404("No such round.")
    return round


def round_teams(*, round: Round, access=None) -> list[Team]:
    teams = Team.objects.filter(round=round)
    if access is not None and access.target_keys is not None:  # granted: only the teams on granted targets
        teams = teams.filter(team_targets__target_id__in=[int(k) for k in access.target_keys]).distinct()
    return list(teams.prefetch_related("members__expert", "team_targets__target__leaders").order_by("name"))


def round_authorised_experts(*, round: Round) -> QuerySet[RoundExpert]:
    return RoundExpert.objects.filter(round=round).select_related("expert").order_by("expert__name")


def round_member_for_user(*, round: Round, person) -> TeamMember | None:
    return TeamMember.objects.filter(round=round, expert__user=person).select_related("team", "expert").first()


@dataclass(frozen=True)
class RoundDeadlines:
    onsite_working_days: int | None
    onsite_provisional: bool
    hearing: Deadline | None


def round_deadlines(*, round: Round) -> RoundDeadlines:
    settings = OfficeSettings.current()
    days, provisional = (None, False)
    if round.onsite_start and round.onsite_end:
        days, provisional = working_days_between(start=round.onsite_start, end=round.onsite_end)
    hearing = None
    if round.onsite_end:
        if settings.hearing_deadline_mode == HearingDeadlineMode.WORKING_DAYS:
            hearing = add_working_days(start=round.onsite_end, days=settings.hearing_working_days)
        else:
            hearing = Deadline(
                due=round.onsite_end + timedelta(days=settings.hearing_calendar_days),
                provisional=False,
                reason=_("%(days)s calendar days from %(start)s")
                % {"days": settings.hearing_calendar_days, "start": date_format(round.onsite_end)},
            )
    return RoundDeadlines(onsite_working_days=days, onsite_provisional=provisional, hearing=hearing)


def round_available_transition(*, round: Round) -> str | None:
    return lifecycle.next_state(round.state)
