"""Organisation lookups for the bus (public schema), as policy OrgRefs."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection

from shared.orgs.models import Organization
from sync.policy import OrgRef

if TYPE_CHECKING:
    from shared.orgs.models import Organization


def org_ref(code: str) -> OrgRef | None:

    row = Organization.objects.filter(code=code).values_list("code", "kind", "parent__code").first()
    return OrgRef(*row) if row else None


def org_ref_of(organization: Organization) -> OrgRef:
    """An organisation at hand as the policy's OrgRef."""
    parent = organization.parent if organization.parent_id else None
    return OrgRef(organization.code, organization.kind, parent.code if parent is not None else None)


def org_refs(codes: Iterable[str]) -> dict[str, OrgRef]:

    return {
        code: OrgRef(code, kind, parent)
        for code, kind, parent in Organization.objects.filter(code__in=list(codes)).values_list(
            "code", "kind", "parent__code"
        )
    }


_cache: dict[str, tuple[float, OrgRef]] = {}
CACHE_SECONDS = 60.0


def org_refs_cached(codes: Iterable[str]) -> dict[str, OrgRef]:
    """org_refs for the consumer's hot path: organisations change rarely; a minute-old view of the
    hierarchy is fine (an unknown code is always looked up again)."""

    now = time.monotonic()
    found = {
        code: ref for code in codes if (hit := _cache.get(code)) and now - hit[0] < CACHE_SECONDS for ref in [hit[1]]
    }
    missing = set(codes) - set(found)
    if missing:
        for code, ref in org_refs(missing).items():
            _cache[code] = (now, ref)
            found[code] = ref
    return found


def schema_name() -> str:
    """The schema the connection is in (django-tenants' tenant-aware connection)."""
    return str(connection.schema_name)  # type: ignore[attr-defined]


def current_organization() -> Organization:
    """The organisation whose schema the connection is in (raises outside any organisation)."""

    schema = schema_name()
    # with its parent: the outbox's policy checks read it (org_ref_of), one query instead of two
    organization: Organization | None = Organization.objects.filter(schema_name=schema).select_related("parent").first()
    if organization is None:
        raise RuntimeError(f"not in an organisation's schema (schema {schema!r})")
    return organization


def current_organization_code() -> str:
    """The code of the organisation whose schema the connection is in: the connection's tenant's when it is that
    organisation (a request's, set by the routing middleware; an organisation's code never changes), without
    reading it again; else current_organization()'s."""

    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Organization) and tenant.schema_name == schema_name():
        return str(tenant.code)
    return current_organization().code


def organizations(codes: list[str] | None = None) -> list[Organization]:
    """The organisations hosted here (all, or these codes): what a relay, consumer, status or verify
    runs for. A remote organisation's code is refused: its schema and queues are in its own deployment."""

    queryset = Organization.objects.local().select_related("parent").order_by("code")
    if codes:
        queryset = queryset.filter(code__in=codes)
        missing = set(codes) - set(queryset.values_list("code", flat=True))
        remote = set(Organization.objects.remote().filter(code__in=missing).values_list("code", flat=True))
        if remote:
            raise ValueError(f"remote organisation(s), hosted by another deployment: {', '.join(sorted(remote))}")
        if missing:
            raise ValueError(f"unknown organisation code(s): {', '.join(sorted(missing))}")
    return list(queryset)


def remote_routes(codes: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """{code: (route, peer name)} of the remote organisations (among `codes`)."""
    queryset = Organization.objects.remote()
    if codes is not None:
        queryset = queryset.filter(code__in=list(codes))
    return {code: (route, peer) for code, route, peer in queryset.values_list("code", "remote_route", "peer__name")}
