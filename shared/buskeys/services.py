"""Creating organisations' bus key pairs (called from provisioning)."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    for organization in Organization.objects.local().filter(bus_keys__isnull=True):
        organization_bus_keys_create(organization=organization)
        created += 1
    return created


def public_keys_check(*, signing_public: bytes, sealing_public: bytes) -> None:
    """Raise ValidationError unless both are raw 32-byte public keys (Ed25519, X25519)."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes(signing_public))
        X25519PublicKey.from_public_bytes(bytes(sealing_public))
    except ValueError:
        raise ValidationError(_("a public key is not a 32-byte Ed25519/X25519 key")) from None


def organization_public_keys_store(
    *, organization, signing_public: bytes, sealing_public: bytes
) -> OrganizationBusKeys:
    """Store (or replace, on a rotation) the public halves of a remote organisation's keys; it has no private
    halves here."""
    public_keys_check(signing_public=signing_public, sealing_public=sealing_public)
    keys, _created = OrganizationBusKeys.objects.update_or_create(
        organization=organization,
        defaults={
            "signing_public": bytes(signing_public),
            "sealing_public": bytes(sealing_public),
            "signing_private_sealed": None,
            "sealing_private_sealed": None,
        },
    )
    return keys
