"""The access rules that follow a round's team: which rounds a person works on, leads or may write into, and
who may see an informant's identity. The role sets and the rules without a round are in tenants/kernel/."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet

from shared.accounts.models import Classification, Role
from tenants.kernel.access import is_office, is_reader, require
from tenants.kernel.roles import INFORMANT_IDENTITY_ROLES, TEAM_ROLES
from tenants.rounds.models import MemberRole, TeamMember, TeamTarget

if TYPE_CHECKING:
    from shared.accounts.models import User
    from shared.accounts.selectors import OrganizationAccess

    Person = User  # a signed-in person (the views and API let no one else this far)

M = TypeVar("M", bound=Model)


def team_round_ids(*, actor: Person) -> set[int]:
    """Rounds on whose team the user sits (as leader or member)."""
    return set(TeamMember.objects.filter(expert__user=actor).values_list("round_id", flat=True))


def led_round_ids(*, actor: Person) -> set[int]:
    """Rounds whose team the user leads."""
    return set(TeamMember.objects.filter(expert__user=actor, role=MemberRole.LEADER).values_list("round_id", flat=True))


def round_scope(*, actor: Person, access: OrganizationAccess) -> set[int] | None:
    """None = every round (office and readers); otherwise the round ids the user works on."""
    if is_office(access) or is_reader(access):
        return None
    if access.has_role(*TEAM_ROLES):
        return team_round_ids(actor=actor)
    return set()


def target_in_round(*, round: Any, target: Any) -> bool:
    return TeamTarget.objects.filter(round=round, target=target).exists()


def writable_round_ids(*, actor: Person, access: OrganizationAccess) -> set[int] | None:
    """Rounds whose in-round records (findings, clues, interviews, items...) this person may write:
    None = every round (the office); a team's people, their team's rounds; anyone else, none."""
    if is_office(access):
        return None
    if access.has_role(*TEAM_ROLES):
        return team_round_ids(actor=actor)
    return set()


def may_write_round(*, actor: Person, access: OrganizationAccess, round_id: int) -> bool:
    ids = writable_round_ids(actor=actor, access=access)
    return ids is None or round_id in ids


def writable_rounds(queryset: QuerySet[M], *, actor: Person, access: OrganizationAccess) -> QuerySet[M]:
    """A queryset of rounds narrowed to those the person may write into (what a form may offer)."""
    ids = writable_round_ids(actor=actor, access=access)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def require_team_or_office(*, actor: Person, access: OrganizationAccess, round_id: int) -> None:
    """Writes on in-round records: the office, or a member of that round's team."""
    require(may_write_round(actor=actor, access=access, round_id=round_id))


def can_see_informant(*, actor: Person, access: OrganizationAccess, round_id: int) -> bool:
    if not access.cleared_for(Classification.CONFIDENTIAL):
        return False
    if is_office(access) and access.has_role(*INFORMANT_IDENTITY_ROLES):
        return True
    return access.has_role(Role.TEAM_LEADER) and round_id in led_round_ids(actor=actor)
