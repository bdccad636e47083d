"""Accounts, memberships and clearance, changed by the organisation's administrators (三员分立).

Every change is one transaction that writes the public-schema row and its audit event in the organisation's
chain, with the values before and after (a password is never logged, only that it was set). A change that
alters nothing writes nothing. Nobody changes their own roles or disables their own account.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared.accounts.models import ADMINISTRATOR_ROLES, Classification, Membership, User
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record

ACCOUNT_FIELDS = ("username", "display_name", "is_active")
MEMBERSHIP_FIELDS = ("user", "role", "clearance", "is_active")


def _account_values(user: User) -> dict:
    return {name: getattr(user, name) for name in ACCOUNT_FIELDS}


def _membership_values(membership: Membership) -> dict:
    return {
        "user": membership.user.username,
        "role": membership.role,
        "clearance": membership.clearance,
        "is_active": membership.is_active,
    }


def _audit(*, action: str, record, before: dict | None, after: dict, actor, request) -> None:
    audit_event_record(
        action=action,
        record_type=record._meta.label_lower,
        record_key=record.pk,
        classification=Classification.INTERNAL,
        request=request,
        actor=actor,
        detail={"before": before, "after": after} if before is not None else {"after": after},
    )


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    changed = [name for name in after if before.get(name) != after[name]]
    return {name: before[name] for name in changed}, {name: after[name] for name in changed}


def _kept_here(*, person: User, organization) -> None:
    if person.home_organization_id != organization.pk:
        raise ValidationError(_("This account is kept by another office."), code="account_elsewhere")


@transaction.atomic
def account_create(*, actor, organization, username: str, display_name: str, password: str, request=None) -> User:
    """A new account kept by this office; it can do nothing until the security administrator grants a role."""
    user = User(username=username, display_name=display_name, home_organization=organization)
    user.full_clean(exclude=["password"])
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    _audit(
        action=AuditAction.ACCOUNT_CREATE,
        record=user,
        before=None,
        after=_account_values(user),
        actor=actor,
        request=request,
    )
    return user


@transaction.atomic
def account_update(*, actor, organization, person: User, display_name: str, is_active: bool, request=None) -> User:
    person = User.objects.select_for_update().get(pk=person.pk)
    _kept_here(person=person, organization=organization)
    if person.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": _("You cannot disable your own account.")}, code="own_account")
    before = _account_values(person)
    person.display_name, person.is_active = display_name, is_active
    person.full_clean(exclude=["password"])
    old, new = _changes(before, _account_values(person))
    if new:
        person.save(update_fields=list(new))
        _audit(action=AuditAction.ACCOUNT_CHANGE, record=person, before=old, after=new, actor=actor, request=request)
    return person


@transaction.atomic
def account_password_set(*, actor, organization, person: User, password: str, request=None) -> User:
    """A new password for a person who lost theirs. An administrator's password (any of the three) is changed
    only by its holder on the password page: a system administrator who could set it could act as them."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _kept_here(person=person, organization=organization)
    if person.pk == actor.pk or Membership.objects.filter(user=person, role__in=ADMINISTRATOR_ROLES).exists():
        raise ValidationError(
            _("An administrator's password is changed only by its holder, on the password page."),
            code="administrator_password",
        )
    validate_password(password, user=person)
    person.set_password(password)
    person.save(update_fields=["password"])
    _audit(
        action=AuditAction.ACCOUNT_CHANGE,
        record=person,
        before={"password": "—"},
        after={"password": "已重置"},
        actor=actor,
        request=request,
    )
    return person


def _not_own(*, actor, person: User) -> None:
    if actor.pk == person.pk:
        raise ValidationError(_("You cannot change your own roles or clearance."), code="own_membership")


@transaction.atomic
def membership_grant(*, actor, organization, person: User, role: str, clearance: int, request=None) -> Membership:
    """A role and its clearance in this organisation, for an account this office keeps or one of its members."""
    _not_own(actor=actor, person=person)
    User.objects.select_for_update().get(pk=person.pk)  # one change of a person's roles at a time (三员分立)
    if Membership.objects.filter(user=person, organization=organization, role=role).exists():
        raise ValidationError(
            {"role": _("This person already has this role here; change it in the list.")}, code="membership_exists"
        )
    membership = Membership(user=person, organization=organization, role=role, clearance=clearance)
    membership.full_clean(validate_unique=False)
    membership.save()
    _audit(
        action=AuditAction.MEMBERSHIP_CREATE,
        record=membership,
        before=None,
        after=_membership_values(membership),
        actor=actor,
        request=request,
    )
    return membership


@transaction.atomic
def membership_update(
    *, actor, organization, membership: Membership, clearance: int, is_active: bool, request=None
) -> Membership:
    """A membership's clearance, or its withdrawal (inactive) and return; the role itself is not changed (grant
    the other role and withdraw this one)."""
    membership = (
        Membership.objects.select_for_update().select_related("user").get(pk=membership.pk, organization=organization)
    )
    _not_own(actor=actor, person=membership.user)
    User.objects.select_for_update().get(pk=membership.user_id)
    before = _membership_values(membership)
    membership.clearance, membership.is_active = clearance, is_active
    membership.full_clean(validate_unique=False)
    old, new = _changes(before, _membership_values(membership))
    if new:
        membership.save(update_fields=list(new))
        _audit(
            action=AuditAction.MEMBERSHIP_CHANGE,
            record=membership,
            before={"user": membership.user.username, "role": membership.role, **old},
            after={"user": membership.user.username, "role": membership.role, **new},
            actor=actor,
            request=request,
        )
    return membership
