"""Creating organisations' bus key pairs (called from provisioning)."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared.buskeys.keys import (
    NO_ENCRYPTION,
    RAW,
    RAW_PRIVATE,
    RAW_PUBLIC,
    key_pairs_generate,
    open_at_rest,
    seal_at_rest,
)
from shared.buskeys.models import DeploymentIdentity, OrganizationBusKeys
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


def organization_public_keys_remove(*, organization) -> None:
    """A revoked remote organisation: its keys are gone, so its messages are refused (unknown source) and
    nothing is sealed to it (the relay keeps its rows, marked "missing bus keys")."""
    if not organization.is_remote:
        raise ValidationError(_("only a remote organisation's keys are removed this way"))
    OrganizationBusKeys.objects.filter(organization=organization).delete()


@transaction.atomic
def organization_bus_keys_rotate(*, organization) -> OrganizationBusKeys:
    """New key pairs for an organisation hosted here (its peers learn them from `xuncha peer rotate`)."""
    if organization.is_remote:
        raise ValidationError(_("a remote organisation's keys are rotated by its own deployment"))
    keys = OrganizationBusKeys.objects.select_for_update().get(organization=organization)
    for name, value in key_pairs_generate(code=organization.code).items():
        setattr(keys, name, value)
    keys.save()
    return keys


DEPLOYMENT_KEY_CODE = "deployment"  # the at-rest key derivation's info for the deployment's own key


@transaction.atomic
def deployment_identity_ensure(*, name: str | None) -> DeploymentIdentity:
    """This deployment's identity, created on first use under `name` (else settings.XUNCHA_DEPLOYMENT_NAME);
    a later call naming another deployment is refused (the name is how peers know it)."""
    identity = DeploymentIdentity.objects.select_for_update().first()
    if identity is not None:
        if name and name != identity.name:
            raise ValidationError(_("this deployment is already named %(name)s to its peers") % {"name": identity.name})
        return identity
    signing = Ed25519PrivateKey.generate()
    identity = DeploymentIdentity(
        name=name or getattr(settings, "XUNCHA_DEPLOYMENT_NAME", "") or "xuncha",
        signing_public=signing.public_key().public_bytes(RAW, RAW_PUBLIC),
        signing_private_sealed=seal_at_rest(
            code=DEPLOYMENT_KEY_CODE, purpose="signing", private=signing.private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION)
        ),
    )
    identity.full_clean()
    identity.save()
    return identity


def deployment_identity_signing_key() -> Ed25519PrivateKey:
    identity = DeploymentIdentity.objects.get()
    return Ed25519PrivateKey.from_private_bytes(
        open_at_rest(code=DEPLOYMENT_KEY_CODE, purpose="signing", sealed=bytes(identity.signing_private_sealed))
    )


def deployment_sequence_next() -> int:
    """The next number of a document this deployment signs (peers refuse a number they have seen)."""
    identity = DeploymentIdentity.objects.select_for_update().get()
    identity.sequence += 1
    identity.save(update_fields=["sequence"])
    return identity.sequence
