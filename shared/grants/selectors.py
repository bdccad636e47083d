"""Which grants a person holds now, and the access they give."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from shared.accounts.models import ADMINISTRATOR_ROLES, Membership
from shared.accounts.selectors import OrganizationAccess
from shared.grants.models import AccessGrant


def _live(queryset: QuerySet[AccessGrant], day) -> QuerySet[AccessGrant]:
    """Unrevoked grants whose window contains `day` (a missing date matches no day: closed), held by a
    person who still holds an active post in the organisation the grant was given for (home_organization);
    `home_clearance` is their level there now (a grant never reaches above it)."""
    home_clearance = (
        Membership.objects.filter(user=OuterRef("user"), organization=OuterRef("home_organization"), is_active=True)
        .exclude(role__in=ADMINISTRATOR_ROLES)  # an administrator's role (三员分立) is no post to lend from
        .order_by("-clearance")
        .values("clearance")[:1]
    )
    return (
        queryset.filter(
            revoked_at__isnull=True,
            starts_on__isnull=False,
            ends_on__isnull=False,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .annotate(home_clearance=Subquery(home_clearance))
        .filter(Q(home_organization__isnull=True) | Q(home_clearance__isnull=False))
    )


def grants_active(*, person, organization, day=None) -> QuerySet[AccessGrant]:
    """Live grants of `person` into `organization` on `day` (default: today, local)."""
    return _live(
        AccessGrant.objects.filter(user=person, organization=organization), day or timezone.localdate()
    ).order_by("id")


def grants_active_for_user(*, person, day=None) -> QuerySet[AccessGrant]:
    """Every live grant of `person`, in any organisation, on `day` (default today)."""
    return (
        _live(AccessGrant.objects.filter(user=person), day or timezone.localdate())
        .select_related("organization")
        .order_by("starts_on", "id")
    )


def grants_open_elsewhere(*, person, organization_id, day=None) -> bool:
    """Whether `person` holds an unrevoked grant whose window contains `day` (default today) in any organisation
    but `organization_id`: a superset of grants_active_for_user's there, so a False spares that statement (its
    home-clearance subquery costs some 3 ms of Python to build) on every page of the many who hold none."""
    day = day or timezone.localdate()
    return (
        AccessGrant.objects.filter(user=person, revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day)
        .exclude(organization_id=organization_id)
        .exists()
    )


def grants_live_from(*, home_organization, day) -> QuerySet[AccessGrant]:
    """Every live grant, in any organisation, of the people `home_organization` lent (their home office's view)."""
    return (
        _live(AccessGrant.objects.filter(home_organization=home_organization), day)
        .select_related("organization")
        .order_by("starts_on", "id")
    )


def grant_access_for(*, person, organization) -> OrganizationAccess | None:
    """The access hook: roles, the lowest clearance of the live grants (never above the person's level at
    home today), and the union of their rounds and targets. None when there is no live grant. Evaluated on
    every request."""
    if not getattr(person, "is_authenticated", False):
        return None
    grants = list(grants_active(person=person, organization=organization))
    if not grants:
        return None
    return OrganizationAccess(
        roles=frozenset(grant.role for grant in grants),
        clearance=min(
            min(grant.clearance, grant.clearance if grant.home_clearance is None else grant.home_clearance)
            for grant in grants
        ),
        grant_id=grants[0].pk,
        round_keys=frozenset(grant.round_key for grant in grants),
        target_keys=frozenset(key for grant in grants for key in grant.target_keys),
    )


def grants_for_round(*, organization, round_key) -> QuerySet[AccessGrant]:
    return AccessGrant.objects.filter(organization=organization, round_key=str(round_key)).select_related("user")
