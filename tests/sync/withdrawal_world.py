"""Shared records built through the services (state machine walked), for the withdrawal tests.

Each builder plants a marker in the content that travels, so the tests can search the destination's
whole schema for it once the right is taken away."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.selectors import organization_access

TODAY = timezone.localdate


@dataclass
class Office:
    """An organisation and the people who work its rounds there (each cleared for 机密, so nothing they
    stop seeing is hidden by their clearance rather than withdrawn)."""

    org: object
    users: dict = field(default_factory=dict)

    def access(self, name):
        return organization_access(person=self.users[name], organization_id=self.org.pk)

    def schema(self):
        return schema_context(self.org.schema_name)


def office(org, make_member, *roles) -> Office:
    users = {role: make_member(org, role, clearance=3, username=f"w-{org.code}-{role}") for role in roles}
    return Office(org=org, users=users)


def walked_round(
    place: Office,
    *,
    name: str,
    unit_county: str,
    to: str = "feedback",
    finding_title: str = "",
    severity: str = "serious",
    registry_name: str = "",
):
    """A regular round of `place` on one unit managed by `unit_county`, walked through the lifecycle up
    to `to` (on_site or feedback), with a finding recorded on site when `finding_title` is given. The unit
    and the leader are named after `registry_name` (default: the round): a county's unit and pool member
    reach its city's registry whatever happens to the round.
    Returns (round, team, target, finding)."""
    from tenants.experts.services import expert_create
    from tenants.findings.services import finding_create
    from tenants.office.models import FindingCategory
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        round_transition,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    admin, access = place.users["office_admin"], place.access("office_admin")
    start = TODAY() - timedelta(days=120)
    registry_name = registry_name or name
    target = target_create(
        name=f"{registry_name}单位",
        level="county" if unit_county != "410600" else "city",
        managing_org_code=unit_county,
        region_code=unit_county,
    )
    round = round_create(
        name=name, kind="regular", actor=admin, onsite_start=start, onsite_end=start + timedelta(days=46)
    )
    team = team_create(round=round, name=f"{name}组")
    leader = expert_create(name=f"{registry_name}组长", user=place.users["team_leader"])
    round_expert_authorise(round=round, expert=leader, actor=admin)
    team_member_add(team=team, expert=leader, role="leader", actor=admin)
    team_target_add(team=team, target=target)
    for state in ("team_formed", "announced", "on_site"):
        round = round_transition(round=round, to_state=state, actor=admin, access=access)
    finding = None
    if finding_title:
        finding = finding_create(
            actor=admin,
            access=access,
            round=round,
            team=team,
            target=target,
            category=FindingCategory.objects.get(code="work-discipline"),
            severity=severity,
            title=finding_title,
            description=f"{finding_title}的具体情况",
            evidence="会议记录",
        )
    if to == "feedback":
        for state in ("reporting", "hearing"):
            round = round_transition(round=round, to_state=state, actor=admin, access=access)
        round = round_transition(
            round=round,
            to_state="feedback",
            actor=place.users["leading_group"],
            access=place.access("leading_group"),
            note="领导小组同意反馈",
        )
    return round, team, target, finding


def supervised_item(city: Office, *, round, target, problem: str, assignee: str = "410621"):
    """Feedback to the unit and one rectification item the county `assignee` supervises (督办)."""
    from tenants.rectification.services import feedback_create, rectification_items_add

    admin, access = city.users["office_admin"], city.access("office_admin")
    delivered = round.onsite_end + timedelta(days=20)
    feedback = feedback_create(
        actor=admin,
        access=access,
        round=round,
        target=target,
        classification=1,
        leadership_content="巡察组向领导班子反馈问题。",
        principal_content="巡察组向主要负责人反馈情况。",
        leadership_delivered_on=delivered,
        principal_delivered_on=delivered,
    )
    [item] = rectification_items_add(
        actor=admin,
        access=access,
        feedback=feedback,
        items=[
            {
                "problem": problem,
                "task": f"针对{problem}开展专项整改",
                "responsible_unit": target.name,
                "responsible_person": "分管副主任",
                "due_date": TODAY() + timedelta(days=5),
                "assignee_org_code": assignee,
            }
        ],
    )
    return feedback, item


def handed_over_transfer(city: Office, *, finding):
    """The finding transferred to the discipline commission, all three hand-over signatures given."""
    from tenants.agencies.services import agency_create, agency_desk_assign
    from tenants.transfers.models import Party, TransferType
    from tenants.transfers.services import transfer_create, transfer_sign

    admin, access = city.users["office_admin"], city.access("office_admin")
    agency = agency_create(access=access, name="市纪委监委", kind="discipline")
    agency_desk_assign(access=access, person=city.users["agency_receiver"], agency=agency)
    transfer = transfer_create(actor=admin, access=access, transfer_type=TransferType.CONDUCT_ISSUE, finding=finding)
    for party, who in ((Party.TEAM, "team_leader"), (Party.OFFICE, "office_admin"), (Party.AGENCY, "agency_receiver")):
        transfer = transfer_sign(actor=city.users[who], access=city.access(who), transfer=transfer, party=party)
    return transfer
