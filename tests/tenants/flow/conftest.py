"""A round in the city's schema, past its hearing, with a team, a target, agencies and people in every role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access

CODE = "410600"
API = f"/org/{CODE}/api"
WEB = f"/org/{CODE}"


@dataclass
class Flow:
    org: object
    round: object
    other_round: object
    team: object
    target: object
    other_target: object
    agencies: dict
    users: dict = field(default_factory=dict)

    def access(self, name):
        return organization_access(user=self.users[name], organization_id=self.org.pk)

    def schema(self):
        return schema_context(self.org.schema_name)


def _member(org, role, clearance, name):
    """Like the make_member fixture, without hashing a password (argon2 is slow on purpose)."""
    from shared.accounts.models import Membership, User

    user = User.objects.create(username=f"flow-{name}", display_name=name)
    Membership.objects.create(user=user, organization=org, role=role, clearance=clearance)
    return user


@pytest.fixture
def flow(orgs):
    from tenants.agencies.models import Agency, AgencyDesk, AgencyKind, UnitLiaison
    from tenants.experts.models import Expert
    from tenants.rounds.models import MemberRole, Round, RoundState, Team, TeamMember, TeamTarget
    from tenants.targets.models import Target, TargetLevel

    org = orgs["city"]
    users = {
        "admin": _member(org, "office_admin", Classification.CONFIDENTIAL, "admin"),
        "staff_internal": _member(org, "office_staff", Classification.INTERNAL, "staff_internal"),
        "leader": _member(org, "team_leader", Classification.CONFIDENTIAL, "leader"),
        "member": _member(org, "team_member", Classification.CONFIDENTIAL, "member"),
        "outsider_leader": _member(org, "team_leader", Classification.CONFIDENTIAL, "outsider_leader"),
        "liaison": _member(org, "unit_liaison", Classification.INTERNAL, "liaison"),
        "other_liaison": _member(org, "unit_liaison", Classification.INTERNAL, "other_liaison"),
        "discipline_receiver": _member(org, "agency_receiver", Classification.CONFIDENTIAL, "discipline_receiver"),
        "org_receiver": _member(org, "agency_receiver", Classification.CONFIDENTIAL, "org_receiver"),
        "viewer": _member(org, "leading_group", Classification.INTERNAL, "viewer"),
    }
    with schema_context(org.schema_name):
        admin = users["admin"]
        target = Target.objects.create(name="市交通运输局党组", level=TargetLevel.CITY, managing_org_code=CODE)
        other_target = Target.objects.create(name="市水利局党组", level=TargetLevel.CITY, managing_org_code=CODE)
        round_obj = Round.objects.create(name="市委第一轮巡察", state=RoundState.FEEDBACK, created_by=admin)
        other_round = Round.objects.create(name="市委第二轮巡察", state=RoundState.FEEDBACK, created_by=admin)
        team = Team.objects.create(round=round_obj, name="第一巡察组")
        other_team = Team.objects.create(round=other_round, name="第二巡察组")
        TeamTarget.objects.create(team=team, round=round_obj, target=target)
        TeamTarget.objects.create(team=other_team, round=other_round, target=other_target)
        for name, role, team_of in (("leader", MemberRole.LEADER, team), ("member", MemberRole.MEMBER, team),
                                    ("outsider_leader", MemberRole.LEADER, other_team)):
            expert = Expert.objects.create(name=f"专家{name}", user=users[name])
            TeamMember.objects.create(team=team_of, round=team_of.round, expert=expert, role=role, added_by=admin)
        agencies = {kind: Agency.objects.create(name=f"市{label}", kind=kind) for kind, label in (
            (AgencyKind.DISCIPLINE, "纪委监委"), (AgencyKind.ORGANISATION, "委组织部"),
            (AgencyKind.PROCURATORATE, "检察院"), (AgencyKind.POLICE, "公安局"), (AgencyKind.PETITION, "信访局"),
            (AgencyKind.AUDIT, "审计局"), (AgencyKind.SASAC, "国资委"), (AgencyKind.UNIT, "交通运输局"))}
        AgencyDesk.objects.create(user=users["discipline_receiver"], agency=agencies[AgencyKind.DISCIPLINE])
        AgencyDesk.objects.create(user=users["org_receiver"], agency=agencies[AgencyKind.ORGANISATION])
        UnitLiaison.objects.create(user=users["liaison"], target=target)
        UnitLiaison.objects.create(user=users["other_liaison"], target=other_target)
    return Flow(org=org, round=round_obj, other_round=other_round, team=team, target=target,
                other_target=other_target, agencies=agencies, users=users)


def category(code):
    from tenants.office.models import FindingCategory

    return FindingCategory.objects.get(code=code)


def make_finding(flow, *, code="work-discipline", title="会议纪要不规范", classification=None, fixed=False,
                 round_obj=None, target=None, user="leader"):
    from tenants.findings.services import finding_create

    return finding_create(actor=flow.users[user], access=flow.access(user),
                          round_obj=round_obj or flow.round, target=target or flow.target, category=category(code),
                          title=title, description="描述", evidence="会议记录第3页", fixed_on_spot=fixed,
                          fixed_on_spot_note="当场整改" if fixed else "", classification=classification)


def make_clue(flow, *, code="integrity-discipline", summary="某副局长收受礼金线索"):
    from tenants.findings.services import clue_create

    return clue_create(actor=flow.users["leader"], access=flow.access("leader"), round_obj=flow.round,
                       target=flow.target, category=category(code), summary=summary,
                       persons=[{"name": "王某某", "position": "副局长"}])


def signed_feedback(flow, *, signed_on=datetime.date(2025, 9, 26)):
    from tenants.rectification.models import ReceiptParty
    from tenants.rectification.services import feedback_create, receipt_sign

    admin, access = flow.users["admin"], flow.access("admin")
    feedback = feedback_create(actor=admin, access=access, round_obj=flow.round, target=flow.target,
                               leadership_content="领导班子存在的问题……", principal_content="主要负责人存在的问题……")
    for party, name in ((ReceiptParty.TEAM_LEADER, "张组长"), (ReceiptParty.UNIT_PRINCIPAL, "李书记"),
                        (ReceiptParty.OFFICE_HEAD, "赵主任")):
        feedback = receipt_sign(actor=admin, access=access, feedback=feedback, party=party, signer_name=name,
                                signed_on=signed_on)
    return feedback
