"""Firing reminders once per due item, notifications, and overdue notices sent to the office above."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings as django_settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shared.accounts.models import ADMINISTRATOR_ROLES, Classification, Membership, Role
from shared.grants.models import AccessGrant
from shared.grants.selectors import grants_live_from
from tenants.kernel.documents import document_date
from tenants.office.workdays import add_working_days, office_overrides
from tenants.reminders import selectors, sharing
from tenants.reminders.models import Notification, NotificationRead, OverdueNotice, ReminderKind, ReminderSettings
from xuncha.office_language import office_language
from xuncha.tasks import current_organization

logger = logging.getLogger(__name__)
# A notice addressed to named people reaches them whatever post they hold here (not the administrators').
WORKING_ROLES = [role for role in Role.values if role not in ADMINISTRATOR_ROLES]


def notification_create(
    *,
    kind: str,
    title: str,
    item_key: str,
    body: str = "",
    link: str = "",
    due_date: date | None = None,
    roles=None,
    user_ids=None,
    classification: int = Classification.INTERNAL,
) -> Notification | None:
    """Create a notification once per (kind, item); returns None when it existed already. `roles` (default: the
    office) and `user_ids` (default: everyone of those roles) say whom it is for; only people cleared for
    `classification` see it, and a 机密 object's notice says only that something needs attention (its link
    leads to the object, where the page checks again). Mailed too when XUNCHA_NOTIFY_EMAIL is on."""
    if classification >= Classification.CONFIDENTIAL:
        with office_language():
            title, body = _("A confidential matter needs your attention"), ""
    notification, created = Notification.objects.get_or_create(
        kind=kind,
        item_key=item_key[:200],
        defaults={
            "title": title[:300],
            "body": body,
            "link": link,
            "due_date": due_date,
            "classification": classification,
            "user_ids": sorted(set(user_ids or ())),
            **({"roles": list(roles)} if roles else {}),
        },
    )
    if not created:
        return None
    if django_settings.XUNCHA_NOTIFY_EMAIL:
        organization = current_organization()
        transaction.on_commit(lambda: _notification_mail(notification=notification, organization=organization))
    return notification


def notification_recipients(*, notification: Notification, organization) -> list:
    """The people a notice is for: active members of `organization` in one of its roles (or those named), cleared
    for its level."""
    memberships = Membership.objects.filter(
        organization=organization,
        is_active=True,
        role__in=notification.roles,
        clearance__gte=notification.classification,
        user__is_active=True,
    )
    if notification.user_ids:
        memberships = memberships.filter(user_id__in=notification.user_ids)
    users = {membership.user_id: membership.user for membership in memberships.select_related("user")}
    return sorted(users.values(), key=lambda user: user.pk)


def _notification_mail(*, notification: Notification, organization) -> int:
    """Mail the notice to its people who have an address: its title up to 内部, above that only that there is one."""
    addresses = [user.email for user in notification_recipients(notification=notification, organization=organization)]
    addresses = [address for address in addresses if address]
    if not addresses:
        return 0
    with office_language():
        if notification.classification >= Classification.SECRET:
            subject = _("A new notification on the inspection platform (%(org)s)") % {"org": organization.name}
        else:
            subject = _("%(org)s: %(title)s") % {"org": organization.name, "title": notification.title}
        text = _("Sign in to the platform to read it: %(link)s") % {"link": f"{organization.route}{notification.link}"}
    try:
        return send_mass_mail([(subject, text, None, [address]) for address in addresses])
    except OSError as error:  # the notice is in the platform; a mail server that is down must not undo it
        logger.warning("notification mail not sent (%s)", type(error).__name__)
        return 0


def _due(item: selectors.DueItem) -> str:
    """The due date as a notification shows it, marked 暂定 when computed without a holiday table."""
    if item.provisional:
        return _("%(date)s (provisional)") % {"date": date_format(item.due)}
    return date_format(item.due)


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
    """The office's notification that `item` is due soon or overdue, and one for the people outside the office who
    answer for it (DueItem.people); `title` takes the due date and the label."""
    for suffix, roles, people in (("", item.roles, ()), ("#people", WORKING_ROLES, item.people)):
        if suffix and not people:
            continue
        notification_create(
            kind=f"{kind}:{item.item_type}",
            item_key=f"{item.item_key}@{item.due.isoformat()}{suffix}",
            title=title % {"due": _due(item), "what": item.label},
            link=item.link,
            due_date=item.due,
            roles=roles,
            user_ids=people,
            classification=item.classification,
        )


@transaction.atomic
@office_language()  # notifications and overdue labels are kept (and sent up): in the office's language
def reminders_run(*, today: date, organization=None) -> dict[str, int]:
    """Check every deadline of the current organisation: remind `lead` working days before it,
    once; when it has passed, notify once and send an overdue notice to the office above; resolve the notices
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
            notice = OverdueNotice.objects.create(
                item_type=item.item_type,
                item_key=item.item_key,
                label=item.label[:300],
                due_date=item.due,
                escalated_on=today,
            )
            sharing.overdue_notice_publish(notice=notice, organization=organization)
            fired["overdue"] += 1
    pending = {(item.item_type, item.item_key, item.due) for item in items}
    for notice in OverdueNotice.objects.select_for_update().filter(resolved_on__isnull=True):
        if (notice.item_type, notice.item_key, notice.due_date) not in pending:
            notice.resolved_on = today
            notice.save(update_fields=["resolved_on"])
            sharing.overdue_notice_publish(notice=notice, organization=organization)
            fired["resolved"] += 1
    return fired


GRANT_KINDS = ("grant_opened", "grant_ending")
GRANT_CLOSED = "grant_closed"


def _grant_words(grant) -> dict[str, str]:
    return {"org": grant.organization.name, "start": date_format(grant.starts_on), "end": date_format(grant.ends_on)}


def _grant_notify(*, grant, kind: str, item_key: str, title: str, linked: bool = True) -> bool:
    """The person's own notice about their grant, linking to the round they were lent to (the granting office's
    page checks their grant again) while it is open. Returns whether it is new."""
    return (
        notification_create(
            kind=kind,
            item_key=item_key,
            title=title,
            link=f"{grant.organization.route}rounds/{grant.round_key}/" if linked else "",
            due_date=grant.ends_on,
            roles=WORKING_ROLES,  # whatever post the person holds at home; the notice is theirs alone
            user_ids=[grant.user_id],
        )
        is not None
    )


def _grant_pk(item_key: str) -> int | None:
    """The grant a grant notice is about (its key is grant:<pk>:...)."""
    parts = item_key.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


@transaction.atomic
@office_language()  # kept and read later: in the office's language
def grant_notices_sync(*, organization, today: date) -> dict[str, int]:
    """At a team member's home office: tell the person, once, when another organisation's grant for a cross-county
    round opens for them and when it ends within the office's reminder lead; a notice whose grant no longer holds
    (revoked, window moved or over, the post at home gone) is removed, as access follows its reason, and the person
    is told, once, that their access was withdrawn or is closed. Run by the morning's job and, through
    shared.grants' grant_committed, as soon as a grant change commits; a second run adds nothing."""
    lead = ReminderSettings.current().lead_working_days
    overrides = office_overrides()
    live = list(grants_live_from(home_organization=organization, day=today))
    kept, made = set(), {"grant_opened": 0, "grant_ending": 0, GRANT_CLOSED: 0, "withdrawn": 0}
    for grant in live:
        where = _grant_words(grant)
        notices = [
            (
                "grant_opened",
                f"grant:{grant.pk}:{grant.starts_on}:{grant.ends_on}",
                _("You may work on %(org)s's cross-county round from %(start)s to %(end)s") % where,
            )
        ]
        if add_working_days(start=grant.ends_on, days=-lead, overrides=overrides).due <= today:
            notices.append(
                (
                    "grant_ending",
                    f"grant:{grant.pk}:{grant.ends_on}",
                    _("Your access to %(org)s's cross-county round ends on %(end)s") % where,
                )
            )
        for kind, key, title in notices:
            kept.add((kind, key))
            made[kind] += _grant_notify(grant=grant, kind=kind, item_key=key, title=title)
    # A grant open again (its window moved back over today) is no longer closed.
    Notification.objects.filter(kind=GRANT_CLOSED, item_key__in=[f"grant:{grant.pk}:closed" for grant in live]).delete()
    stale = [
        notice
        for notice in Notification.objects.filter(kind__in=GRANT_KINDS)
        if (notice.kind, notice.item_key) not in kept
    ]
    live_pks = {grant.pk for grant in live}
    closed_pks = {_grant_pk(notice.item_key) for notice in stale} - live_pks - {None}
    for notice in stale:
        notice.delete()
        made["withdrawn"] += 1
    for grant in AccessGrant.objects.filter(pk__in=closed_pks, home_organization=organization).select_related(
        "organization"
    ):
        where = _grant_words(grant)
        if grant.revoked_at is not None:
            title = _("Your access to %(org)s's cross-county round was withdrawn") % where
        else:
            title = (
                _("Your access to %(org)s's cross-county round is closed (its window: %(start)s to %(end)s)") % where
            )
        made[GRANT_CLOSED] += _grant_notify(
            grant=grant, kind=GRANT_CLOSED, item_key=f"grant:{grant.pk}:closed", title=title, linked=False
        )
    return made


@transaction.atomic
@office_language()
def overdue_notice_arrived(*, source_code: str, source_name: str, record_key: str, body: dict) -> None:
    """At the city: a county reported an overdue item; tell the city's office once."""
    if body.get("resolved_on"):
        return
    notification_create(
        kind="county_overdue",
        item_key=f"{source_code}:{record_key}",
        title=_("%(county)s is overdue since %(due)s: %(what)s")
        % {"county": source_name, "due": document_date(body.get("due_date")), "what": body.get("label")},
        link=f"reports/oversight/{source_code}/",  # the county's drill-down, which lists its open overdue items
    )


@transaction.atomic
def overdue_notice_withdrawn(*, source_code: str, record_key: str) -> int:
    """At the city: the county withdrew an overdue item it had reported (e.g. its round was raised to
    机密): the notification made from it goes too. Returns how many were removed."""
    notifications = Notification.objects.filter(kind="county_overdue", item_key=f"{source_code}:{record_key}"[:200])
    deleted, _per_model = notifications.delete()
    return deleted


@transaction.atomic
def notifications_mark_read(*, access, actor, notification_ids=None, link: str | None = None) -> int:
    """Mark this person's unread notices here read: all, those of `notification_ids`, or those leading to `link`
    (the page they just opened: a notice is read once its person has seen what it is about). Returns how many."""
    unread = selectors.notifications_for(access=access, actor=actor).exclude(reads__user=actor)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    if link is not None:
        unread = unread.filter(link=link)
    rows = [NotificationRead(notification=n, user=actor) for n in unread]
    NotificationRead.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
