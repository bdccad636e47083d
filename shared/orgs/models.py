"""The organisation registry: the tenant model and its route (public schema)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from shared.constraints import FieldCheck

REGION_CODE_RE = re.compile(r"^[1-9]\d{5}$")


class OrganizationKind(models.TextChoices):
    PROVINCE = "province", _("Province inspection office (省委巡视办)")
    CITY = "city", _("City inspection office (市委巡察办)")
    COUNTY = "county", _("County/district inspection office (县区巡察办)")


# The kind a parent must have, per kind of child; None means "no parent allowed".
ALLOWED_PARENT_KIND = {
    OrganizationKind.PROVINCE: None,
    OrganizationKind.CITY: OrganizationKind.PROVINCE,
    OrganizationKind.COUNTY: OrganizationKind.CITY,
}


class RemoteRoute(models.TextChoices):
    """How messages reach an organisation that lives in another deployment."""

    LINK = "link", _("linked broker (shovel)")
    BUNDLE = "bundle", _("carried bundles")


def schema_name_for_code(code: str) -> str:
    return f"org_{code}"


def remote_schema_name_for_code(code: str) -> str:
    """The registry's placeholder for a remote organisation: no such schema exists here (the tenant model
    requires a unique name); nothing creates, migrates or enters it, since every such path takes local()."""
    return f"remote_{code}"


def deployment_name_field() -> models.CharField:
    """A deployment's name as its peers know it (this one's, shared.buskeys.DeploymentIdentity, and each
    peer's): it names the link's queue, so letters, digits and hyphens only."""
    return models.CharField(
        _("deployment name"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Lower-case letters, digits and hyphens only."))],
    )


class Peer(models.Model):
    """Another deployment whose organisations this registry holds as remote ones: its name and the public
    half of the Ed25519 key that signs its organisation lists and key events (`xuncha peer`)."""

    name = deployment_name_field()
    signing_public = models.BinaryField(_("deployment signing public key (Ed25519)"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    last_sequence = models.PositiveBigIntegerField(_("last key event number"), default=0)

    class Meta:
        verbose_name = _("peer deployment")
        verbose_name_plural = _("peer deployments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PeerKeyEvent(models.Model):
    """The audit trail of trust between deployments (append-only, a trigger refuses UPDATE and DELETE): every
    organisation list exported or imported and every key rotation or revocation sent or received, with the
    fingerprints, the document's number and digest and the operating-system user who ran the command."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("organisation list exported")
        IMPORT = "import", _("organisation list imported")
        ROTATE = "rotate", _("key rotated")
        REVOKE = "revoke", _("key revoked")

    kind = models.CharField(_("event"), max_length=8, choices=Kind.choices)
    received = models.BooleanField(_("received from a peer"), default=False)
    peer = models.ForeignKey(
        Peer, verbose_name=_("peer deployment"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    organization_code = models.CharField(_("organisation"), max_length=6, blank=True)
    sequence = models.PositiveBigIntegerField(_("document number"))
    fingerprint = models.CharField(_("fingerprint"), max_length=80, blank=True)
    previous_fingerprint = models.CharField(_("previous fingerprint"), max_length=80, blank=True)
    document_digest = models.CharField(_("document digest (SHA-256)"), max_length=64)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("peer key event")
        verbose_name_plural = _("peer key events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.organization_code or '-'} #{self.sequence}"


class BundleRecord(models.Model):
    """Every bundle this deployment wrote or took (sync/bundles.py): the carrier's log, read by the bundle
    page and kept for the audit."""

    class Kind(models.TextChoices):
        EXPORTED = "exported", _("bundle exported")
        IMPORTED = "imported", _("bundle imported")
        ACK_IMPORTED = "ack", _("acknowledgement imported")

    kind = models.CharField(_("event"), max_length=8, choices=Kind.choices)
    peer = models.ForeignKey(Peer, verbose_name=_("peer deployment"), on_delete=models.PROTECT, related_name="bundles")
    organization_code = models.CharField(_("organisation"), max_length=6)
    # The hosted organisation it was written or taken for on its bundle page (blank: for all, by the command).
    office = models.CharField(_("office"), max_length=6, blank=True, default="")
    sequence = models.PositiveBigIntegerField(_("document number"))
    digest = models.CharField(_("document digest (SHA-256)"), max_length=64)
    counts = models.JSONField(_("counts"), default=dict)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # An imported bundle's acknowledgement (sealed to the exporter, signed here), to download again and carry back.
    ack = models.BinaryField(_("acknowledgement"), null=True, blank=True)

    class Meta:
        verbose_name = _("bundle record")
        verbose_name_plural = _("bundle records")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.organization_code} #{self.sequence}"


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def local(self) -> OrganizationQuerySet:
        """The organisations hosted here (each with its schema)."""
        return self.filter(remote_route="")

    def remote(self) -> OrganizationQuerySet:
        """The organisations living in another deployment (no schema here)."""
        return self.exclude(remote_route="")


class Organization(TenantMixin):
    """An inspection office; each owns one PostgreSQL schema."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    code = models.CharField(
        _("region code (行政区划代码)"),
        max_length=6,
        unique=True,
        help_text=_("Six-digit official administrative division code, e.g. 410600."),
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    remote_route = models.CharField(
        _("remote route"),
        max_length=8,
        blank=True,
        default="",
        choices=RemoteRoute.choices,
        help_text=_("Empty for an organisation hosted here; how messages reach it when it lives elsewhere."),
    )
    peer = models.ForeignKey(
        Peer,
        verbose_name=_("peer deployment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )

    objects = OrganizationQuerySet.as_manager()

    # Schemas are created by the provisioning service inside its transaction.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        constraints = [
            FieldCheck(
                condition=~models.Q(kind="province") | models.Q(parent__isnull=True),
                name="orgs_province_has_no_parent",
                message=_("A province has no parent organisation."),
                field="parent",
            ),
            FieldCheck(
                condition=models.Q(kind="province") | models.Q(kind="city") | models.Q(parent__isnull=False),
                name="orgs_county_has_parent",
                message=_("A county needs its city as parent."),
                field="parent",
            ),
            FieldCheck(
                condition=models.Q(remote_route="", peer__isnull=True)
                | (~models.Q(remote_route="") & models.Q(peer__isnull=False)),
                name="orgs_remote_has_peer",
                message=_("A remote organisation belongs to one peer deployment; a local one to none."),
                field="remote_route",
            ),
            FieldCheck(
                condition=models.Q(code__regex=r"^[1-9][0-9]{5}$"),
                name="orgs_code_is_region_code",
                message=_("The code must be a six-digit region code (行政区划代码)."),
                field="code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not REGION_CODE_RE.match(self.code or ""):
            errors["code"] = _("A region code is six digits and does not start with 0.")
        required_parent_kind = ALLOWED_PARENT_KIND.get(self.kind)
        if self.kind not in ALLOWED_PARENT_KIND:
            errors["kind"] = _("Unknown organisation kind.")
        elif required_parent_kind is None and self.parent_id is not None:
            errors["parent"] = _("A province has no parent organisation.")
        elif self.kind == OrganizationKind.COUNTY and self.parent_id is None:
            errors["parent"] = _("A county must belong to a city.")
        elif self.parent_id is not None and self.parent.kind != required_parent_kind:
            errors["parent"] = _("The parent of a %(kind)s must be a %(parent_kind)s.") % {
                "kind": self.get_kind_display(),
                "parent_kind": OrganizationKind(required_parent_kind).label,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_remote(self) -> bool:
        """Lives in another deployment: no schema, no pages, no consumer here."""
        return bool(self.remote_route)

    @property
    def route(self) -> str:
        """The path prefix of this organisation's pages."""
        return f"/org/{self.code}/"

    def ancestors(self) -> list[Organization]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Domain(DomainMixin):
    """The route of an organisation: its region code as the /org/<code>/ subfolder."""

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
