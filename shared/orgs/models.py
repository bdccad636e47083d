"""The organisation registry: the tenant model and its route (public schema)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
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


def schema_name_for_code(code: str) -> str:
    return f"org_{code}"


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
