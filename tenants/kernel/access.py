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

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from shared.accounts.models import Classification, Role
from tenants.kernel.roles import INFORMANT_IDENTITY_ROLES, LEADING_GROUP, MANAGERS, TEAM_ROLES

if TYPE_CHECKING:
    from shared.accounts.models import User
    from shared.accounts.selectors import OrganizationAccess

    Person = User  # a signed-in person (the views and API let no one else this far)

M = TypeVar("M", bound=Model)


def is_office(access: OrganizationAccess) -> bool:
    return access.has_role(*MANAGERS)


def is_reader(access: OrganizationAccess) -> bool:
    return access.has_role(*LEADING_GROUP)


def team_round_ids(*, user: Person) -> set[int]:
    """Rounds on whose team the user sits (as leader or member)."""
    from tenants.rounds.models import TeamMember

    return set(TeamMember.objects.filter(expert__user=user).values_list("round_id", flat=True))


def led_round_ids(*, user: Person) -> set[int]:
    """Rounds whose team the user leads."""
    from tenants.rounds.models import MemberRole, TeamMember

    return set(TeamMember.objects.filter(expert__user=user, role=MemberRole.LEADER).values_list("round_id", flat=True))


def round_scope(*, user: Person, access: OrganizationAccess) -> set[int] | None:
    """None = every round (office and readers); otherwise the round ids the user works on."""
    if is_office(access) or is_reader(access):
        return None
    if access.has_role(*TEAM_ROLES):
        return team_round_ids(user=user)
    return set()


def target_in_round(*, round_obj: Any, target: Any) -> bool:
    from tenants.rounds.models import TeamTarget

    return TeamTarget.objects.filter(round=round_obj, target=target).exists()


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def require_office(access: OrganizationAccess) -> None:
    require(is_office(access))


def writable_round_ids(*, user: Person, access: OrganizationAccess) -> set[int] | None:
    """Rounds whose in-round records (findings, clues, interviews, items...) this person may write:
    None = every round (the office); a team's people, their team's rounds; anyone else, none."""
    if is_office(access):
        return None
    if access.has_role(*TEAM_ROLES):
        return team_round_ids(user=user)
    return set()


def may_write_round(*, user: Person, access: OrganizationAccess, round_id: int) -> bool:
    ids = writable_round_ids(user=user, access=access)
    return ids is None or round_id in ids


def writable_rounds(queryset: QuerySet[M], *, user: Person, access: OrganizationAccess) -> QuerySet[M]:
    """A queryset of rounds narrowed to those the person may write into (what a form may offer)."""
    ids = writable_round_ids(user=user, access=access)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def require_team_or_office(*, user: Person, access: OrganizationAccess, round_id: int) -> None:
    """Writes on in-round records: the office, or a member of that round's team."""
    require(may_write_round(user=user, access=access, round_id=round_id))


def require_cleared(access: OrganizationAccess, level: int) -> None:
    require(access.cleared_for(level))


def can_see_informant(*, user: Person, access: OrganizationAccess, round_id: int) -> bool:
    if not access.cleared_for(Classification.CONFIDENTIAL):
        return False
    if is_office(access) and access.has_role(*INFORMANT_IDENTITY_ROLES):
        return True
    return access.has_role(Role.TEAM_LEADER) and round_id in led_round_ids(user=user)
