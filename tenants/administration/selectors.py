"""Read queries of the administrators' pages: the accounts an office keeps, its memberships, its audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Classification, Membership, Role, User
from tenants.audit.models import AuditAction, AuditEvent

ADMINISTRATION_ACTIONS = (
    AuditAction.ACCOUNT_CREATE,
    AuditAction.ACCOUNT_CHANGE,
    AuditAction.MEMBERSHIP_CREATE,
    AuditAction.MEMBERSHIP_CHANGE,
)


def account_list(*, organization) -> QuerySet[User]:
    return User.objects.filter(home_organization=organization).order_by("username")


def membership_list(*, organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization).select_related("user").order_by("user__username", "role")
    )


def grantable_people(*, organization, actor) -> QuerySet[User]:
    """Whom this office's security administrator may give a role: the accounts it keeps and its members, never
    themselves (nobody changes their own roles)."""
    return (
        User.objects.filter(Q(home_organization=organization) | Q(memberships__organization=organization))
        .filter(is_active=True)
        .exclude(pk=actor.pk)
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""  # a user name, exactly
    action: str = ""
    since: date | None = None
    until: date | None = None
    organization_code: str = ""  # the office that keeps the actor's account

    def as_detail(self) -> dict:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


# Days outside these bounds would overflow when their local midnight is taken to UTC (year 1, year 9999).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(min(max(day, EARLIEST_DAY), LATEST_DAY), time.min))


def audit_event_search(*, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """The organisation's audit log, newest first, narrowed by who, what, when and the actor's office."""
    events = AuditEvent.objects.order_by("-seq")
    if filters.who:
        events = events.filter(username=filters.who)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.since:
        events = events.filter(at__gte=_day_start(filters.since))
    if filters.until:
        events = events.filter(at__lt=_day_start(filters.until) + timezone.timedelta(days=1))
    if filters.organization_code:
        people = User.objects.filter(home_organization__code=filters.organization_code).values_list("pk", flat=True)
        events = events.filter(user_id__in=list(people))
    return events


# What a person reads for the fields and values the administrators' events record.
def _field_labels() -> dict[str, str]:
    return {  # in the order a change is told
        "username": str(User._meta.get_field("username").verbose_name),
        "display_name": str(User._meta.get_field("display_name").verbose_name),
        "user": str(Membership._meta.get_field("user").verbose_name),
        "role": str(Membership._meta.get_field("role").verbose_name),
        "clearance": str(Membership._meta.get_field("clearance").verbose_name),
        "password": _("password"),
        "is_active": _("active"),
    }


def _value_words(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "role" and value in Role.values:
        return str(Role(value).label)
    if name == "clearance" and value in Classification.values:
        return str(Classification(value).label)
    return str(value)


def audit_change_words(event: AuditEvent) -> list[str]:
    """An administrator's change in words (用户: 张三; 密级: 内部 → 秘密); nothing for other events, whose detail
    is in the export only."""
    if event.action not in ADMINISTRATION_ACTIONS:
        return []
    try:
        detail = json.loads(event.detail or "{}")
    except ValueError:
        return []
    before, after = detail.get("before") or {}, detail.get("after") or {}
    labels = _field_labels()
    lines = []
    for name in [name for name in labels if name in after] + [name for name in after if name not in labels]:
        new = after[name]
        label = labels.get(name, name)
        if name in before and before[name] != new:
            lines.append(f"{label}：{_value_words(name, before[name])} → {_value_words(name, new)}")
        else:
            lines.append(f"{label}：{_value_words(name, new)}")
    return lines


def audit_record_words(event: AuditEvent) -> str:
    """The kind of record an event is about, by its name (用户, 问题线索), not its internal label."""
    try:
        return str(apps.get_model(event.record_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return _("other record")


def audit_via_words(event: AuditEvent) -> str:
    if event.access_via == "membership":
        return _("own role")
    if event.access_via.startswith("grant:"):
        return _("cross-organisation grant no. %(number)s") % {"number": event.access_via.split(":", 1)[1]}
    return _("system")
