"""Creating organisations' bus key pairs (called from provisioning)."""

from __future__ import annotations

from shared.buskeys.keys import key_pairs_generate
from shared.buskeys.models import OrganizationBusKeys
from shared.orgs.models import Organization


def organization_bus_keys_create(*, organization) -> OrganizationBusKeys:
    """Generate and store both key pairs of a new organisation (idempotent)."""
    existing = OrganizationBusKeys.objects.filter(organization=organization).first()
    if existing is not None:
        return existing
    generated = key_pairs_generate(code=organization.code)
    return OrganizationBusKeys.objects.create(organization=organization, **generated)


def organizations_bus_keys_ensure() -> int:
    """Give every organisation without keys its key pairs; returns how many were created."""
    created = 0
    for organization in Organization.objects.filter(bus_keys__isnull=True):
        organization_bus_keys_create(organization=organization)
        created += 1
    return created
