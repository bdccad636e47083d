from __future__ import annotations

from tenants.agencies.models import Agency, AgencyDesk, UnitLiaison


def agency_ids_for_user(*, person) -> set[int]:
    return set(AgencyDesk.objects.filter(user=person).values_list("agency_id", flat=True))


def target_ids_for_liaison(*, person) -> set[int]:
    return set(UnitLiaison.objects.filter(user=person).values_list("target_id", flat=True))


def agency_list(*, kind: str | None = None):
    agencies = Agency.objects.filter(is_active=True)
    return agencies.filter(kind=kind) if kind else agencies
