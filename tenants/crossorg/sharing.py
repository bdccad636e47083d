"""What these rounds share over the bus (rules: sync/policy.py `rounds.round`, `planning.campaign`).

- elevated round → the county managing its targets (the policy lets only existence, dates and
  cooperation through);
- linked round of a county → its city (progress, with the campaign key so the city can roll it up);
- cross-county round → nobody (the target county gets the rectification list from the
  rectification app after feedback);
- campaign → the counties it selects;
- every other kind (regular, special, ad hoc, look-back): schedule down to the owner's counties,
  progress up to its city, and from a city to the province as a filing.
"""

from __future__ import annotations

from shared.accounts.models import Classification
from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.crossorg.arrivals import elevated_notice_received
from tenants.crossorg.models import Campaign, CampaignReply, RoundArrangement
from tenants.rounds.models import Round, RoundKind, Team, TeamTarget


def _arrangement(round: Round):
    return RoundArrangement.objects.filter(round=round).first()


def _findings_count(round: Round) -> int:
    try:
        from tenants.findings.models import Finding
    except ImportError:  # the findings app is optional for this module
        return 0
    return Finding.objects.filter(round=round).count()


def round_snapshot(round: Round) -> dict:
    arrangement = _arrangement(round)
    return {
        "name": round.name,
        "kind": round.kind,
        "batch": "",
        "start_date": round.onsite_start.isoformat() if round.onsite_start else None,
        "end_date": round.onsite_end.isoformat() if round.onsite_end else None,
        "status": round.state,
        "stage": round.state,
        "classification": round.classification,
        "cooperation": arrangement.cooperation if arrangement else "",
        "target_managing_org_code": arrangement.host_org_code if arrangement else "",
        "campaign_key": arrangement.campaign_key if arrangement else "",
        "targets_count": TeamTarget.objects.filter(round=round).count(),
        "teams_count": Team.objects.filter(round=round).count(),
        "findings_count": _findings_count(round),
    }


def round_audience(round: Round, owner) -> set[str]:
    arrangement = _arrangement(round)
    if round.kind == RoundKind.ELEVATED and arrangement and arrangement.host_org_code:
        return {arrangement.host_org_code}
    if round.kind == RoundKind.LINKED:
        return {owner.parent.code} if owner.parent_id else set()
    if round.kind in (RoundKind.ELEVATED, RoundKind.CROSS):
        return set()
    codes = set(owner.children.values_list("code", flat=True))
    if owner.parent_id:
        codes.add(owner.parent.code)
    return codes


def campaign_snapshot(campaign: Campaign) -> dict:
    return {
        "title": campaign.title,
        "summary": campaign.summary,
        "topic": campaign.topic,
        "start_date": campaign.start_date.isoformat(),
        "end_date": campaign.end_date.isoformat(),
        "classification": campaign.classification,
    }


ROUND = register(
    SharedRecordType(
        record_type="rounds.round",
        schema_version=1,
        model=Round,
        snapshot=round_snapshot,
        audience=round_audience,
        on_receive=elevated_notice_received,  # the county's office is told of an elevated round and its changes
        # The arrangement names the county an elevated round is told to (and carries the cooperation asked).
        derived_from=(DerivedFrom(model=RoundArrangement, records=lambda arrangement: [arrangement.round]),),
    )
)
CAMPAIGN = register(
    SharedRecordType(
        record_type="planning.campaign",
        schema_version=1,
        model=Campaign,
        snapshot=campaign_snapshot,
        audience=lambda campaign, owner: set(campaign.county_codes),
    )
)


def campaign_reply_snapshot(reply: CampaignReply) -> dict:
    return {
        "campaign_key": reply.campaign_key,
        "answer": "declined",
        "reason": reply.reason,
        "replied_at": reply.declined_at.isoformat(),
        "classification": Classification.INTERNAL,
    }


CAMPAIGN_REPLY = register(
    SharedRecordType(
        record_type="planning.campaign_reply",
        schema_version=1,
        model=CampaignReply,
        snapshot=campaign_reply_snapshot,
        # To the city that launched the campaign (the county's parent: the policy allows only up).
        audience=lambda reply, owner: {reply.campaign_source},
    )
)
