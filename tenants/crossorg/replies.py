"""A county's answer to its city's campaign (统一部署, issue 12 point 3): it accepts by starting its own linked
round (services.campaign_instantiate), or says why it cannot (`campaign_decline`). The answer goes up to the
city (sync `planning.campaign_reply`), whose campaign view shows it per county; starting the round later
withdraws the answer (the round's progress then speaks for the county)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sync.orgs import current_organization
from sync.outbox import record_changed
from sync.replicas import ReplicaView
from tenants.crossorg.models import CampaignReply, RoundArrangement


def _received(replica: ReplicaView):
    organization = current_organization()
    if replica.record_type != "planning.campaign" or replica.tombstone or replica.body is None:
        raise ValidationError(_("This campaign is not (or no longer) available."))
    if organization.parent is None or replica.source != organization.parent.code:
        raise ValidationError(_("Only the city's own campaigns can be instantiated here."))
    if replica.body.get("closed_on"):
        raise ValidationError(_("The city has closed this campaign."))
    return organization


@transaction.atomic
def campaign_decline(*, replica: ReplicaView, reason: str, actor) -> CampaignReply:
    """The county cannot run the campaign now, and says why (the reason goes to the city)."""
    _received(replica)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the county cannot run this campaign; the city reads it.")})
    if RoundArrangement.objects.filter(campaign_source=replica.source, campaign_key=replica.record_key).exists():
        raise ValidationError(_("This campaign already has its round here."))
    reply, _created = CampaignReply.objects.update_or_create(
        campaign_source=replica.source,
        campaign_key=replica.record_key,
        defaults={"reason": reason, "declined_by": actor, "declined_at": timezone.now()},
    )
    record_changed(instance=reply)
    return reply


def reply_withdraw_on_start(*, replica: ReplicaView) -> None:
    """The county starts the campaign's round after all: its earlier refusal is withdrawn from the city."""
    for reply in CampaignReply.objects.filter(campaign_source=replica.source, campaign_key=replica.record_key):
        reply.delete()  # sync.derived tombstones the city's copy in this transaction
