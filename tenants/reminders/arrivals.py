"""The overdue notice's record type, registered with the bus (ReminderConfig.ready() imports this):
what travels is tenants/reminders/sharing.py's; what arrives at the city goes to the services."""

from __future__ import annotations

from shared.orgs.models import Organization
from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.reminders.models import OverdueNotice
from tenants.reminders.services import overdue_notice_arrived, overdue_notice_withdrawn
from tenants.reminders.sharing import (
    OVERDUE,
    overdue_notice_audience,
    overdue_notice_round,
    overdue_notice_snapshot,
    overdue_notices_of_round,
)
from tenants.rounds.models import Round


def overdue_notice_received(*, replica, previous_body) -> None:
    if replica.tombstone or not replica.body:
        overdue_notice_withdrawn(source_code=replica.source, record_key=replica.record_key)
        return
    source = Organization.objects.filter(code=replica.source).first()
    overdue_notice_arrived(
        source_code=replica.source,
        source_name=source.name if source else replica.source,
        record_key=replica.record_key,
        body=replica.body,
    )


register(
    SharedRecordType(
        record_type=OVERDUE,
        schema_version=1,
        model=OverdueNotice,
        snapshot=overdue_notice_snapshot,
        audience=overdue_notice_audience,
        key=lambda notice: notice.bus_key,
        on_receive=overdue_notice_received,
        derived_from=(DerivedFrom(model=Round, records=overdue_notices_of_round, parent=overdue_notice_round),),
    )
)
