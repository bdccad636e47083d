"""Read queries on organisations' bus keys."""

from __future__ import annotations

from shared.buskeys.models import OrganizationBusKeys


def bus_keys_get(*, code: str) -> OrganizationBusKeys | None:
    return OrganizationBusKeys.objects.select_related("organization").filter(organization__code=code).first()
