"""reminders.overdue: an overdue item a county reports to its city (owned by the county).

Chosen over a notification written into the city: the city's schema is not the county's to
write (single writer); the county owns the fact that its item is overdue, sends it as a shared
record, and the city's arrival hook turns it into one notification for the city's office. When the
item is done the county sends the resolution and the city's oversight page stops counting it.
The escalation derives from its round (the hearing's, the feedback's or the transfer's): raising
the round to 机密 withdraws it, and the city's notification made from it goes with it.
"""

from __future__ import annotations

from django.apps import apps

OVERDUE = "reminders.overdue"


def escalation_snapshot(escalation) -> dict:
    return {
        "item_type": escalation.item_type,
        "label": escalation.label,
        "due_date": escalation.due_date.isoformat(),
        "escalated_on": escalation.escalated_on.isoformat(),
        "resolved_on": escalation.resolved_on.isoformat() if escalation.resolved_on else None,
        "classification": 1,
    }


def escalation_audience(escalation, owner) -> set[str]:
    # Only a county escalates over the bus: the province receives filings only.
    return {owner.parent.code} if owner.kind == "county" and owner.parent_id else set()


def escalation_round(escalation):
    """The round an overdue item belongs to (item keys round:<pk>, feedback:<pk>, transfer:<pk>), or None."""
    kind, _colon, pk = escalation.item_key.partition(":")
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


def escalations_of_round(round):
    from tenants.reminders.models import OverdueEscalation

    keys = [f"round:{round.pk}"]
    for prefix, app, name in (("feedback", "rectification", "Feedback"), ("transfer", "transfers", "Transfer")):
        if apps.is_installed(f"tenants.{app}"):
            keys += [
                f"{prefix}:{pk}"
                for pk in apps.get_model(app, name).objects.filter(round=round).values_list("pk", flat=True)
            ]
    return OverdueEscalation.objects.filter(item_key__in=keys)


def escalation_received(*, replica, previous_body) -> None:
    from shared.orgs.models import Organization
    from tenants.reminders.services import escalation_arrived, escalation_withdrawn

    if replica.tombstone or not replica.body:
        escalation_withdrawn(source_code=replica.source, record_key=replica.record_key)
        return
    source = Organization.objects.filter(code=replica.source).first()
    escalation_arrived(
        source_code=replica.source,
        source_name=source.name if source else replica.source,
        record_key=replica.record_key,
        body=replica.body,
    )


def escalation_publish(*, escalation, organization) -> None:
    if apps.is_installed("sync") and organization is not None and organization.kind == "county":
        from sync.outbox import record_changed

        record_changed(instance=escalation, owner=organization)


if apps.is_installed("sync"):
    from sync.registry import DerivedFrom, SharedRecordType, register
    from tenants.reminders.models import OverdueEscalation
    from tenants.rounds.models import Round

    register(
        SharedRecordType(
            record_type=OVERDUE,
            schema_version=1,
            model=OverdueEscalation,
            snapshot=escalation_snapshot,
            audience=escalation_audience,
            key=lambda escalation: escalation.bus_key,
            on_receive=escalation_received,
            derived_from=(DerivedFrom(model=Round, records=escalations_of_round, parent=escalation_round),),
        )
    )
