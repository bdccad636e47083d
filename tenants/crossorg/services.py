"""Creating elevated/cross-county rounds and campaigns; what their lifecycle does across organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Classification, Membership
from shared.grants.models import AccessGrant
from shared.grants.services import grant_change, grant_create, grants_revoke_for_round
from shared.orgs.models import Organization, OrganizationKind
from sync.models import Replica
from sync.orgs import current_organization
from sync.outbox import record_changed
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.crossorg.models import Campaign, RoundArrangement
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
def elevated_round_create(*, name: str, host_org_code: str, created_by, cooperation: str = "",
                          onsite_start=None, onsite_end=None, classification: int = Classification.INTERNAL) -> Round:
    """提级巡察: the city's team on units the county normally inspects. The county is told that the
    round exists, its dates and the cooperation needed; nothing else."""
    city = _require_city()
    _child_county(city, host_org_code)
    round = round_create(name=name, kind=RoundKind.ELEVATED, created_by=created_by, onsite_start=onsite_start,
                         onsite_end=onsite_end, classification=classification)
    RoundArrangement.objects.create(round=round, host_org_code=host_org_code, cooperation=cooperation)
    record_changed(instance=round)
    return round


@transaction.atomic
def cross_round_create(*, name: str, home_org_code: str, host_org_code: str, created_by, onsite_start=None,
                       onsite_end=None, classification: int = Classification.INTERNAL) -> Round:
    """交叉巡察: organised by the city, a team from county A (home) on county B's (host) units. The round
    stays in the city's schema; neither county is told about it (B gets the rectification list after feedback)."""
    city = _require_city()
    _child_county(city, home_org_code)
    _child_county(city, host_org_code)
    if home_org_code == host_org_code:
        raise ValidationError(_("A cross-county team does not inspect its own county."))
    round = round_create(name=name, kind=RoundKind.CROSS, created_by=created_by, onsite_start=onsite_start,
                         onsite_end=onsite_end, classification=classification)
    RoundArrangement.objects.create(round=round, host_org_code=host_org_code, home_org_code=home_org_code)
    return round


@transaction.atomic
def round_reclassify(*, round: Round, classification: int, by, request=None) -> Round:
    """Change a round's level. Raising it withdraws replicas that no longer qualify (tombstones via the
    bus) and hides it from every user below the new level at their next request."""
    if classification not in Classification.values:
        raise ValidationError(_("Unknown classification."))
    round = Round.objects.select_for_update().get(pk=round.pk)
    before = round.classification
    round.classification = classification
    round.save(update_fields=["classification"])
    audit_event_record(action=AuditAction.RECLASSIFY, record_type="rounds.round", record_key=round.pk,
                       classification=max(before, classification), request=request, user=by,
                       detail={"from": before, "to": classification})
    if round.kind in (RoundKind.ELEVATED, RoundKind.LINKED):
        record_changed(instance=round)
    return round


def _home_clearance(user, home_org_code: str) -> int:
    levels = Membership.objects.filter(user=user, organization__code=home_org_code, is_active=True) \
        .values_list("clearance", flat=True)
    return max(levels, default=Classification.INTERNAL)


@transaction.atomic
def cross_round_grants_issue(*, round: Round, by) -> list[AccessGrant]:
    """Give each team member from county A access to the city for this round's window, for their own
    team's targets only. Members of the city itself need no grant."""
    arrangement = RoundArrangement.objects.get(round=round)
    city = current_organization()
    home = Organization.objects.get(code=arrangement.home_org_code)
    if not (round.onsite_start and round.onsite_end):
        raise ValidationError(_("Set the on-site window before announcing the round."))
    grants = []
    for team in Team.objects.filter(round=round).prefetch_related("members__expert", "team_targets"):
        targets = sorted(str(tt.target_id) for tt in team.team_targets.all())
        for member in team.members.all():
            user = member.expert.user
            if user is None or Membership.objects.filter(user=user, organization=city, is_active=True).exists():
                continue
            live = AccessGrant.objects.filter(user=user, organization=city, round_key=str(round.pk),
                                              revoked_at__isnull=True).first()
            if live:
                grants.append(grant_change(grant=live, by=by, target_keys=targets, starts_on=round.onsite_start,
                                           ends_on=round.onsite_end))
                continue
            grants.append(grant_create(
                organization=city, user=user, home_organization=home, round_key=round.pk, target_keys=targets,
                starts_on=round.onsite_start, ends_on=round.onsite_end, granted_by=by,
                role="team_leader" if member.role == MemberRole.LEADER else "team_member",
                clearance=_home_clearance(user, home.code),
            ))
    return grants


def round_kind_after_transition(*, round: Round, from_state: str, to_state: str, by) -> None:
    arrangement = RoundArrangement.objects.filter(round=round).first()
    if round.kind == RoundKind.CROSS:
        if to_state == RoundState.ANNOUNCED:
            cross_round_grants_issue(round=round, by=by)
        elif to_state == RoundState.REPORTING:
            grants_revoke_for_round(organization=current_organization(), round_key=round.pk, by=by,
                                    reason="on-site window over")
    if to_state == RoundState.FEEDBACK and arrangement is not None:
        arrangement.feedback_given_on = timezone.localdate()
        arrangement.save(update_fields=["feedback_given_on"])
    if round.kind in (RoundKind.ELEVATED, RoundKind.LINKED):
        record_changed(instance=round)


@transaction.atomic
def campaign_launch(*, title: str, county_codes, start_date, end_date, created_by, topic: str = "",
                    summary: str = "", classification: int = Classification.INTERNAL) -> Campaign:
    """联动/统一部署: the city launches; each selected county receives it and instantiates its own round."""
    city = _require_city()
    codes = sorted(set(county_codes))
    if not codes:
        raise ValidationError(_("Select at least one county."))
    for code in codes:
        _child_county(city, code)
    if end_date < start_date:
        raise ValidationError(_("A campaign cannot end before it starts."))
    campaign = Campaign.objects.create(title=title, topic=topic, summary=summary, start_date=start_date,
                                       end_date=end_date, county_codes=codes, created_by=created_by,
                                       classification=classification)
    record_changed(instance=campaign)
    return campaign


@transaction.atomic
def campaign_instantiate(*, replica: Replica, name: str, created_by, onsite_start=None, onsite_end=None) -> Round:
    """A county turns a received campaign into its own linked round; its progress then goes up."""
    organization = current_organization()
    if replica.record_type != "planning.campaign" or replica.tombstone or replica.body is None:
        raise ValidationError(_("This campaign is not (or no longer) available."))
    if organization.parent is None or replica.source != organization.parent.code:
        raise ValidationError(_("Only the city's own campaigns can be instantiated here."))
    if RoundArrangement.objects.filter(campaign_source=replica.source, campaign_key=replica.record_key).exists():
        raise ValidationError(_("This campaign already has its round here."))
    round = round_create(name=name, kind=RoundKind.LINKED, created_by=created_by, onsite_start=onsite_start,
                         onsite_end=onsite_end, topic=replica.body.get("topic", "")[:200],
                         classification=min(int(replica.classification), Classification.SECRET))
    RoundArrangement.objects.create(round=round, campaign_source=replica.source, campaign_key=replica.record_key)
    record_changed(instance=round)
    return round
