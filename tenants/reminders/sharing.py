"""reminders.overdue: an overdue item a county reports to its city (owned by the county).

Chosen over a notification written into the city: the city's schema is not the county's to
write (single writer); the county owns the fact that its item is overdue, sends it as a shared
record, and the city's arrival hook turns it into one notification for the city's office. When the
item is done the county sends the resolution and the city's oversight page stops counting it.
"""

from __future__ import annotations

from django.apps import apps

OVERDUE = "reminders.overdue"


def escalation_snapshot(escalation) -> dict:
    return {
        "item_type": escalation.item_type, "label": escalation.label, "due_date": escalation.due_date.isoformat(),
        "escalated_on": escalation.escalated_on.isoformat(),
        "resolved_on": escalation.resolved_on.isoformat() if escalation.resolved_on else None,
        "classification": 1,
    }


def escalation_audience(escalation, owner) -> set[str]:
    # Only a county escalates over the bus: the province receives filings only.
    return {owner.parent.code} if owner.kind == "county" and owner.parent_id else set()


def escalation_received(*, replica, previous_body) -> None:
    from shared.orgs.models import Organization
    from tenants.reminders.services import escalation_arrived

    if replica.tombstone or not replica.body:
        return
    source = Organization.objects.filter(code=replica.source).first()
    escalation_arrived(source_code=replica.source, source_name=source.name if source else replica.source,
                       record_key=replica.record_key, body=replica.body)


def escalation_publish(*, escalation, organization) -> None:
    if apps.is_installed("sync") and organization is not None and organization.kind == "county":
        from sync.outbox import record_changed

        record_changed(instance=escalation, owner=organization)


if apps.is_installed("sync"):
    from sync.registry import SharedRecordType, register

    from tenants.reminders.models import OverdueEscalation

    register(SharedRecordType(
        record_type=OVERDUE, schema_version=1, model=OverdueEscalation, snapshot=escalation_snapshot,
        audience=escalation_audience, key=lambda escalation: escalation.bus_key, on_receive=escalation_received,
    ))
