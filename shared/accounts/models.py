"""Global users and their memberships in organisations (public schema)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.constraints import FieldCheck


class Classification(models.IntegerChoices):
    """Confidentiality levels (密级), used for records and for user clearance."""

    PUBLIC = 0, _("Public (公开)")
    INTERNAL = 1, _("Internal (内部)")
    SECRET = 2, _("Secret (秘密)")
    CONFIDENTIAL = 3, _("Confidential (机密)")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Office administrator (巡察办管理员)")
    OFFICE_STAFF = "office_staff", _("Office staff (巡察办工作人员)")
    LEADING_GROUP = "leading_group", _("Leading-group member (领导小组成员)")
    TEAM_LEADER = "team_leader", _("Team leader (巡察组组长)")
    TEAM_MEMBER = "team_member", _("Team member (巡察组成员)")
    UNIT_LIAISON = "unit_liaison", _("Unit liaison (被巡察单位联络员)")
    AGENCY_RECEIVER = "agency_receiver", _("Agency receiver (受理机关)")
    PROVINCE_VIEWER = "province_viewer", _("Province viewer (省委巡视办)")
    # 三员分立: the three administrators of a system holding classified material. None of them sees case
    # content by that role, and no person holds two of them (Membership.clean).
    SYSTEM_ADMIN = "system_admin", _("System administrator (系统管理员)")
    SECURITY_ADMIN = "security_admin", _("Security administrator (安全保密管理员)")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator (安全审计员)")


ADMINISTRATOR_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class User(AbstractUser):
    """A person; global across organisations. What they may do is in their memberships."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # The office whose system administrator keeps this account (账号所属单位); its memberships may be anywhere.
    home_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("account's organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A person's role in one organisation, with the clearance that role carries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Classification.choices, default=Classification.INTERNAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="accounts_membership_unique_role"),
            FieldCheck(
                condition=models.Q(clearance__gte=0, clearance__lte=3),
                name="accounts_clearance_range",
                message=_("Clearance is one of 0 (公开) to 3 (机密)."),
                field="clearance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization.code}: {self.get_role_display()}"

    def clean(self) -> None:
        """三员分立: a person holds at most one of the three administrator roles, in every organisation."""
        if not self.is_active or self.role not in ADMINISTRATOR_ROLES or self.user_id is None:
            return
        other = (
            Membership.objects.filter(user_id=self.user_id, is_active=True, role__in=ADMINISTRATOR_ROLES)
            .exclude(role=self.role)
            .exclude(pk=self.pk)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "role": _(
                        "Separation of administrators (三员分立): this person is already %(held)s, and may not "
                        "also be %(role)s."
                    )
                    % {"held": other.get_role_display(), "role": self.get_role_display()}
                },
                code="administrator_roles_separated",
            )


class UserReference(models.Model):
    """A column that holds a user's id with no database foreign key: every tenant table's reference to a person.

    Tenant tables refer to public.accounts_user without a foreign key (db_constraint=False): with one, each new
    organisation's schema added ~45 referential triggers to accounts_user, and provisioning grew with the
    organisation count (issue 14). The rows here are written from the models after each migrate
    (shared/accounts/references.py); the accounts_user_referenced constraint trigger (migration 0004) reads them
    and refuses, at commit as a deferred foreign key would, to delete a person any schema's table still names.
    """

    table_name = models.CharField(_("table"), max_length=63)
    column_name = models.CharField(_("column"), max_length=63)

    class Meta:
        verbose_name = _("reference to a user")
        verbose_name_plural = _("references to users")
        constraints = [
            models.UniqueConstraint(fields=["table_name", "column_name"], name="accounts_userreference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.table_name}.{self.column_name}"
