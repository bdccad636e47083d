"""The campaign's record types whose arrival does something at the county (CrossorgConfig.ready() imports this):
what travels is sharing.py's; what a county does when the campaign or a reminder of it arrives is campaigns.py's
(a notification for the office)."""

from __future__ import annotations

from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.crossorg.campaigns import campaign_arrived, campaign_reminder_arrived
from tenants.crossorg.models import Campaign, CampaignReminder
from tenants.crossorg.sharing import (
    campaign_audience,
    campaign_reminder_audience,
    campaign_reminder_snapshot,
    campaign_snapshot,
)

CAMPAIGN = register(
    SharedRecordType(
        record_type="planning.campaign",
        schema_version=1,
        model=Campaign,
        snapshot=campaign_snapshot,
        audience=campaign_audience,
        on_receive=lambda *, replica, previous_body: campaign_arrived(replica=replica),
    )
)
CAMPAIGN_REMINDER = register(
    SharedRecordType(
        record_type="planning.campaign_reminder",
        schema_version=1,
        model=CampaignReminder,
        snapshot=campaign_reminder_snapshot,
        audience=campaign_reminder_audience,
        on_receive=lambda *, replica, previous_body: campaign_reminder_arrived(replica=replica),
        # A county taken off the campaign loses its reminders with the campaign.
        derived_from=(DerivedFrom(model=Campaign, records=lambda campaign: campaign.reminders.all()),),
    )
)
