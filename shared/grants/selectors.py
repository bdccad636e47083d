"""Which grants a person holds now, and the access they give."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from shared.accounts.selectors import OrganizationAccess
from shared.grants.models import AccessGrant


def grants_active(*, user, organization, day=None) -> QuerySet[AccessGrant]:
    """Unrevoked grants of `user` into `organization` whose window contains `day` (default: today, local)."""
    day = day or timezone.localdate()
    return AccessGrant.objects.filter(
        user=user, organization=organization, revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day,
    ).order_by("id")


def grants_active_for_user(*, user, day=None) -> QuerySet[AccessGrant]:
    """Every unrevoked grant of `user`, in any organisation, whose window contains `day` (default today)."""
    day = day or timezone.localdate()
    return AccessGrant.objects.filter(
        user=user, revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day,
    ).select_related("organization").order_by("starts_on", "id")


def grant_access_for(*, user, organization) -> OrganizationAccess | None:
    """The access hook: roles, the lowest clearance of the live grants, and the union of their
    rounds and targets. None when there is no live grant. Evaluated on every request."""
    if not getattr(user, "is_authenticated", False):
        return None
    grants = list(grants_active(user=user, organization=organization))
    if not grants:
        return None
    return OrganizationAccess(
        roles=frozenset(grant.role for grant in grants),
        clearance=min(grant.clearance for grant in grants),
        grant_id=grants[0].pk,
        round_keys=frozenset(grant.round_key for grant in grants),
        target_keys=frozenset(key for grant in grants for key in grant.target_keys),
    )


def grants_for_round(*, organization, round_key) -> QuerySet[AccessGrant]:
    return AccessGrant.objects.filter(organization=organization, round_key=str(round_key)).select_related("user")
