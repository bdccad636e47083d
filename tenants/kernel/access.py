"""Who may reach which inspection-work records inside one organisation.

One place for the role rules shared by the in-round, findings, transfers and
rectification apps, so that pages, API and exports filter the same way:

- office_admin / office_staff manage everything up to their clearance;
- team_leader / team_member work on the rounds whose team they are on;
- leading_group reads (up to its clearance); province_viewer sees none of these;
- unit_liaison sees its own units' feedback and rectification items;
- agency_receiver sees transfers addressed to its agencies.
Nobody sees a record classified above their clearance.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from shared.accounts.models import Classification, Role
from tenants.kernel.roles import MANAGERS as OFFICE_ROLES  # one definition of the office roles for the whole project
from tenants.kernel.roles import TEAM_ROLES

READER_ROLES = (Role.LEADING_GROUP,)
# Informant identities: only the organising office's cleared officers and the round's team leader.
INFORMANT_IDENTITY_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.TEAM_LEADER)


def is_office(access) -> bool:
    return access.has_role(*OFFICE_ROLES)


def is_reader(access) -> bool:
    return access.has_role(*READER_ROLES)


def team_round_ids(*, user) -> set[int]:
    """Rounds on whose team the user sits (as leader or member)."""
    from tenants.rounds.models import TeamMember

    return set(TeamMember.objects.filter(expert__user=user).values_list("round_id", flat=True))


def led_round_ids(*, user) -> set[int]:
    """Rounds whose team the user leads."""
    from tenants.rounds.models import MemberRole, TeamMember

    return set(TeamMember.objects.filter(expert__user=user, role=MemberRole.LEADER).values_list("round_id", flat=True))


def round_scope(*, user, access) -> set[int] | None:
    """None = every round (office and readers); otherwise the round ids the user works on."""
    if is_office(access) or is_reader(access):
        return None
    if access.has_role(*TEAM_ROLES):
        return team_round_ids(user=user)
    return set()


def target_in_round(*, round_obj, target) -> bool:
    from tenants.rounds.models import TeamTarget

    return TeamTarget.objects.filter(round=round_obj, target=target).exists()


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def require_office(access) -> None:
    require(is_office(access))


def writable_round_ids(*, user, access) -> set[int] | None:
    """Rounds whose in-round records (findings, clues, interviews, items...) this person may write:
    None = every round (the office); a team's people, their team's rounds; anyone else, none."""
    if is_office(access):
        return None
    if access.has_role(*TEAM_ROLES):
        return team_round_ids(user=user)
    return set()


def may_write_round(*, user, access, round_id: int) -> bool:
    ids = writable_round_ids(user=user, access=access)
    return ids is None or round_id in ids


def writable_rounds(queryset, *, user, access):
    """A queryset of rounds narrowed to those the person may write into (what a form may offer)."""
    ids = writable_round_ids(user=user, access=access)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def require_team_or_office(*, user, access, round_id: int) -> None:
    """Writes on in-round records: the office, or a member of that round's team."""
    require(may_write_round(user=user, access=access, round_id=round_id))


def require_cleared(access, level: int) -> None:
    require(access.cleared_for(level))


def can_see_informant(*, user, access, round_id: int) -> bool:
    if not access.cleared_for(Classification.CONFIDENTIAL):
        return False
    if is_office(access) and access.has_role(*INFORMANT_IDENTITY_ROLES):
        return True
    return access.has_role(Role.TEAM_LEADER) and round_id in led_round_ids(user=user)
