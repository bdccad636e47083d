"""Cross-organisation access grants (public schema).

A grant lets one person from another organisation (a cross-county team member from county A)
into the granting organisation (the city that organises the round) for one round, for the listed
targets only, between two dates (the round's on-site window, inclusive, in local time). It is
checked on every request; revoking it, or the window ending, stops the very next request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification, Role
from shared.constraints import FieldCheck

GRANTABLE_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)


class AccessGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="access_grants"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("granting organisation"),
        on_delete=models.CASCADE,
        related_name="access_grants",
    )
    home_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("person's own organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    round_key = models.CharField(_("round (key in the granting organisation)"), max_length=64)
    target_keys = ArrayField(models.CharField(max_length=64), verbose_name=_("targets (keys)"))
    role = models.CharField(_("role"), max_length=32, choices=[(r.value, r.label) for r in GRANTABLE_ROLES])
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Classification.choices, default=Classification.INTERNAL
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-created_at", "-id"]
        constraints = [
            FieldCheck(
                condition=Q(ends_on__gte=F("starts_on")),
                name="grants_window_order",
                message=_("The access window cannot end before it starts."),
                field="ends_on",
            ),
            FieldCheck(
                condition=Q(clearance__gte=0, clearance__lte=3),
                name="grants_clearance_range",
                message=_("Clearance is one of 0 (公开) to 3 (机密)."),
                field="clearance",
            ),
            FieldCheck(
                condition=Q(role__in=[r.value for r in GRANTABLE_ROLES]),
                name="grants_role_team",
                message=_("Only a team leader or team member can be granted access."),
                field="role",
            ),
            FieldCheck(
                condition=~Q(target_keys=[]),
                name="grants_some_targets",
                message=_("Grant access to at least one target."),
                field="target_keys",
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "round_key"],
                condition=Q(revoked_at__isnull=True),
                name="grants_one_live_grant_per_round",
                violation_error_message=_("This person already has access to this round."),
            ),
        ]
        indexes = [models.Index(fields=["user", "organization"], name="grants_user_org_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.organization.code} round {self.round_key}"

    def is_active_on(self, day) -> bool:
        """A missing date closes the grant (fail closed)."""
        return (
            self.revoked_at is None
            and self.starts_on is not None
            and self.ends_on is not None
            and self.starts_on <= day <= self.ends_on
        )
