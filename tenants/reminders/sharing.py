"""reminders.overdue: an overdue item a county reports to its city (owned by the county).

Chosen over a notification written into the city: the city's schema is not the county's to
write (single writer); the county owns the fact that its item is overdue, sends it as a shared
record, and the city's arrival hook (tenants/reminders/arrivals.py) turns it into one notification
for the city's office. When the item is done the county sends the resolution and the city's oversight
page stops counting it. The notice derives from its round (the hearing's, the feedback's or the transfer's): raising
the round to 机密 withdraws it, and the city's notification made from it goes with it.
"""

from __future__ import annotations

from django.apps import apps

from sync.outbox import record_changed
from tenants.reminders.models import OverdueNotice

OVERDUE = "reminders.overdue"


def overdue_notice_snapshot(notice) -> dict:
    return {
        "item_type": notice.item_type,
        "label": notice.label,
        "due_date": notice.due_date.isoformat(),
        "escalated_on": notice.escalated_on.isoformat(),
        "resolved_on": notice.resolved_on.isoformat() if notice.resolved_on else None,
        "classification": 1,
    }


def overdue_notice_audience(notice, owner) -> set[str]:
    # Only a county sends overdue notices over the bus: the province receives filings only.
    return {owner.parent.code} if owner.kind == "county" and owner.parent_id else set()


def overdue_notice_round(notice):
    """The round an overdue item belongs to (item keys round:<pk>, feedback:<pk>, transfer:<pk>), or None."""
    kind, _colon, pk = notice.item_key.partition(":")
    if not pk.isdigit():
        return None
    models = {
        "round": ("rounds", "Round", "pk"),
        "feedback": ("rectification", "Feedback", "round"),
        "transfer": ("transfers", "Transfer", "round"),
    }
    if kind not in models or not apps.is_installed(f"tenants.{models[kind][0]}"):
        return None
    app, name, to_round = models[kind]
    row = apps.get_model(app, name).objects.filter(pk=int(pk)).first()
    return row if row is None or to_round == "pk" else getattr(row, to_round)


def overdue_notices_of_round(round):
    keys = [f"round:{round.pk}"]
    for prefix, app, name in (("feedback", "rectification", "Feedback"), ("transfer", "transfers", "Transfer")):
        if apps.is_installed(f"tenants.{app}"):
            keys += [
                f"{prefix}:{pk}"
                for pk in apps.get_model(app, name).objects.filter(round=round).values_list("pk", flat=True)
            ]
    return OverdueNotice.objects.filter(item_key__in=keys)


def overdue_notice_publish(*, notice, organization) -> None:
    if organization is not None and organization.kind == "county":
        record_changed(instance=notice, owner=organization)
