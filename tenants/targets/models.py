"""Inspection targets (巡察对象 / 被巡察单位), kept in each organisation's own schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetLevel(models.TextChoices):
    CITY = "city", _("City-managed (市管)")
    COUNTY = "county", _("County-managed (县管)")
    TOWNSHIP = "township", _("Township (乡镇)")
    VILLAGE = "village", _("Village/community (村社区)")


class Target(models.Model):
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=TargetLevel.choices)
    category = models.CharField(_("category"), max_length=64, blank=True)
    managing_org_code = models.CharField(
        _("managing organisation (region code)"), max_length=6,
        help_text=_("The organisation that normally inspects this unit."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection target")
        verbose_name_plural = _("inspection targets")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="targets_target_unique_name")]

    def __str__(self) -> str:
        return self.name
