"""Read queries about people and what they may reach."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from shared.accounts.models import ADMINISTRATOR_ROLES, Classification, Membership


@dataclass(frozen=True)
class OrganizationAccess:
    """What one user holds in one organisation: their roles and highest clearance."""

    roles: frozenset[str]
    clearance: int
    # Set when access comes from a cross-organisation grant (交叉巡察) rather than a membership:
    # the grant's id, and the only rounds and targets (keys in this organisation) it reaches.
    grant_id: int | None = None
    round_keys: frozenset[str] | None = None
    target_keys: frozenset[str] | None = None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def has_working_role(self) -> bool:
        """A role that does the office's work; the three administrators' roles (三员分立) are not."""
        return bool(self.roles.difference(ADMINISTRATOR_ROLES))

    def cleared_for(self, level: int) -> bool:
        return self.clearance >= level

    @property
    def is_granted(self) -> bool:
        return self.grant_id is not None

    def may_see_target(self, key) -> bool:
        return self.target_keys is None or str(key) in self.target_keys

    def may_see_round(self, key) -> bool:
        return self.round_keys is None or str(key) in self.round_keys


NO_ACCESS = OrganizationAccess(roles=frozenset(), clearance=-1)


def memberships_for_user(*, person) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=person, is_active=True)
        .select_related("organization")
        .order_by("organization__code", "role")
    )


def organization_access(*, person, organization_id: int) -> OrganizationAccess:
    if not getattr(person, "is_authenticated", False):
        return NO_ACCESS
    rows = list(
        Membership.objects.filter(user=person, organization_id=organization_id, is_active=True).values_list(
            "role", "clearance"
        )
    )
    if not rows:
        return NO_ACCESS
    # An administrator's role (三员分立) reaches no case content, so its clearance does not raise what the
    # person's other roles may read.
    content = [clearance for role, clearance in rows if role not in ADMINISTRATOR_ROLES]
    return OrganizationAccess(
        roles=frozenset(role for role, _ in rows), clearance=max(content, default=Classification.PUBLIC)
    )


__all__ = ["Classification", "NO_ACCESS", "OrganizationAccess", "memberships_for_user", "organization_access"]
