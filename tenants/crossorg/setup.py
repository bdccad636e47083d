"""Setting up elevated and cross-county rounds and campaigns from the city's pages and API (issue 12).

Each service takes what the form asks, refuses with the rule named next to its field (ValidationError
keyed by field), and makes everything in one transaction: the round and its arrangement, the city's copies
of the county units and people picked from the replicas (adoption.py), the team, its members (the rounds
service checks avoidance with the county's declarations) and targets. A refusal leaves nothing written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared.accounts.models import Classification
from shared.orgs.models import Organization, OrganizationKind
from sync.orgs import current_organization
from sync.outbox import record_changed
from sync.replicas import ReplicaView, replicas_of
from tenants.attachments.checks import CheckedFile
from tenants.attachments.services import attachments_add, attachments_check
from tenants.crossorg.adoption import PERSON, UNIT, person_adopt, unit_adopt
from tenants.crossorg.models import Campaign, RoundArrangement
from tenants.crossorg.selectors import ORGANISED_KINDS
from tenants.crossorg.services import campaign_launch, cross_round_create, elevated_round_create
from tenants.rounds.models import MemberRole, Round, RoundKind, Team, TeamMember, TeamTarget
from tenants.rounds.services import round_expert_authorise, round_update, team_create, team_member_add, team_target_add


class _Errors:
    """Refusals collected per field, raised together (each names its rule)."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _city() -> Organization:
    city = current_organization()
    if city.kind != OrganizationKind.CITY:
        raise ValidationError(_("Only a city office organises elevated and cross-county rounds and campaigns."))
    return city


def _county(errors: _Errors, field: str, city: Organization, code: str) -> Organization | None:
    county = Organization.objects.filter(code=code, parent=city, kind=OrganizationKind.COUNTY).first()
    if county is None:
        errors.add(field, _("Choose one of this city's counties (only its own counties take part)."))
    return county


def _window(errors: _Errors, onsite_start, onsite_end, *, why: str) -> None:
    if onsite_start is None:
        errors.add("onsite_start", _("The on-site dates are required: %(why)s") % {"why": why})
    if onsite_end is None:
        errors.add("onsite_end", _("The on-site dates are required: %(why)s") % {"why": why})
    if onsite_start and onsite_end and onsite_end < onsite_start:
        errors.add("onsite_end", _("The on-site period cannot end before it starts."))


def _replicas(errors: _Errors, field: str, ids, *, record_type: str, county: Organization | None, rule: str):
    """The live replicas `ids` of `record_type`, each from `county`; a wrong one is refused by `rule`."""
    ids = [int(pk) for pk in ids]
    found = {replica.pk: replica for replica in replicas_of(record_type=record_type, ids=ids)}
    chosen = []
    for pk in ids:
        replica = found.get(pk)
        if replica is None or replica.tombstone or not replica.body:
            errors.add(field, _("A chosen record has been withdrawn by its county; reload the page."))
        elif county is not None and (
            replica.source != county.code
            or (record_type == UNIT and replica.body.get("managing_org_code") != county.code)
        ):
            errors.add(field, rule % {"name": replica.body.get("name", ""), "county": county.name})
        else:
            chosen.append(replica)
    return chosen


def _units_check(errors: _Errors, units, host: Organization | None, *, kind_rule: str) -> list[ReplicaView]:
    if not units:
        errors.add("units", _("Choose at least one unit of the county."))
    return _replicas(errors, "units", units, record_type=UNIT, county=host, rule=kind_rule)


def _team_staff(
    *, round: Round, team_name: str, units: list[ReplicaView], people: list[tuple[ReplicaView, str]], actor
):
    """The team, its targets, then its members (each refused by the rule it breaks, on its field)."""
    team = team_create(round=round, name=team_name)
    for replica in units:
        try:
            team_target_add(team=team, target=unit_adopt(replica=replica), actor=actor)
        except ValidationError as error:
            raise ValidationError({"units": error.messages}) from None
    for replica, role in people:
        try:
            expert = person_adopt(replica=replica, actor=actor)
            round_expert_authorise(round=round, expert=expert, actor=actor)
            team_member_add(team=team, expert=expert, role=role, actor=actor)
        except ValidationError as error:
            raise ValidationError({"people": error.messages}) from None
    return team


@transaction.atomic
def cross_round_setup(
    *,
    name: str,
    home_org_code: str,
    host_org_code: str,
    onsite_start,
    onsite_end,
    team_name: str,
    people,
    leader,
    units,
    actor,
    classification: int = Classification.INTERNAL,
) -> Round:
    """交叉巡察 from the city's page: a team of county A's people (from A's pool replica) on county B's units
    (from B's registry replica), for the on-site window."""
    city = _city()
    errors = _Errors()
    home = _county(errors, "home_org_code", city, home_org_code)
    host = _county(errors, "host_org_code", city, host_org_code)
    if home is not None and host is not None and home == host:
        errors.add(
            "host_org_code",
            _("Cross-county rule (交叉巡察): the team does not inspect its own county; choose another county."),
        )
        host = None
    _window(errors, onsite_start, onsite_end, why=_("the team's access to the units exists only during them."))
    if not (name or "").strip():
        errors.add("name", _("Give the round a name."))
    if not (team_name or "").strip():
        errors.add("team_name", _("Give the team a name."))
    chosen_units = _units_check(
        errors,
        units,
        host,
        kind_rule=_("Cross-county rule (交叉巡察): %(name)s is not a unit of %(county)s, the inspected county."),
    )
    people = [int(pk) for pk in people or []]
    if not people:
        errors.add("people", _("Choose the team's people from the home county's pool."))
    elif leader is None or int(leader) not in people:
        errors.add("leader", _("The team leader is one of the chosen people."))
    chosen_people = _replicas(
        errors,
        "people",
        people,
        record_type=PERSON,
        county=home,
        rule=_("Cross-county rule (交叉巡察): %(name)s is not in the pool of %(county)s, the team's home county."),
    )
    errors.raise_any()
    round = cross_round_create(
        name=name.strip(),
        home_org_code=home.code,
        host_org_code=host.code,
        actor=actor,
        onsite_start=onsite_start,
        onsite_end=onsite_end,
        classification=classification,
    )
    roles = [
        (replica, MemberRole.LEADER if replica.pk == int(leader) else MemberRole.MEMBER) for replica in chosen_people
    ]
    _team_staff(round=round, team_name=team_name.strip(), units=chosen_units, people=roles, actor=actor)
    return round


@transaction.atomic
def elevated_round_setup(
    *,
    name: str,
    host_org_code: str,
    onsite_start,
    onsite_end,
    cooperation: str,
    team_name: str,
    units,
    actor,
    classification: int = Classification.INTERNAL,
) -> Round:
    """提级巡察 from the city's page: the city's team on units of one county (from its registry replica); the
    county is told the round, its dates and the cooperation asked, nothing else."""
    city = _city()
    errors = _Errors()
    host = _county(errors, "host_org_code", city, host_org_code)
    _window(errors, onsite_start, onsite_end, why=_("the county is told when the team comes."))
    if not (name or "").strip():
        errors.add("name", _("Give the round a name."))
    if not (team_name or "").strip():
        errors.add("team_name", _("Give the team a name."))
    if not (cooperation or "").strip():
        errors.add("cooperation", _("Say what cooperation the county is asked for."))
    chosen_units = _units_check(
        errors, units, host, kind_rule=_("Elevated rule (提级巡察): %(name)s is not a unit of %(county)s.")
    )
    errors.raise_any()
    round = elevated_round_create(
        name=name.strip(),
        host_org_code=host.code,
        actor=actor,
        cooperation=cooperation.strip(),
        onsite_start=onsite_start,
        onsite_end=onsite_end,
        classification=classification,
    )
    _team_staff(round=round, team_name=team_name.strip(), units=chosen_units, people=[], actor=actor)
    return round


@transaction.atomic
def organised_round_update(*, round: Round, actor, name: str, onsite_start, onsite_end, cooperation: str = "") -> Round:
    """Edit an elevated or cross-county round's name, window and (elevated) cooperation: the rounds service
    re-derives the cross-county grants; the elevated notice to the county follows at once."""
    _city()
    if round.kind not in (RoundKind.ELEVATED, RoundKind.CROSS):
        raise ValidationError(_("Only elevated and cross-county rounds are edited here."))
    errors = _Errors()
    _window(errors, onsite_start, onsite_end, why=_("access and notices follow the on-site window."))
    if not (name or "").strip():
        errors.add("name", _("Give the round a name."))
    if round.kind == RoundKind.ELEVATED and not (cooperation or "").strip():
        errors.add("cooperation", _("Say what cooperation the county is asked for."))
    errors.raise_any()
    round = round_update(round=round, actor=actor, name=name.strip(), onsite_start=onsite_start, onsite_end=onsite_end)
    if round.kind == RoundKind.ELEVATED:
        arrangement = RoundArrangement.objects.select_for_update().get(round=round)
        if arrangement.cooperation != cooperation.strip():
            arrangement.cooperation = cooperation.strip()
            arrangement.save(update_fields=["cooperation"])  # re-shares the notice (sync derived_from)
    return round


def _campaign_check(errors: _Errors, city, *, title, county_codes, start_date, end_date) -> list[str]:
    if not (title or "").strip():
        errors.add("title", _("Give the campaign a title."))
    if start_date is None:
        errors.add("start_date", _("The campaign's dates are required: each county plans its round within them."))
    if end_date is None:
        errors.add("end_date", _("The campaign's dates are required: each county plans its round within them."))
    if start_date and end_date and end_date < start_date:
        errors.add("end_date", _("A campaign cannot end before it starts."))
    codes = sorted(set(county_codes or []))
    if not codes:
        errors.add("county_codes", _("Choose the counties taking part."))
    for code in codes:
        _county(errors, "county_codes", city, code)
    return codes


def _files_check(errors: _Errors, files) -> list[CheckedFile]:
    """The campaign's attachments checked by their content with the other fields: one bad file refuses all."""
    try:
        return attachments_check(files=files)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                errors.add(field, message)
        return []


@transaction.atomic
def campaign_setup(
    *, title: str, topic: str, summary: str, start_date, end_date, county_codes, actor, files=()
) -> Campaign:
    """联动巡察 / 统一部署 from the city's page: the campaign, with its attachments, goes to each chosen county."""
    city = _city()
    errors = _Errors()
    codes = _campaign_check(
        errors, city, title=title, county_codes=county_codes, start_date=start_date, end_date=end_date
    )
    checked = _files_check(errors, files)
    errors.raise_any()
    campaign = campaign_launch(
        title=title.strip(),
        topic=(topic or "").strip(),
        summary=(summary or "").strip(),
        county_codes=codes,
        start_date=start_date,
        end_date=end_date,
        actor=actor,
    )
    attachments_add(actor=actor, record=campaign, files=checked)
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, title: str, topic: str, summary: str, start_date, end_date, county_codes, actor, files=()
):
    """Edit a campaign: each county's copy follows; a county taken off it has its copy withdrawn. `files` are
    added to its attachments (removing one is campaigns.campaign_file_remove)."""

    city = _city()
    errors = _Errors()
    codes = _campaign_check(
        errors, city, title=title, county_codes=county_codes, start_date=start_date, end_date=end_date
    )
    checked = _files_check(errors, files)
    errors.raise_any()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_on is not None:
        raise ValidationError(_("The campaign is closed: it can no longer be changed."))
    changes = {
        "title": title.strip(),
        "topic": (topic or "").strip(),
        "summary": (summary or "").strip(),
        "start_date": start_date,
        "end_date": end_date,
        "county_codes": codes,
    }
    if any(getattr(campaign, field) != value for field, value in changes.items()):
        for field, value in changes.items():
            setattr(campaign, field, value)
        campaign.full_clean(exclude=["created_by"])
        campaign.save()
        record_changed(instance=campaign)
    attachments_add(actor=actor, record=campaign, files=checked)
    return campaign


def _one_replica(*, record_type: str, replica_id, county: Organization | None, field_name: str, rule: str):
    found = replicas_of(record_type=record_type, ids=[int(replica_id)]) if replica_id else []
    if not found or county is None or found[0].source != county.code:
        raise ValidationError({field_name: [rule]})
    return found[0]


def _steered(round: Round, team: Team, county_field: str) -> Organization | None:
    """The county (home_org_code or host_org_code of the arrangement) whose replica a steering change picks."""
    if current_organization().kind != "city" or round.kind not in ORGANISED_KINDS:
        raise ValidationError(_("Only elevated and cross-county rounds are steered here."))
    if team.round_id != round.pk:
        raise ValidationError({"team": [_("Choose one of this round's teams.")]})
    code = getattr(RoundArrangement.objects.get(round=round), county_field)
    return Organization.objects.filter(code=code).first()


@transaction.atomic
def organised_round_person_add(*, round: Round, team: Team, person, role: str = MemberRole.MEMBER, actor) -> TeamMember:
    """Put one person of the home county's pool (replica id `person`) on a team of a cross-county round: the
    city's copy is made from the replica, authorised for the round and added (avoidance checked by the
    rounds service); their grant follows in the same transaction."""
    home = _steered(round, team, "home_org_code")
    if round.kind != RoundKind.CROSS:
        raise ValidationError({"person": [_("An elevated round is staffed by the city's own pool.")]})
    replica = _one_replica(
        record_type=PERSON,
        replica_id=person,
        county=home,
        field_name="person",
        rule=_("Cross-county rule (交叉巡察): choose a person of the team's home county pool (%(county)s).")
        % {"county": home.name if home else ""},
    )
    try:
        expert = person_adopt(replica=replica, actor=actor)
        round_expert_authorise(round=round, expert=expert, actor=actor)
        return team_member_add(team=team, expert=expert, role=role, actor=actor)
    except ValidationError as error:
        raise ValidationError({"person": error.messages}) from None


@transaction.atomic
def organised_round_unit_add(*, round: Round, team: Team, unit, actor) -> TeamTarget:
    """Assign one unit of the inspected county (replica id `unit`) to a team (before the announcement, like
    every target); the grants of the team follow."""
    host = _steered(round, team, "host_org_code")
    replica = _one_replica(
        record_type=UNIT,
        replica_id=unit,
        county=host,
        field_name="unit",
        rule=_("Choose a unit of the inspected county (%(county)s).") % {"county": host.name if host else ""},
    )
    try:
        return team_target_add(team=team, target=unit_adopt(replica=replica), actor=actor)
    except ValidationError as error:
        raise ValidationError({"unit": error.messages}) from None
