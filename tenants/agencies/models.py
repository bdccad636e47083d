"""Outside bodies the office works with, and which users speak for them.

Agencies give pre-entry information (004 art.26) and receive transfers (art.35).
An agency_receiver membership alone does not say which agency a user works for,
and a unit_liaison membership does not say which unit: the desks below do.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.references import user_reference


class AgencyKind(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline inspection and supervision commission (纪委监委)")
    ORGANISATION = "organisation", _("Organisation department (组织部)")
    PROCURATORATE = "procuratorate", _("Procuratorate (检察院)")
    POLICE = "police", _("Public security (公安)")
    PETITION = "petition", _("Letters and visits bureau (信访)")
    AUDIT = "audit", _("Audit bureau (审计)")
    SASAC = "sasac", _("State assets commission (国资委)")
    UNIT = "unit", _("Unit concerned (相关单位)")


# Agencies that give 3 years of information before a team goes in (000 §14, 004 art.26).
PRE_ENTRY_KINDS = (
    AgencyKind.DISCIPLINE,
    AgencyKind.ORGANISATION,
    AgencyKind.PROCURATORATE,
    AgencyKind.POLICE,
    AgencyKind.PETITION,
    AgencyKind.AUDIT,
    AgencyKind.SASAC,
)


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AgencyKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="agencies_agency_unique_name")]

    def __str__(self) -> str:
        return self.name


class AgencyDesk(models.Model):
    """An agency_receiver user works for this agency."""

    user = user_reference(verbose_name=_("user"))
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="desks")

    class Meta:
        verbose_name = _("agency desk")
        verbose_name_plural = _("agency desks")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="agencies_desk_unique")]


class UnitLiaison(models.Model):
    """A unit_liaison user speaks for this inspected unit."""

    user = user_reference(verbose_name=_("user"))
    target = models.ForeignKey(
        "targets.Target", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="liaisons"
    )

    class Meta:
        verbose_name = _("unit liaison")
        verbose_name_plural = _("unit liaisons")
        constraints = [models.UniqueConstraint(fields=["user", "target"], name="agencies_liaison_unique")]
