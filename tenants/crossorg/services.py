"""Creating elevated/cross-county rounds and campaigns; what their lifecycle does across organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Classification, Membership
from shared.grants.models import AccessGrant
from shared.grants.services import grant_change, grant_create, grant_revoke
from shared.orgs.models import Organization, OrganizationKind
from sync.orgs import current_organization
from sync.outbox import record_changed
from sync.replicas import ReplicaView
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.crossorg.models import Campaign, RoundArrangement
from tenants.crossorg.replies import reply_withdraw_on_start
from tenants.rounds.models import MemberRole, Round, RoundKind, RoundState, Team
from tenants.rounds.services import round_create


def _child_county(city: Organization, code: str) -> Organization:
    county = Organization.objects.filter(code=code, parent=city, kind=OrganizationKind.COUNTY).first()
    if county is None:
        raise ValidationError(_("%(code)s is not a county of this city.") % {"code": code})
    return county


def _require_city() -> Organization:
    organization = current_organization()
    if organization.kind != OrganizationKind.CITY:
        raise ValidationError(_("Only a city office organises elevated and cross-county rounds and campaigns."))
    return organization


@transaction.atomic
def elevated_round_create(
    *,
    name: str,
    host_org_code: str,
    actor,
    cooperation: str = "",
    onsite_start=None,
    onsite_end=None,
    classification: int = Classification.INTERNAL,
) -> Round:
    """提级巡察: the city's team on units the county normally inspects. The county is told that the
    round exists, its dates and the cooperation needed; nothing else."""
    city = _require_city()
    _child_county(city, host_org_code)
    round = round_create(
        name=name,
        kind=RoundKind.ELEVATED,
        actor=actor,
        onsite_start=onsite_start,
        onsite_end=onsite_end,
        classification=classification,
    )
    RoundArrangement.objects.create(round=round, host_org_code=host_org_code, cooperation=cooperation)
    record_changed(instance=round)
    return round


@transaction.atomic
def cross_round_create(
    *,
    name: str,
    home_org_code: str,
    host_org_code: str,
    actor,
    onsite_start=None,
    onsite_end=None,
    classification: int = Classification.INTERNAL,
) -> Round:
    """交叉巡察: organised by the city, a team from county A (home) on county B's (host) units. The round
    stays in the city's schema; neither county is told about it (B gets the rectification list after feedback)."""
    city = _require_city()
    _child_county(city, home_org_code)
    _child_county(city, host_org_code)
    if home_org_code == host_org_code:
        raise ValidationError(_("A cross-county team does not inspect its own county."))
    round = round_create(
        name=name,
        kind=RoundKind.CROSS,
        actor=actor,
        onsite_start=onsite_start,
        onsite_end=onsite_end,
        classification=classification,
    )
    RoundArrangement.objects.create(round=round, host_org_code=host_org_code, home_org_code=home_org_code)
    return round


@transaction.atomic
def round_reclassify(*, round: Round, classification: int, actor, request=None) -> Round:
    """Change a round's level. Raising it withdraws replicas that no longer qualify (tombstones via the
    bus) and hides it from every user below the new level at their next request."""
    if classification not in Classification.values:
        raise ValidationError(_("Unknown classification."))
    round = Round.objects.select_for_update().get(pk=round.pk)
    before = round.classification
    round.classification = classification
    round.save(update_fields=["classification"])
    audit_event_record(
        action=AuditAction.RECLASSIFY,
        record_type="rounds.round",
        record_key=round.pk,
        classification=max(before, classification),
        request=request,
        actor=actor,
        detail={"from": before, "to": classification},
    )
    if round.kind in (RoundKind.ELEVATED, RoundKind.LINKED):
        record_changed(instance=round)
    return round


def _home_clearance(user, home_org_code: str) -> int:
    levels = Membership.objects.filter(user=user, organization__code=home_org_code, is_active=True).values_list(
        "clearance", flat=True
    )
    return max(levels, default=Classification.INTERNAL)


# While the team works on site (进驻动员, 进驻巡察) its members from county A may enter the city; from
# 撰写报告 on, or in any other state, nobody holds a grant for the round.
GRANT_STATES = frozenset({RoundState.ANNOUNCED, RoundState.ON_SITE})


@dataclass(frozen=True)
class DueGrant:
    """One grant a cross-county round justifies now: who, as what, on which targets, for which window."""

    user: object
    role: str
    target_keys: tuple[str, ...]
    starts_on: date
    ends_on: date
    clearance: int


def cross_round_due_grants(*, round: Round) -> tuple[dict[int, DueGrant], str]:
    """The grants `round` justifies in its current state, by user id, computed from the round alone (kind,
    state, on-site window, teams, their members and targets); and, when it justifies none at all, why.

    None unless a cross-county round, announced or on site, with both dates of its window; then one per
    team member from county A with a platform account who is not a member of the city, for the targets
    assigned to their own team (a team with no target gives nothing)."""
    if round.kind != RoundKind.CROSS:
        return {}, "not a cross-county round"
    if round.state not in GRANT_STATES:
        return {}, f"round moved to {round.state}"
    if not (round.onsite_start and round.onsite_end):
        return {}, "on-site window cleared"
    arrangement = RoundArrangement.objects.filter(round=round).first()
    if arrangement is None or not arrangement.home_org_code:
        return {}, "no home county"
    city = current_organization()
    due: dict[int, DueGrant] = {}
    for team in Team.objects.filter(round=round).prefetch_related("members__expert__user", "team_targets"):
        targets = tuple(sorted(str(tt.target_id) for tt in team.team_targets.all()))
        if not targets:
            continue
        for member in team.members.all():
            user = member.expert.user
            if (
                user is None
                or not user.is_active
                or Membership.objects.filter(user=user, organization=city, is_active=True).exists()
            ):
                continue
            due[user.pk] = DueGrant(
                user=user,
                role="team_leader" if member.role == MemberRole.LEADER else "team_member",
                target_keys=targets,
                starts_on=round.onsite_start,
                ends_on=round.onsite_end,
                clearance=_home_clearance(user, arrangement.home_org_code),
            )
    return due, ""


@transaction.atomic
def cross_round_grants_sync(*, round: Round, actor=None) -> list[AccessGrant]:
    """Make the round's live grants exactly those cross_round_due_grants computes: create the missing,
    change those whose targets, window or clearance differ, revoke the rest (audited, in the caller's
    transaction). Called by every service that changes what a grant follows: the round's fields
    (window, kind), its state, its teams, members and targets. `actor` is the person making the change
    (the round's creator when a script calls a service without one)."""
    city = current_organization()
    granter = actor or round.created_by
    due, reason = cross_round_due_grants(round=round)
    live = {
        grant.user_id: grant
        for grant in AccessGrant.objects.select_for_update().filter(
            organization=city, round_key=str(round.pk), revoked_at__isnull=True
        )
    }
    for user_id, grant in live.items():
        wanted = due.get(user_id)
        if wanted is None or wanted.role != grant.role:
            grant_revoke(
                grant=grant,
                actor=actor,
                reason=reason or ("no longer on the team" if wanted is None else "role in the team changed"),
            )
    home = None
    grants = []
    for user_id, wanted in due.items():
        grant = live.get(user_id)
        if grant is not None and grant.role == wanted.role:
            if (tuple(grant.target_keys), grant.starts_on, grant.ends_on, grant.clearance) != (
                wanted.target_keys,
                wanted.starts_on,
                wanted.ends_on,
                wanted.clearance,
            ):
                grant = grant_change(
                    grant=grant,
                    actor=granter,
                    target_keys=wanted.target_keys,
                    starts_on=wanted.starts_on,
                    ends_on=wanted.ends_on,
                    clearance=wanted.clearance,
                )
            grants.append(grant)
            continue
        if home is None:
            home = Organization.objects.get(code=RoundArrangement.objects.get(round=round).home_org_code)
        grants.append(
            grant_create(
                organization=city,
                person=wanted.user,
                home_organization=home,
                round_key=round.pk,
                target_keys=wanted.target_keys,
                starts_on=wanted.starts_on,
                ends_on=wanted.ends_on,
                actor=granter,
                role=wanted.role,
                clearance=wanted.clearance,
            )
        )
    return grants


def round_kind_after_transition(*, round: Round, from_state: str, to_state: str, actor) -> None:
    arrangement = RoundArrangement.objects.filter(round=round).first()
    if round.kind == RoundKind.CROSS:
        cross_round_grants_sync(round=round, actor=actor)
    if to_state == RoundState.FEEDBACK and arrangement is not None:
        arrangement.feedback_given_on = timezone.localdate()
        arrangement.save(update_fields=["feedback_given_on"])
    if round.kind in (RoundKind.ELEVATED, RoundKind.LINKED):
        record_changed(instance=round)


@transaction.atomic
def campaign_launch(
    *,
    title: str,
    county_codes,
    start_date,
    end_date,
    actor,
    topic: str = "",
    summary: str = "",
    classification: int = Classification.INTERNAL,
) -> Campaign:
    """联动/统一部署: the city launches; each selected county receives it and instantiates its own round."""
    city = _require_city()
    codes = sorted(set(county_codes))
    if not codes:
        raise ValidationError(_("Select at least one county."))
    for code in codes:
        _child_county(city, code)
    if end_date < start_date:
        raise ValidationError(_("A campaign cannot end before it starts."))
    campaign = Campaign.objects.create(
        title=title,
        topic=topic,
        summary=summary,
        start_date=start_date,
        end_date=end_date,
        county_codes=codes,
        created_by=actor,
        classification=classification,
    )
    record_changed(instance=campaign)
    return campaign


@transaction.atomic
def campaign_instantiate(*, replica: ReplicaView, name: str, actor, onsite_start=None, onsite_end=None) -> Round:
    """A county turns a received campaign into its own linked round; its progress then goes up."""
    organization = current_organization()
    if replica.record_type != "planning.campaign" or replica.tombstone or not replica.body:
        raise ValidationError(_("This campaign is not (or no longer) available."))
    if organization.parent is None or replica.source != organization.parent.code:
        raise ValidationError(_("Only the city's own campaigns can be instantiated here."))
    if replica.body.get("closed_on"):
        raise ValidationError(_("The city has closed this campaign."))
    if RoundArrangement.objects.filter(campaign_source=replica.source, campaign_key=replica.record_key).exists():
        raise ValidationError(_("This campaign already has its round here."))
    round = round_create(
        name=name,
        kind=RoundKind.LINKED,
        actor=actor,
        onsite_start=onsite_start,
        onsite_end=onsite_end,
        topic=replica.text("topic")[:200],
        classification=min(int(replica.classification), Classification.SECRET),
    )
    RoundArrangement.objects.create(round=round, campaign_source=replica.source, campaign_key=replica.record_key)
    record_changed(instance=round)
    reply_withdraw_on_start(replica=replica)  # an earlier "we cannot" no longer holds
    return round
