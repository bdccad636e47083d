"""Demo data for the core apps, in 浚县 (410621) and 鹤壁市 (410600): targets, an expert pool, approved annual
plans, and two rounds per office, so every step of a round can be seen and walked in the browser at once:

- a finished round (办结): team, targets, findings (one 立行立改), a clue handed over to the discipline
  commission with its three signatures, the leading group's hearing, feedback to the leadership and the
  principal with the three-signature receipt, the unit's plan and reports, every rectification item closed
  with evidence and verification (对账销号), closed — its dates lie months back so the deadlines make sense;
- a running round, on site since last week, with its first findings (walk it on to closed).

Everything is made through the services, by the demo people of each office (staff, leading group, team
leader, unit liaison, agency receiver), exactly as the pages would; a round that exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.models import User
from shared.accounts.selectors import organization_access
from shared.orgs.models import Organization
from tenants.agencies.models import Agency, UnitLiaison
from tenants.agencies.services import agency_create, agency_desk_assign, unit_liaison_assign
from tenants.experts.models import Expert
from tenants.experts.services import expert_create
from tenants.findings.models import Clue, Finding
from tenants.findings.services import clue_create, finding_create
from tenants.office.models import FindingCategory
from tenants.planning.models import AnnualPlan
from tenants.planning.services import plan_create, plan_decide, plan_submit
from tenants.rectification import services as rectification
from tenants.rectification.models import Feedback
from tenants.reports.models import HearingRecord
from tenants.reports.services import hearing_record_create
from tenants.rounds.models import Round
from tenants.rounds.services import (
    round_create,
    round_expert_authorise,
    round_transition,
    team_create,
    team_member_add,
    team_target_add,
)
from tenants.targets.models import Target
from tenants.targets.services import parse_leaders, target_create
from tenants.transfers.models import Transfer
from tenants.transfers.services import transfer_create, transfer_report_handling, transfer_sign
from xuncha.demo.seeding import DemoContext

TARGETS = {
    "410621": [
        ("城关镇党委", "township", "乡镇党委", "410621100", ["涉农资金"], "张建国:党委书记*; 李红:镇长"),
        ("善堂镇党委", "township", "乡镇党委", "410621104", ["涉农资金", "扶贫"], "王伟:党委书记*"),
        ("县财政局党组", "county", "县直部门", "", ["财政"], "赵敏:局长*"),
        ("县教育局党组", "county", "县直部门", "", ["教育"], "孙强:局长*"),
    ],
    "410600": [
        ("市住建局党组", "city", "市直部门", "", ["工程建设"], "周平:局长*"),
        ("市国资委党委", "city", "市直部门", "", ["国有资产"], "吴刚:主任*"),
    ],
}
EXPERTS = [
    # name, specialty, unit, home region, demo user-name suffix to link
    ("陈组长", "discipline", "县纪委监委", "410621102", "teamlead"),
    ("刘组员", "audit", "县审计局", "410621103", "member"),
    ("郑专家", "finance", "县财政局党组", "410621", None),
    ("冯专家", "police", "县公安局", "410621104", None),
]
SLUGS = {"410621": "xunxian", "410600": "hebi"}
AGENCIES = {"410621": "浚县纪委监委", "410600": "鹤壁市纪委监委"}
FINISHED_SUFFIX, RUNNING_SUFFIX = "（示例·已办结）", "（示例·进行中）"
HEARING_SUFFIX, RECTIFYING_SUFFIX = "（示例·待听取汇报）", "（示例·整改中）"  # xuncha/demo/workload.py's rounds
EXAMPLE_SUFFIXES = (FINISHED_SUFFIX, RUNNING_SUFFIX, HEARING_SUFFIX, RECTIFYING_SUFFIX)


@dataclass(frozen=True)
class RoundPlan:
    """Who is on the demo round of one office and which targets it inspects."""

    members: tuple[tuple[str, str], ...]  # (expert name, role)
    targets: tuple[str, ...]


FINISHED = {
    "410621": RoundPlan(members=(("陈组长", "leader"), ("刘组员", "member")), targets=("县教育局党组", "善堂镇党委")),
    "410600": RoundPlan(members=(("陈组长", "leader"), ("刘组员", "member")), targets=("市住建局党组",)),
}
RUNNING = {
    "410621": RoundPlan(members=(("陈组长", "leader"), ("冯专家", "member")), targets=("城关镇党委", "县财政局党组")),
    "410600": RoundPlan(members=(("陈组长", "leader"), ("冯专家", "member")), targets=("市国资委党委",)),
}

# category code, severity, title, description, evidence, fixed on the spot (how) — by target position in the round
FINDINGS = [
    (
        "two-responsibilities",
        "serious",
        "落实全面从严治党主体责任不到位",
        "党组专题研究党风廉政建设不足，对下属单位监督检查流于形式。",
        "党组会议记录（近三年）、谈话记录",
        "",
    ),
    (
        "eight-rules-four-styles",
        "serious",
        "违规发放津贴补贴",
        "以加班费名义向工作人员发放补贴，未经审批。",
        "财务凭证、工资发放表",
        "",
    ),
    (
        "work-discipline",
        "minor",
        "“三重一大”决策程序不规范",
        "部分重大事项未经集体研究即实施。",
        "会议纪要、合同台账",
        "",
    ),
    (
        "work-discipline",
        "minor",
        "档案资料管理混乱",
        "文书档案未按年度归档，借阅无登记。",
        "现场查看记录",
        "巡察期间已完成归档整理并建立借阅登记制度",
    ),
]
RUNNING_FINDINGS = [
    (
        "two-responsibilities",
        "minor",
        "党组织书记第一责任人职责履行不到位",
        "书记与班子成员谈心谈话未按要求开展。",
        "个别谈话记录",
        "",
    ),
    (
        "work-discipline",
        "minor",
        "公务用车管理不规范",
        "公务用车使用登记不全，部分出车无审批。",
        "派车单、车辆使用登记簿",
        "已补全登记并建立派车审批流程",
    ),
]


def monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def seed_core(context: DemoContext) -> None:
    for code, targets in TARGETS.items():
        slug = SLUGS[code]
        staff = User.objects.filter(username=f"{slug}.staff").first()
        if staff is None:
            continue
        organization = context.organization(code)
        with schema_context(organization.schema_name):
            for name, level, category, region, tags, leaders in targets:
                if not Target.objects.filter(name=name).exists():
                    target_create(
                        name=name,
                        level=level,
                        category=category,
                        managing_org_code=code,
                        region_code=region,
                        business_tags=tags,
                        leaders=parse_leaders(leaders),
                    )
                    context.count_created("targets")
            # The office's own people: a city also holds copies of its counties' people (same names, e.g. 浚县's
            # 陈组长 on the demo's cross-county team), adopted from their replicas (tenants/crossorg/adoption.py).
            own_pool = Expert.objects.filter(adoption__isnull=True)
            for name, specialty, unit, region, suffix in EXPERTS:
                user = User.objects.filter(username=f"{slug}.{suffix}").first() if suffix else None
                if not own_pool.filter(name=name).exists():  # through the service: the pool goes up
                    expert_create(name=name, specialty=specialty, unit=unit, home_region_code=region, user=user)
                    context.count_created("experts")
            people = DemoPeople.of(slug=slug, organization=organization)
            if people is None:
                continue
            _seed_finished_round(context, code=code, people=people)
            _seed_running_round(context, code=code, people=people)


@dataclass(frozen=True)
class DemoPeople:
    """The demo sign-ins of one office and their access there (services check roles as the pages do)."""

    staff: object
    leader: object
    teamlead: object
    liaison: object
    agency: object
    access: dict

    @classmethod
    def of(cls, *, slug: str, organization) -> DemoPeople | None:
        users = {
            suffix: User.objects.filter(username=f"{slug}.{suffix}").first()
            for suffix in ("staff", "leader", "teamlead", "liaison", "agency")
        }
        if None in users.values():
            return None
        access = {
            suffix: organization_access(person=user, organization_id=organization.pk) for suffix, user in users.items()
        }
        return cls(access=access, **users)


def approved_plan(context: DemoContext, *, year: int, people: DemoPeople):
    """This year's annual plan, drafted by the office and approved by the leading group (if missing)."""

    plan = AnnualPlan.objects.filter(year=year).first()
    if plan is None:
        plan = plan_create(
            kind="annual",
            actor=people.staff,
            year=year,
            title=f"{year}年度巡察工作计划",
            content=f"{year}年安排两轮常规巡察，覆盖乡镇党委和县直部门党组（党委）。",
        )
        plan_submit(plan=plan)
        plan_decide(plan=plan, decision="approved", actor=people.leader, note="领导小组审议同意")
        context.count_created("annual plans")
    return plan


def staffed_round(*, name: str, plan: RoundPlan, annual_plan, start: date, end: date, people: DemoPeople):
    round = round_create(
        name=name, kind="regular", actor=people.staff, annual_plan=annual_plan, onsite_start=start, onsite_end=end
    )
    team = team_create(round=round, name="第一巡察组")
    for expert_name, role in plan.members:
        expert = Expert.objects.get(name=expert_name, adoption__isnull=True)  # the office's own (see seed_core)
        round_expert_authorise(round=round, expert=expert, actor=people.staff)
        team_member_add(team=team, expert=expert, role=role, actor=people.staff)
    for target_name in plan.targets:
        team_target_add(team=team, target=Target.objects.get(name=target_name))
    return round, team


def round_move(round, people: DemoPeople, *states: str, note: str = ""):
    for state in states:
        by = "leader" if state == "feedback" else "staff"
        round = round_transition(
            round=round,
            to_state=state,
            actor=getattr(people, by),
            access=people.access[by],
            note=note if state == "feedback" else "",
        )
    return round


def round_heard(round, people: DemoPeople, *, heard_on: date, decisions: str, note: str):
    """The round reported to the leading group (→ 听取汇报), the hearing recorded by the group's demo person
    (chaired by its head, with its members, the office head and the team leaders), then fed back (→ 反馈) with
    the group's `note`."""
    round = round_move(round, people, "hearing")
    hearing_record_create(
        round_id=round.pk,
        heard_on=heard_on,
        chaired_by="巡察工作领导小组组长",
        attendees="领导小组成员、巡察办主任、巡察组组长",
        decisions=decisions,
        actor=people.leader,
    )
    return round_move(round, people, "feedback", note=note)


def record_findings(round, team, rows, people: DemoPeople) -> list:
    targets = [assignment.target for assignment in team.team_targets.select_related("target").order_by("id")]
    findings = []
    for number, (category, severity, title, description, evidence, fixed) in enumerate(rows):
        findings.append(
            finding_create(
                actor=people.staff,
                access=people.access["staff"],
                round=round,
                team=team,
                target=targets[number * len(targets) // len(rows)],
                category=FindingCategory.objects.get(code=category),
                severity=severity,
                title=title,
                description=description,
                evidence=evidence,
                fixed_on_spot=bool(fixed),
                fixed_on_spot_note=fixed,
            )
        )
    return findings


def _seed_finished_round(context: DemoContext, *, code: str, people: DemoPeople) -> None:
    """A regular round done months ago, every step on record, closed."""

    start = monday_on_or_after(timezone.localdate() - timedelta(days=250))
    end = start + timedelta(days=46)  # seven weeks on site: well over the 20 working days
    name = f"{start.year}年第一轮常规巡察{FINISHED_SUFFIX}"
    if Round.objects.filter(name=name).exists():
        return
    staff, office = people.staff, people.access["staff"]
    annual_plan = approved_plan(context, year=start.year, people=people)
    round, team = staffed_round(
        name=name, plan=FINISHED[code], annual_plan=annual_plan, start=start, end=end, people=people
    )
    round = round_move(round, people, "team_formed", "announced", "on_site")
    findings = record_findings(round, team, FINDINGS, people)
    round = round_move(round, people, "reporting")

    # The 八项规定 finding's lead goes to the discipline commission (fast-tracked by rule), signed by all three.
    agency = Agency.objects.filter(name=AGENCIES[code]).first() or agency_create(
        access=office, name=AGENCIES[code], kind="discipline"
    )
    agency_desk_assign(access=office, person=people.agency, agency=agency)
    eight_rules = next(finding for finding in findings if finding.category.code == "eight-rules-four-styles")
    clue = clue_create(
        actor=staff,
        access=office,
        round=round,
        target=eight_rules.target,
        classification=2,
        category=eight_rules.category,
        findings=[eight_rules],
        summary="单位负责人涉嫌违规发放津贴补贴",
        persons=[{"name": "某副局长", "position": "副局长"}],
    )
    transfer = transfer_create(actor=staff, access=office, transfer_type="conduct_issue", clue=clue, agency=agency)
    handed_over = end + timedelta(days=7)
    transfer_sign(actor=people.teamlead, access=people.access["teamlead"], transfer=transfer, party="team")
    transfer_sign(actor=staff, access=office, transfer=transfer, party="office")
    transfer = transfer_sign(
        actor=people.agency, access=people.access["agency"], transfer=transfer, party="agency", today=handed_over
    )

    round = round_heard(
        round,
        people,
        heard_on=end + timedelta(days=14),
        decisions="同意巡察报告；问题线索按规定移交纪委监委；反馈后督促被巡察党组织抓好整改。",
        note="领导小组听取汇报，同意巡察报告，按程序反馈",
    )

    delivered, signed = end + timedelta(days=24), end + timedelta(days=25)
    feedbacks = []
    for assignment in team.team_targets.select_related("target").order_by("id"):
        feedbacks.append(
            signed_feedback(round=round, target=assignment.target, delivered=delivered, signed=signed, people=people)
        )
    round = round_move(round, people, "rectification")

    liaison, unit_side = people.liaison, people.access["liaison"]
    for feedback in feedbacks:
        receipt = feedback.receipt_signed_on
        rectification.submission_submit(
            actor=liaison,
            access=unit_side,
            feedback=feedback,
            kind="plan",
            content="整改方案：逐项明确整改措施、责任人和时限。",
            today=receipt + timedelta(days=8),
        )
        own = [finding for finding in findings if finding.target_id == feedback.target_id]
        items = rectification.rectification_items_add(
            actor=staff,
            access=office,
            feedback=feedback,
            items=[
                {
                    "problem": finding.title,
                    "task": f"针对“{finding.title}”建章立制、举一反三",
                    "responsible_unit": feedback.target.name,
                    "responsible_person": "班子成员（分管）",
                    "due_date": receipt + timedelta(days=30 + 15 * number),
                    "finding": finding,
                }
                for number, finding in enumerate(own)
            ],
        )
        for number, item in enumerate(items):
            evidence_on = receipt + timedelta(days=20 + 15 * number)
            item = rectification.item_submit_evidence(
                actor=liaison,
                access=unit_side,
                item=item,
                today=evidence_on,
                evidence="整改完成：制度文件、会议记录和整改台账已报巡察办。",
            )
            rectification.item_verify(
                actor=staff,
                access=office,
                item=item,
                accept=True,
                note="资料核实，同意销号",
                today=evidence_on + timedelta(days=5),
            )
        for kind, content in (
            ("report", "整改情况报告：反馈问题已全部整改到位。"),
            ("principal_report", "主要负责人组织落实整改情况报告。"),
        ):
            rectification.submission_submit(
                actor=liaison,
                access=unit_side,
                feedback=feedback,
                kind=kind,
                content=content,
                today=receipt + timedelta(days=55),
            )
    transfer_report_handling(
        actor=people.agency,
        access=people.access["agency"],
        transfer=transfer,
        handling_kind="preliminary",
        report="已初步核实，责令退回违规发放的补贴。",
        today=handed_over + timedelta(days=60),
    )
    round_move(round, people, "closed")
    context.count_created("finished rounds")


def signed_feedback(*, round, target, delivered: date, signed: date, people: DemoPeople):
    """The round's feedback to `target` (its liaison assigned), delivered on `delivered` and its receipt signed by
    the team leader, the unit's principal and (on `signed`) the office: the plan and report deadlines start."""
    staff, office = people.staff, people.access["staff"]
    unit_liaison_assign(access=office, person=people.liaison, target=target)
    feedback = rectification.feedback_create(
        actor=staff,
        access=office,
        round=round,
        target=target,
        classification=0,
        leadership_content=f"巡察组向{target.name}领导班子反馈巡察发现的问题，提出整改意见。",
        principal_content=f"巡察组向{target.name}主要负责人反馈巡察情况，压实整改第一责任人责任。",
        leadership_delivered_on=delivered,
        principal_delivered_on=delivered,
    )
    principal = target.principal.name if target.principal else target.name
    for party, actor, access, signer, on in (
        ("team_leader", people.teamlead, people.access["teamlead"], "陈组长", delivered),
        ("unit_principal", people.liaison, people.access["liaison"], principal, delivered),
        ("office_head", staff, office, "巡察办主任", signed),
    ):
        feedback = rectification.receipt_sign(
            actor=actor, access=access, feedback=feedback, party=party, signer_name=signer, signed_on=on
        )
    return feedback


def _seed_running_round(context: DemoContext, *, code: str, people: DemoPeople) -> None:
    """A regular round on site since last week, with its first findings."""

    start = monday_on_or_after(timezone.localdate() - timedelta(days=13))
    end = start + timedelta(days=46)
    name = f"{start.year}年第二轮常规巡察{RUNNING_SUFFIX}"
    if Round.objects.filter(name=name).exists():
        return
    annual_plan = approved_plan(context, year=start.year, people=people)
    round, team = staffed_round(
        name=name, plan=RUNNING[code], annual_plan=annual_plan, start=start, end=end, people=people
    )
    round = round_move(round, people, "team_formed", "announced", "on_site")
    record_findings(round, team, RUNNING_FINDINGS, people)
    context.count_created("running rounds")


def demo_core_remove() -> None:
    """Remove what seed_core created (tests that run the demo against a shared database clean up with this)."""

    for code, targets in TARGETS.items():
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            continue
        with schema_context(organization.schema_name):
            rounds = Round.objects.none()
            for suffix in EXAMPLE_SUFFIXES:  # this step's rounds and the workload step's (built on them)
                rounds = rounds | Round.objects.filter(name__endswith=suffix)
            Transfer.objects.filter(round__in=rounds).delete()
            Clue.objects.filter(round__in=rounds).delete()
            Feedback.objects.filter(round__in=rounds).delete()
            HearingRecord.objects.filter(round__in=rounds).delete()
            Finding.objects.filter(round__in=rounds).delete()
            rounds.delete()
            plans = AnnualPlan.objects.filter(
                title__endswith="年度巡察工作计划", created_by__username=f"{SLUGS[code]}.staff", rounds__isnull=True
            )
            plans.delete()
            Agency.objects.filter(name=AGENCIES[code], transfers__isnull=True).delete()
            UnitLiaison.objects.filter(user__username=f"{SLUGS[code]}.liaison").delete()
            Expert.objects.filter(name__in=[row[0] for row in EXPERTS], team_memberships__isnull=True).delete()
            Target.objects.filter(name__in=[row[0] for row in targets], team_assignments__isnull=True).delete()
