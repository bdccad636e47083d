"""The overdue escalation's record type, registered with the bus (ReminderConfig.ready() imports this):
what travels is tenants/reminders/sharing.py's; what arrives at the city goes to the services."""

from __future__ import annotations

from shared.orgs.models import Organization
from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.reminders.models import OverdueEscalation
from tenants.reminders.services import escalation_arrived, escalation_withdrawn
from tenants.reminders.sharing import (
    OVERDUE,
    escalation_audience,
    escalation_round,
    escalation_snapshot,
    escalations_of_round,
)
from tenants.rounds.models import Round


def escalation_received(*, replica, previous_body) -> None:
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
