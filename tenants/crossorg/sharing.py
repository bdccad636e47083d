"""What these rounds share over the bus (rules: sync/policy.py `rounds.round`, `planning.campaign`).

- elevated round → the county managing its targets (the policy lets only existence, dates and
  cooperation through);
- linked round of a county → its city (progress, with the campaign key so the city can roll it up);
- cross-county round → nobody (the target county gets the rectification list from the
  rectification app after feedback);
- campaign → the counties it selects (registered in arrivals.py: its arrival notifies the county's office), and a
  reminder (催办) of it → the one county it names;
- every other kind (regular, special, ad hoc, look-back): schedule down to the owner's counties,
  progress up to its city, and from a city to the province as a filing.
"""

from __future__ import annotations

from django.apps import apps

from shared.accounts.models import Classification
from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.crossorg.arrivals import elevated_notice_received
from tenants.crossorg.models import Campaign, CampaignReminder, CampaignReply, RoundArrangement
from tenants.findings.models import Finding
from tenants.reminders.models import OverdueNotice
from tenants.reminders.sharing import overdue_notice_round, overdue_notices_of_round
from tenants.rounds.models import Round, RoundKind, Team, TeamTarget

# The rectification app builds on this one (it reads the arrangements), so its item model is looked up by name.
RECTIFICATION_ITEM = apps.get_model("rectification", "RectificationItem")


def _arrangement(round: Round):
    return RoundArrangement.objects.filter(round=round).first()


def _rectification(round: Round) -> dict:
    """The round's rectification as its city rolls it up: items listed, items closed (销号), the open items' due
    dates (so the city counts what is overdue on the day it looks), and the round's open overdue notices."""
    items = list(RECTIFICATION_ITEM.objects.filter(feedback__round=round).values_list("status", "due_date"))
    open_due = sorted(due.isoformat() for status, due in items if status != "closed")
    return {
        "rectification_items": len(items),
        "rectification_closed": len(items) - len(open_due),
        "rectification_open_due": open_due,
        "overdue_open": overdue_notices_of_round(round).filter(resolved_on__isnull=True).count(),
    }


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
        "findings_count": Finding.objects.filter(round=round).count(),
        **_rectification(round),
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
        "closed_on": campaign.closed_on.isoformat() if campaign.closed_on else None,
        "classification": campaign.classification,
    }


def campaign_audience(campaign: Campaign, owner) -> set[str]:
    return set(campaign.county_codes)


def campaign_reminder_snapshot(reminder: CampaignReminder) -> dict:
    return {
        "campaign_key": str(reminder.campaign_id),
        "campaign_title": reminder.campaign.title,
        "county_code": reminder.county_code,
        "sent_at": reminder.sent_at.isoformat(),
        "classification": Classification.INTERNAL,
    }


def campaign_reminder_audience(reminder: CampaignReminder, owner) -> set[str]:
    """The county it names, while that county takes part in the campaign (taken off it: withdrawn with it)."""
    return {reminder.county_code} if reminder.county_code in reminder.campaign.county_codes else set()


ROUND = register(
    SharedRecordType(
        record_type="rounds.round",
        schema_version=1,
        model=Round,
        snapshot=round_snapshot,
        audience=round_audience,
        on_receive=elevated_notice_received,  # the county's office is told of an elevated round and its changes
        # The arrangement names the county an elevated round is told to (and carries the cooperation asked); a
        # round's units, findings, rectification items and overdue notices are counted in its progress,
        # which its city's campaign view shows within seconds of the change.
        derived_from=(
            DerivedFrom(model=RoundArrangement, records=lambda arrangement: [arrangement.round]),
            DerivedFrom(model=TeamTarget, records=lambda team_target: [team_target.round]),
            DerivedFrom(model=Finding, records=lambda finding: [finding.round]),
            DerivedFrom(model=RECTIFICATION_ITEM, records=lambda item: [item.feedback.round]),
            DerivedFrom(model=OverdueNotice, records=lambda notice: [r for r in [overdue_notice_round(notice)] if r]),
        ),
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
