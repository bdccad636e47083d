"""Two rounds in the city's schema (one in feedback, one on site), each with a team on one target; agencies
and people in every role."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import Workbook

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access
from tenants.targets.models import TargetLevel
from tests.tenants.walk import round_walk

CODE = "410600"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
    experts: dict = field(default_factory=dict)

    def access(self, name):
        return organization_access(person=self.users[name], organization_id=self.org.pk)

    def schema(self):
        return schema_context(self.org.schema_name)

    def walkers(self):
        """round_walk's keyword arguments: the office admin moves the round, the leading group gives feedback."""
        return {
            "office": self.users["admin"],
            "office_access": self.access("admin"),
            "leading": self.users["viewer"],
            "leading_access": self.access("viewer"),
        }


def _member(org, role, clearance, name):
    """Like the make_member fixture, without hashing a password (argon2 is slow on purpose)."""
    from shared.accounts.models import Membership, User

    user = User.objects.create(username=f"flow-{name}", display_name=name)
    Membership.objects.create(user=user, organization=org, role=role, clearance=clearance)
    return user


ONSITE = {"onsite_start": datetime.date(2025, 4, 7), "onsite_end": datetime.date(2025, 5, 9)}  # 23 working days


def staffed_round(*, name, team_name, target, people, office, office_access, kind="regular", **fields):
    """A round of `kind` with one team on `target`, built by the services: `people` maps a role on the team
    to an Expert (authorised for the round, then put on the team, so the avoidance rules apply)."""
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        team_create,
        team_member_add,
        team_target_add,
    )

    if kind == "regular":
        round = round_create(name=name, kind=kind, actor=office, **{**ONSITE, **fields})
    else:  # elevated: the city's round on one county's units
        from tenants.crossorg.services import elevated_round_create

        round = elevated_round_create(name=name, actor=office, **{**ONSITE, **fields})
    team = team_create(round=round, name=team_name)
    team_target_add(team=team, target=target)
    for role, expert in people.items():
        round_expert_authorise(round=round, expert=expert, actor=office)
        team_member_add(team=team, expert=expert, role=role, actor=office)
    return round, team


@pytest.fixture
def flow(orgs):
    """The city's flow (flow_build)."""
    return flow_build(orgs["city"])


def flow_build(org) -> Flow:
    """Everything is made by the services in `org` (the city, or a county), as the office would on the pages.
    The first round is walked by round_transition from planned to feedback (the hearing's decision recorded
    by the leading group), the other one to on site."""
    from tenants.agencies.models import AgencyKind
    from tenants.agencies.services import agency_create, agency_desk_assign, unit_liaison_assign
    from tenants.experts.services import expert_create
    from tenants.rounds.models import MemberRole
    from tenants.targets.services import target_create

    level = TargetLevel.CITY if org.kind == "city" else TargetLevel.COUNTY
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
        office = {"office": admin, "office_access": organization_access(person=admin, organization_id=org.pk)}
        leading = {
            "leading": users["viewer"],
            "leading_access": organization_access(person=users["viewer"], organization_id=org.pk),
        }
        target = target_create(name="市交通运输局党组", level=level, managing_org_code=org.code)
        other_target = target_create(name="市水利局党组", level=level, managing_org_code=org.code)
        experts = {
            name: expert_create(name=f"专家{name}", user=users[name])
            for name in ("leader", "member", "outsider_leader")
        }
        round, team = staffed_round(
            name="市委第一轮巡察",
            team_name="第一巡察组",
            target=target,
            **office,
            people={MemberRole.LEADER: experts["leader"], MemberRole.MEMBER: experts["member"]},
        )
        other_round, _other_team = staffed_round(
            name="市委第二轮巡察",
            team_name="第二巡察组",
            target=other_target,
            **office,
            people={MemberRole.LEADER: experts["outsider_leader"]},
        )
        round = round_walk(round, "feedback", **office, **leading)
        other_round = round_walk(other_round, "on_site", **office)
        agencies = {
            kind: agency_create(access=office["office_access"], name=f"市{label}", kind=kind)
            for kind, label in (
                (AgencyKind.DISCIPLINE, "纪委监委"),
                (AgencyKind.ORGANISATION, "委组织部"),
                (AgencyKind.PROCURATORATE, "检察院"),
                (AgencyKind.POLICE, "公安局"),
                (AgencyKind.PETITION, "信访局"),
                (AgencyKind.AUDIT, "审计局"),
                (AgencyKind.SASAC, "国资委"),
                (AgencyKind.UNIT, "交通运输局"),
            )
        }
        for user, agency in (("discipline_receiver", AgencyKind.DISCIPLINE), ("org_receiver", AgencyKind.ORGANISATION)):
            agency_desk_assign(access=office["office_access"], person=users[user], agency=agencies[agency])
        for user, unit in (("liaison", target), ("other_liaison", other_target)):
            unit_liaison_assign(access=office["office_access"], person=users[user], target=unit)
    return Flow(
        org=org,
        round=round,
        other_round=other_round,
        team=team,
        target=target,
        other_target=other_target,
        agencies=agencies,
        users=users,
        experts=experts,
    )


def category(code):
    from tenants.office.models import FindingCategory

    return FindingCategory.objects.get(code=code)


def make_finding(
    flow,
    *,
    code="work-discipline",
    title="会议纪要不规范",
    classification=None,
    fixed=False,
    round=None,
    target=None,
    actor="leader",
):
    from tenants.findings.services import finding_create

    return finding_create(
        actor=flow.users[actor],
        access=flow.access(actor),
        round=round or flow.round,
        target=target or flow.target,
        category=category(code),
        title=title,
        description="描述",
        evidence="会议记录第3页",
        fixed_on_spot=fixed,
        fixed_on_spot_note="当场整改" if fixed else "",
        classification=classification,
    )


def make_clue(flow, *, code="integrity-discipline", summary="某副局长收受礼金线索"):
    from tenants.findings.services import clue_create

    return clue_create(
        actor=flow.users["leader"],
        access=flow.access("leader"),
        round=flow.round,
        target=flow.target,
        category=category(code),
        summary=summary,
        persons=[{"name": "王某某", "position": "副局长"}],
    )


RECEIPT_SIGNERS = (("team_leader", "张组长"), ("unit_principal", "李书记"), ("office_head", "赵主任"))


def new_feedback(flow):
    """The office's feedback on the first round's target, its receipt not signed yet."""
    from tenants.rectification.services import feedback_create

    return feedback_create(
        actor=flow.users["admin"],
        access=flow.access("admin"),
        round=flow.round,
        target=flow.target,
        leadership_content="领导班子存在的问题……",
        principal_content="主要负责人存在的问题……",
    )


def clue_transfer(flow):
    """A clue of the first round, to be handed over to the discipline agency (not signed yet)."""
    from tenants.transfers.models import TransferType
    from tenants.transfers.services import transfer_create

    return transfer_create(
        actor=flow.users["admin"],
        access=flow.access("admin"),
        transfer_type=TransferType.DISCIPLINE_CLUE,
        clue=make_clue(flow),
    )


def handed_over_transfer(flow, *, today):
    """`clue_transfer`, signed on `today` by the team's member, the office and the discipline agency: handed over."""
    from tenants.transfers.models import Party
    from tenants.transfers.services import transfer_sign

    transfer = clue_transfer(flow)
    for party, user in ((Party.TEAM, "member"), (Party.OFFICE, "admin"), (Party.AGENCY, "discipline_receiver")):
        transfer = transfer_sign(
            actor=flow.users[user], access=flow.access(user), transfer=transfer, party=party, today=today
        )
    return transfer


def signed_feedback(flow, *, signed_on=datetime.date(2025, 9, 26)):
    from tenants.rectification.services import receipt_sign

    admin, access = flow.users["admin"], flow.access("admin")
    feedback = new_feedback(flow)
    for party, name in RECEIPT_SIGNERS:
        feedback = receipt_sign(
            actor=admin, access=access, feedback=feedback, party=party, signer_name=name, signed_on=signed_on
        )
    return feedback


def items_due(*, actor, access, feedback, dues, task="修订议事规则", problem="问题"):
    """One rectification item per due date on `feedback`, added by the service (tasks and problems numbered 1...)."""
    from tenants.rectification.services import rectification_items_add

    return rectification_items_add(
        actor=actor,
        access=access,
        feedback=feedback,
        items=[
            {
                "problem": f"{problem}{n}",
                "task": f"{task}{n}",
                "responsible_unit": "办公室",
                "responsible_person": "李书记",
                "due_date": due,
            }
            for n, due in enumerate(dues, start=1)
        ],
    )


def supervised_item_add(
    *, office, office_access, leading, leading_access, county_code, target_name, round_name, problem, due_in_days=20
):
    """In the city's schema: a round on a unit `county_code` manages, walked by the services to 反馈 (the leading
    group recording the hearing's decision), with feedback and one rectification item added by the service, so the
    item goes to that county's 督办 ledger. Returns the item."""
    from django.utils import timezone

    from tenants.experts.services import expert_create
    from tenants.rectification.services import feedback_create, rectification_items_add
    from tenants.rounds.models import MemberRole
    from tenants.targets.services import target_create

    target = target_create(name=target_name, level="county", managing_org_code=county_code)
    round, _team = staffed_round(
        name=round_name,
        team_name="督办组",
        target=target,
        office=office,
        office_access=office_access,
        people={MemberRole.LEADER: expert_create(name="督办组长")},
    )
    round = round_walk(
        round, "feedback", office=office, office_access=office_access, leading=leading, leading_access=leading_access
    )
    feedback = feedback_create(
        actor=office,
        access=office_access,
        round=round,
        target=target,
        leadership_content="班子问题",
        principal_content="负责人问题",
    )
    [item] = rectification_items_add(
        actor=office,
        access=office_access,
        feedback=feedback,
        items=[
            {
                "problem": problem,
                "task": "整改任务",
                "responsible_unit": "办公室",
                "responsible_person": "李某",
                "due_date": timezone.localdate() + datetime.timedelta(days=due_in_days),
            }
        ],
    )
    return item


def xlsx_upload(rows, name: str = "导入.xlsx") -> SimpleUploadedFile:
    """A one-sheet workbook of `rows` (the header first), as an upload for an import page."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)
