"""Round behaviours of 提级 (elevated), 交叉 (cross-county) and 联动 (linked) rounds, plugged into
tenants.rounds.kind_hooks. They run inside round_transition's transaction."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.crossorg import services
from tenants.crossorg.models import RoundArrangement
from tenants.rounds.kind_hooks import KindBehaviour, register
from tenants.rounds.models import RoundKind, RoundState, TeamMember, TeamTarget


def _arrangement(round):
    return RoundArrangement.objects.filter(round=round).first()


def _region_in(region_code: str, county_code: str) -> bool:
    """Region codes are 6/9/12 digits; a county's own code is the prefix of everything inside it."""
    return bool(region_code) and bool(county_code) and region_code.startswith(county_code)


def _targets_outside_host(round, host: str) -> list[str]:
    return [
        tt.target.name
        for tt in TeamTarget.objects.filter(round=round).select_related("target")
        if tt.target.managing_org_code != host
    ]


def _outside_host_problem(round, target) -> list[str]:
    arrangement = _arrangement(round)
    if arrangement is None or not arrangement.host_org_code or target.managing_org_code == arrangement.host_org_code:
        return []
    if round.kind == RoundKind.ELEVATED:
        return [
            _("An elevated round inspects units managed by one county only: %(names)s are not.")
            % {"names": target.name}
        ]
    return [
        _("A cross-county round inspects units of the inspected county only: %(names)s are not.")
        % {"names": target.name}
    ]


def cross_member_problems(*, expert, arrangement) -> list[str]:
    """交叉巡察 region avoidance for one person: from the team's home county A, never from the inspected B."""
    region = expert.home_region_code
    if _region_in(region, arrangement.host_org_code):
        return [_("Region avoidance (地域回避): %(name)s comes from the inspected county.") % {"name": expert.name}]
    if not _region_in(region, arrangement.home_org_code):
        return [_("%(name)s is not from the team's home county.") % {"name": expert.name}]
    return []


class _SharedKind(KindBehaviour):
    def after_transition(self, *, round, from_state: str, to_state: str, actor) -> None:
        services.round_kind_after_transition(round=round, from_state=from_state, to_state=to_state, actor=actor)


class ElevatedBehaviour(_SharedKind):
    kind = RoundKind.ELEVATED

    def target_problems(self, *, round, target) -> list[str]:
        return _outside_host_problem(round, target)

    def transition_problems(self, *, round, to_state: str, office_settings) -> list[str]:
        problems = super().transition_problems(round=round, to_state=to_state, office_settings=office_settings)
        arrangement = _arrangement(round)
        if arrangement is None or not arrangement.host_org_code:
            return problems + [_("An elevated round names the county that manages its targets.")]
        if to_state == RoundState.TEAM_FORMED:
            outside = _targets_outside_host(round, arrangement.host_org_code)
            if outside:
                problems.append(
                    _("An elevated round inspects units managed by one county only: %(names)s are not.")
                    % {"names": "、".join(outside)}
                )
        return problems


class CrossCountyBehaviour(_SharedKind):
    kind = RoundKind.CROSS

    def member_problems(self, *, round, expert) -> list[str]:
        arrangement = _arrangement(round)
        if arrangement is None or not arrangement.host_org_code or not arrangement.home_org_code:
            return []  # refused at the transition, which names what the arrangement lacks
        return cross_member_problems(expert=expert, arrangement=arrangement)

    def target_problems(self, *, round, target) -> list[str]:
        return _outside_host_problem(round, target)

    def after_change(self, *, round, actor) -> None:
        """The team's access to the city follows the round's current window, team and targets."""
        services.cross_round_grants_sync(round=round, actor=actor)

    def transition_problems(self, *, round, to_state: str, office_settings) -> list[str]:
        problems = super().transition_problems(round=round, to_state=to_state, office_settings=office_settings)
        arrangement = _arrangement(round)
        if arrangement is None or not arrangement.host_org_code or not arrangement.home_org_code:
            return problems + [_("A cross-county round names the team's home county and the inspected county.")]
        if to_state in (RoundState.TEAM_FORMED, RoundState.ANNOUNCED, RoundState.ON_SITE):
            problems += cross_team_problems(round=round, arrangement=arrangement)
        return problems


def cross_team_problems(*, round, arrangement) -> list[str]:
    """交叉巡察 avoidance for the whole team, again at each transition (checked one by one when members and
    targets are added, but a pool member's home region may have been edited since): targets of county B
    only; every member from county A; nobody from B."""
    problems = []
    outside = _targets_outside_host(round, arrangement.host_org_code)
    if outside:
        problems.append(
            _("A cross-county round inspects units of the inspected county only: %(names)s are not.")
            % {"names": "、".join(outside)}
        )
    for member in TeamMember.objects.filter(round=round).select_related("expert"):
        problems += cross_member_problems(expert=member.expert, arrangement=arrangement)
    return problems


class LinkedBehaviour(_SharedKind):
    kind = RoundKind.LINKED
    enforce_min_onsite_days = True


for _behaviour in (ElevatedBehaviour(), CrossCountyBehaviour(), LinkedBehaviour()):
    register(_behaviour)
