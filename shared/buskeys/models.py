"""Public-schema side of the bus: each organisation's key pairs, and the embedded queue
table used when no RabbitMQ is configured (see docs/SYNC.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.orgs.models import deployment_name_field


class OrganizationBusKeys(models.Model):
    """An organisation's Ed25519 signing and X25519 sealing key pairs.

    Public halves are readable by everyone; private halves are stored encrypted with a key
    derived from settings.XUNCHA_BUS_KEY_SECRET and the organisation's code (see sync.keys). A remote
    organisation (another deployment's) has public halves only.
    """

    organization = models.OneToOneField(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="bus_keys"
    )
    signing_public = models.BinaryField(_("signing public key (Ed25519)"))
    sealing_public = models.BinaryField(_("sealing public key (X25519)"))
    # NULL for a remote organisation: its private halves never leave its own deployment.
    signing_private_sealed = models.BinaryField(_("signing private key, encrypted"), null=True)
    sealing_private_sealed = models.BinaryField(_("sealing private key, encrypted"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bus keys")
        verbose_name_plural = _("bus keys")

    def __str__(self) -> str:
        return f"bus keys of {self.organization_id}"


class DeploymentIdentity(models.Model):
    """This deployment as its peers know it: a name and an Ed25519 pair that signs what `xuncha peer` writes
    (the organisation list, key rotations and revocations). One row; the private half encrypted at rest
    like the organisations' keys, and never exported."""

    name = deployment_name_field()
    signing_public = models.BinaryField(_("signing public key (Ed25519)"))
    signing_private_sealed = models.BinaryField(_("signing private key, encrypted"))
    sequence = models.PositiveBigIntegerField(_("last document number"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deployment identity")
        verbose_name_plural = _("deployment identities")

    def __str__(self) -> str:
        return self.name


class EmbeddedMessage(models.Model):
    """One message on the embedded (PostgreSQL-table) transport: a queue per organisation
    code plus the dead-letter queue. A consumer leases a row (visible_at in the future), and
    deletes it as its ack; a crashed consumer's lease expires and the row is delivered again."""

    queue = models.CharField(max_length=64)
    body = models.BinaryField()
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    visible_at = models.DateTimeField()
    delivery_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["queue", "visible_at", "id"], name="buskeys_embedded_ready")]
