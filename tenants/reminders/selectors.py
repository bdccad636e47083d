"""Deadlines this office must meet (due items) and the notifications a person may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from tenants.kernel.roles import MANAGERS
from tenants.office.workdays import office_overrides
from tenants.reminders.models import Notification, OverdueNotice


@dataclass(frozen=True)
class DueItem:
    item_type: str  # hearing | rectification_plan | rectification_report | transfer_feedback |
    # clue_feedback | annual_plan_filing | annual_summary_filing
    item_key: str
    label: str  # never carries confidential content (no clue text, no names of persons)
    due: date
    link: str = ""
    roles: tuple[str, ...] = MANAGERS
    provisional: bool = False  # computed in a year without a published holiday table (暂定)
    # The level of the record the deadline belongs to: who is not cleared for it sees only that something is due.
    classification: int = 1
    # People outside the office who answer for it (a unit's liaisons, an agency's desk): told too, by name.
    people: tuple[int, ...] = ()


# The apps' deadlines, each from the app that owns them (registered in its AppConfig.ready()):
# source(*, today, organization, overrides) -> [DueItem], listed in `order`.
DueSource = Callable[..., list[DueItem]]
_sources: dict[str, tuple[int, DueSource]] = {}


def due_source_register(*, name: str, order: int, source: DueSource) -> None:
    """Add an app's deadlines to the ones reminders_run checks (re-registering `name` replaces it)."""
    _sources[name] = (order, source)


def due_items(*, today: date, organization=None) -> list[DueItem]:
    overrides = office_overrides()
    return [
        item
        for _order, source in sorted(_sources.values(), key=lambda entry: entry[0])
        for item in source(today=today, organization=organization, overrides=overrides)
    ]


def overdue_open_count() -> int:
    return OverdueNotice.objects.filter(resolved_on__isnull=True).count()


def notifications_for(*, access, actor):
    """The notices this person may see here: for one of their roles, addressed to everyone of it or to them,
    about nothing above their clearance."""
    return Notification.objects.filter(
        Q(user_ids=[]) | Q(user_ids__contains=[actor.pk]),
        roles__overlap=sorted(access.roles),
        classification__lte=access.clearance,
    )


def notifications_read_among(*, actor, notifications) -> set[int]:
    """The ids of those `notifications` (one page of them) that `actor` has read."""
    shown = [notification.pk for notification in notifications]
    return set(Notification.objects.filter(reads__user=actor, pk__in=shown).values_list("pk", flat=True))


def notifications_unread_count(*, access, actor) -> int:
    return notifications_for(access=access, actor=actor).exclude(reads__user=actor).count()
