"""Read side: what each organisation and role sees of these rounds (always through visible_to)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from shared.orgs.models import Organization
from sync.replicas import ReplicaView, replicas_of
from tenants.attachments.selectors import attachments_by_record
from tenants.attachments.travel import received_files
from tenants.crossorg.models import Campaign, CampaignReply, RoundArrangement
from tenants.kernel.roles import MANAGERS, OVERSEERS, can_oversee
from tenants.ledger.registry import ledger_get
from tenants.ledger.selectors import ledger_list
from tenants.rounds.models import Round, RoundKind, RoundState, TeamTarget
from tenants.rounds.selectors import round_list_for
from xuncha.clearance import visible_to

ORGANISED_KINDS = (RoundKind.ELEVATED, RoundKind.CROSS)
RECTIFICATION_ITEM = "rectification.item"  # the superior's record type of the county's 督办 ledger
FEEDBACK_REACHED = (RoundState.FEEDBACK, RoundState.RECTIFICATION, RoundState.CLOSED, RoundState.ARCHIVED)


def round_feedback_given(round) -> bool:
    """The round reached its feedback stage (for elevated/cross-county rounds also recorded as the
    arrangement's `feedback_given_on`)."""
    return (
        round.state in FEEDBACK_REACHED
        or RoundArrangement.objects.filter(round_id=round.pk, feedback_given_on__isnull=False).exists()
    )


def organised_rounds(*, actor, access) -> QuerySet[Round]:
    """The city's elevated and cross-county rounds the caller may open (the round pages' own rule: the office
    and the leading group all, a team its own rounds, a granted user the granted round, anyone else none):
    a round's name is not listed to someone who may not see the round."""
    return (
        visible_to(
            round_list_for(actor=actor, access=access).filter(kind__in=ORGANISED_KINDS), access, round_field="id"
        )
        .select_related("arrangement")
        .order_by("-onsite_start", "-id")
    )


def granted_targets(*, access) -> QuerySet[TeamTarget]:
    """For a granted cross-county member: the assigned targets, nothing else."""
    return visible_to(
        TeamTarget.objects.all(), access, round_field="round_id", target_field="target_id"
    ).select_related("target", "round", "team")


def _replicas(record_type: str, access, match: dict | None = None) -> list[ReplicaView]:
    if not access.roles or access.is_granted:
        return []
    return replicas_of(record_type=record_type, clearance=access.clearance, match=match, order="newest")


def elevated_notices(*, access) -> list[ReplicaView]:
    """County side: elevated rounds the city runs on our units (existence, dates, cooperation)."""
    return _replicas("rounds.round", access, match={"kind": RoundKind.ELEVATED})


def campaigns_received(*, access) -> list[ReplicaView]:
    return _replicas("planning.campaign", access)


def campaign_received_get(*, access, replica_id: int) -> ReplicaView | None:
    """One campaign received from the office above, by its replica's id (as the overview page links it)."""
    if not access.roles or access.is_granted:
        return None
    found = replicas_of(record_type="planning.campaign", clearance=access.clearance, ids=[replica_id])
    return found[0] if found else None


def rectification_lists_received(*, access):
    """County side: the city's rectification items we supervise (our ledger rows, opened from the bus;
    the ledger's registry names their model, so this app need not import the rectification app)."""
    model = ledger_get(RECTIFICATION_ITEM).model
    if not access.roles or access.is_granted:
        return model.objects.none()
    return ledger_list(model=model, access=access)


@dataclass(frozen=True)
class CountyProgress:
    """One county's line of the city's campaign view, from the replicas it sent up."""

    code: str
    name: str
    started: bool
    round_name: str = ""
    stage: str = ""
    targets_count: int = 0
    teams_count: int = 0
    findings_count: int = 0
    declined_reason: str = ""
    rectification_items: int = 0
    rectification_closed: int = 0
    overdue_items: int = 0

    @property
    def answer(self) -> str:
        """started (accepted: its linked round exists), declined (with a reason) or unanswered."""
        return "started" if self.started else "declined" if self.declined_reason else "unanswered"

    @property
    def stage_label(self) -> str:
        """The county round's state in words (the replica carries its code)."""
        return str(RoundState(self.stage).label) if self.stage in RoundState.values else self.stage


def campaign_list(*, access) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(classification__lte=access.clearance)
        if access.roles and not access.is_granted
        else Campaign.objects.none()
    )


def _overdue(body, today) -> int:
    """Open rectification items past their due date today, and the round's open overdue escalations."""
    open_due = body.get("rectification_open_due") or []
    return sum(1 for due in open_due if due < today.isoformat()) + int(body.get("overdue_open") or 0)


def campaign_progress(*, campaign: Campaign) -> list[CountyProgress]:
    """The city's roll-up: each selected county's linked round, from the replicas it sent up."""
    today = timezone.localdate()
    names = dict(Organization.objects.filter(code__in=campaign.county_codes).values_list("code", "name"))
    replicas = {
        replica.source: replica.body
        for replica in replicas_of(
            record_type="rounds.round", sources=campaign.county_codes, match={"campaign_key": str(campaign.pk)}
        )
    }
    declined = {
        replica.source: replica.body.get("reason", "")
        for replica in replicas_of(
            record_type="planning.campaign_reply",
            sources=campaign.county_codes,
            match={"campaign_key": str(campaign.pk)},
        )
    }
    rows = []
    for code in campaign.county_codes:
        body = replicas.get(code)
        if body is None:
            rows.append(CountyProgress(code, names.get(code, code), False, declined_reason=declined.get(code, "")))
        else:
            rows.append(
                CountyProgress(
                    code=code,
                    name=names.get(code, code),
                    started=True,
                    round_name=body.get("name", ""),
                    stage=body.get("stage", ""),
                    targets_count=body.get("targets_count", 0),
                    teams_count=body.get("teams_count", 0),
                    findings_count=body.get("findings_count", 0),
                    rectification_items=body.get("rectification_items") or 0,
                    rectification_closed=body.get("rectification_closed") or 0,
                    overdue_items=_overdue(body, today),
                )
            )
    return rows


def campaign_files(*, campaign: Campaign) -> list:
    """The campaign's attachments for the counties (without their content)."""
    return attachments_by_record(records=[campaign]).get(str(campaign.pk), [])


def campaign_files_visible(*, actor, access) -> QuerySet[Campaign]:
    """The campaigns whose attachments this person may download here: those whose page they may open."""
    return campaign_list(access=access) if can_oversee(access) else Campaign.objects.none()


def campaign_received_files_visible(*, actor, access, replica) -> bool:
    """County side: whoever may open a received campaign's page may open the files that came with it."""
    return campaign_received_get(access=access, replica_id=replica.pk) is not None


def campaign_received_files(*, access, replica: ReplicaView) -> list:
    """County side: the complete files that came with a received campaign, up to the reader's clearance."""
    found = received_files(replicas=[replica], clearance=access.clearance)
    return found.get((replica.source, replica.record_key), [])


def campaign_reminders_last(*, campaign: Campaign) -> dict[str, object]:
    """{county code: when the city last reminded it} for one campaign."""
    last: dict[str, object] = {}
    for code, sent_at in campaign.reminders.order_by("sent_at").values_list("county_code", "sent_at"):
        last[code] = sent_at
    return last


def overview(*, actor, access) -> dict:
    """What the overview page and API show this person: a granted member its granted rounds and targets;
    anyone else the rounds organised here, campaigns with county progress, notices and lists received."""
    data = {"granted": access.is_granted}
    if access.is_granted:
        data["targets"] = list(granted_targets(access=access))
        data["rounds"] = list(organised_rounds(actor=actor, access=access))
        return data
    data["rounds"] = list(organised_rounds(actor=actor, access=access))  # only rounds one may open
    data["may_instantiate"] = data["may_manage"] = access.has_role(*MANAGERS)
    data["may_oversee"] = access.has_role(*OVERSEERS)
    data["campaigns"] = [(c, campaign_progress(campaign=c)) for c in campaign_list(access=access)]
    data["notices"] = list(elevated_notices(access=access))
    data["campaigns_received"] = list(campaigns_received(access=access))
    answers = campaign_answers(replicas=data["campaigns_received"])
    data["campaign_rows"] = [(replica, answers.get(replica.pk, "")) for replica in data["campaigns_received"]]
    data["rectification_received"] = list(rectification_lists_received(access=access))
    return data


def city_counties(*, organization) -> QuerySet[Organization]:
    """The counties of a city (its registries reach it); none for any other organisation."""
    if organization.kind != "city":
        return Organization.objects.none()
    return Organization.objects.filter(parent=organization, kind="county").order_by("code")


def _registry(record_type: str, *, access, county_code: str) -> list[ReplicaView]:
    if not access.roles or access.is_granted:
        return []
    held = replicas_of(record_type=record_type, sources=[county_code], clearance=access.clearance)
    return sorted(held, key=lambda replica: (replica.text("name"), replica.record_key))


def registry_units(*, access, county_code: str) -> list[ReplicaView]:
    """A county's units (被巡察单位) as its latest replica says (withdrawn ones are tombstones: not listed)."""
    return _registry("targets.target", access=access, county_code=county_code)


def registry_people(*, access, county_code: str) -> list[ReplicaView]:
    """A county's pool (巡察人才库) as its latest replica says."""
    return _registry("experts.expert", access=access, county_code=county_code)


def campaign_answers(*, replicas) -> dict[int, str]:
    """County side: for each received campaign (replica id), "started" or "declined" (none: not answered)."""
    keys = {(replica.source, replica.record_key): replica.pk for replica in replicas}
    if not keys:  # the county home's panel asks on every page, mostly with nothing received: no query then
        return {}
    # Only the replies and arrangements of these campaigns, not every one the county ever made.
    record_keys = {key for _source, key in keys}
    answers = {}
    replies = CampaignReply.objects.filter(campaign_key__in=record_keys)
    for source, key in replies.values_list("campaign_source", "campaign_key"):
        if (source, key) in keys:
            answers[keys[(source, key)]] = "declined"
    arrangements = RoundArrangement.objects.filter(campaign_key__in=record_keys)
    for source, key in arrangements.values_list("campaign_source", "campaign_key"):
        if (source, key) in keys:
            answers[keys[(source, key)]] = "started"
    return answers


def campaign_received_answer(*, replica: ReplicaView) -> str:
    """County side: our answer to one received campaign: "started", "declined" or "" (not answered)."""
    return campaign_answers(replicas=[replica]).get(replica.pk, "")


def round_openable(*, round: Round, actor, access) -> bool:
    """Whether the caller may open `round`'s page (its link is drawn only then): the rounds app's own rule."""
    return round_list_for(actor=actor, access=access).filter(pk=round.pk).exists()


def campaign_round_here(*, replica: ReplicaView) -> Round | None:
    """County side: our linked round started from a received campaign, if any."""
    arrangement = (
        RoundArrangement.objects.filter(campaign_source=replica.source, campaign_key=replica.record_key)
        .select_related("round")
        .first()
    )
    return arrangement.round if arrangement else None


def campaign_reply_here(*, replica: ReplicaView) -> CampaignReply | None:
    return CampaignReply.objects.filter(campaign_source=replica.source, campaign_key=replica.record_key).first()
