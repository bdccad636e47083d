"""Firing reminders once per due item, notifications, and escalating overdue items upward."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils.translation import gettext as _

from tenants.office.workdays import add_working_days, office_overrides
from tenants.reminders import selectors, sharing
from tenants.reminders.models import Notification, NotificationRead, OverdueEscalation, ReminderKind, ReminderSettings
from xuncha.office_language import office_language


def notification_create(
    *, kind: str, title: str, item_key: str, body: str = "", link: str = "", due_date: date | None = None, roles=None
) -> Notification | None:
    """Create a notification once per (kind, item); returns None when it existed already."""
    notification, created = Notification.objects.get_or_create(
        kind=kind,
        item_key=item_key[:200],
        defaults={
            "title": title[:300],
            "body": body,
            "link": link,
            "due_date": due_date,
            **({"roles": list(roles)} if roles else {}),
        },
    )
    return notification if created else None


def _due(item: selectors.DueItem) -> str:
    """The due date as a notification shows it, marked 暂定 when computed without a holiday table."""
    if item.provisional:
        return _("%(date)s (provisional)") % {"date": item.due.isoformat()}
    return item.due.isoformat()


def _ledger_claim(*, item: selectors.DueItem, kind: str, today: date) -> bool:
    """Insert the ledger row; False when this reminder was fired before (any earlier run)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO reminders_reminderledger (item_type, item_key, kind, due_date, fired_on, fired_at)
               VALUES (%s, %s, %s, %s, %s, now())
               ON CONFLICT (item_type, item_key, kind, due_date) DO NOTHING RETURNING id""",
            [item.item_type, item.item_key, kind, item.due, today],
        )
        return cursor.fetchone() is not None


def _item_notify(*, item: selectors.DueItem, kind: str, title: str) -> None:
    """The office's notification that `item` is due soon or overdue; `title` takes the due date and the label."""
    notification_create(
        kind=f"{kind}:{item.item_type}",
        item_key=f"{item.item_key}@{item.due.isoformat()}",
        title=title % {"due": _due(item), "what": item.label},
        link=item.link,
        due_date=item.due,
        roles=item.roles,
    )


@transaction.atomic
@office_language()  # notifications and overdue labels are kept (and sent up): in the office's language
def reminders_run(*, today: date, organization=None) -> dict[str, int]:
    """Check every deadline of the current organisation: remind `lead` working days before it,
    once; when it has passed, notify once and escalate to the office above; withdraw escalations
    of items that are no longer pending. Safe to run any number of times a day."""
    settings = ReminderSettings.current()
    overrides = office_overrides()
    fired = {"due_soon": 0, "overdue": 0, "resolved": 0}
    items = selectors.due_items(today=today, organization=organization)
    for item in items:
        remind_from = add_working_days(start=item.due, days=-settings.lead_working_days, overrides=overrides).due
        if remind_from <= today <= item.due:
            if _ledger_claim(item=item, kind=ReminderKind.DUE_SOON, today=today):
                _item_notify(item=item, kind="due_soon", title=_("Due %(due)s: %(what)s"))
                fired["due_soon"] += 1
        elif today > item.due and _ledger_claim(item=item, kind=ReminderKind.OVERDUE, today=today):
            _item_notify(item=item, kind="overdue", title=_("Overdue since %(due)s: %(what)s"))
            escalation = OverdueEscalation.objects.create(
                item_type=item.item_type,
                item_key=item.item_key,
                label=item.label[:300],
                due_date=item.due,
                escalated_on=today,
            )
            sharing.escalation_publish(escalation=escalation, organization=organization)
            fired["overdue"] += 1
    pending = {(item.item_type, item.item_key, item.due) for item in items}
    for escalation in OverdueEscalation.objects.select_for_update().filter(resolved_on__isnull=True):
        if (escalation.item_type, escalation.item_key, escalation.due_date) not in pending:
            escalation.resolved_on = today
            escalation.save(update_fields=["resolved_on"])
            sharing.escalation_publish(escalation=escalation, organization=organization)
            fired["resolved"] += 1
    return fired


@transaction.atomic
@office_language()
def escalation_arrived(*, source_code: str, source_name: str, record_key: str, body: dict) -> None:
    """At the city: a county reported an overdue item; tell the city's office once."""
    if body.get("resolved_on"):
        return
    notification_create(
        kind="county_overdue",
        item_key=f"{source_code}:{record_key}",
        title=_("%(county)s is overdue since %(due)s: %(what)s")
        % {"county": source_name, "due": body.get("due_date"), "what": body.get("label")},
        link="reports/oversight/",
    )


@transaction.atomic
def escalation_withdrawn(*, source_code: str, record_key: str) -> int:
    """At the city: the county withdrew an overdue item it had reported (e.g. its round was raised to
    机密): the notification made from it goes too. Returns how many were removed."""
    notifications = Notification.objects.filter(kind="county_overdue", item_key=f"{source_code}:{record_key}"[:200])
    deleted, _per_model = notifications.delete()
    return deleted


@transaction.atomic
def notifications_mark_read(*, access, actor, notification_ids=None) -> int:
    unread = selectors.notifications_for(access=access).exclude(reads__user=actor)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    rows = [NotificationRead(notification=n, user=actor) for n in unread]
    NotificationRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
