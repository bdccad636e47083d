"""Demo step: something waiting on every working role's 工作台 (issue 15), in 浚县 (410621) and 鹤壁市 (410600).

- **Leading group** (xunxian.leader, hebi.leader): a round back from site, at 领导小组听取汇报, whose hearing is
  not recorded (第三轮, 示例·待听取汇报): "record the hearing's decisions", its hearing deadline overdue.
- **Team member** (xunxian.member, hebi.member: 刘组员): on that round's team, with its units and window.
- **Agency** (xunxian.agency): the hearing round's 八项规定 clue, handed over by the office and awaiting the
  team's and the agency's signatures; and an older round's transfer handed over months ago whose handling
  report is overdue.
- **Unit liaison** (xunxian.liaison): that older round (示例·整改中) gave 县教育局党组 its feedback three weeks
  ago: the rectification plan is overdue, one item is overdue, one is due next month.

Dates are counted from today, so a deadline shown as overdue or later is so whatever the day of the week (the
browser walk, tests/browser/test_workbench_walk.py, writes the counts out). Everything goes through the services
the pages call, by the office's own demo people; a round that exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.agencies.models import Agency
from tenants.findings.services import clue_create
from tenants.office.workdays import add_working_days, office_overrides
from tenants.rectification import services as rectification
from tenants.rounds.models import Round
from tenants.targets.models import Target
from tenants.transfers.services import transfer_create, transfer_sign
from xuncha.demo.core import (
    AGENCIES,
    HEARING_SUFFIX,
    RECTIFYING_SUFFIX,
    SLUGS,
    DemoPeople,
    RoundPlan,
    approved_plan,
    monday_on_or_after,
    record_findings,
    round_heard,
    round_move,
    signed_feedback,
    staffed_round,
)
from xuncha.demo.seeding import DemoContext

TEAM = (("陈组长", "leader"), ("刘组员", "member"))
HEARING = {"410621": ("城关镇党委", "县财政局党组"), "410600": ("市国资委党委",)}
RECTIFYING_UNIT = "县教育局党组"  # 浚县: xunxian.liaison answers for it (core.py assigned them)
FINDING_ROWS = [
    (
        "eight-rules-four-styles",
        "serious",
        "违规使用公务接待经费",
        "以会议名义列支接待费用，超标准安排宴请。",
        "接待审批单、财务凭证",
        "",
    ),
    ("work-discipline", "minor", "政府采购程序不规范", "部分采购项目未按规定比选。", "采购台账、合同", ""),
]


def seed_workload(context: DemoContext) -> None:
    for code in ("410621", "410600"):
        organization = context.organization(code)
        with schema_context(organization.schema_name):
            people = DemoPeople.of(slug=SLUGS[code], organization=organization)
            if people is None:
                continue
            _seed_hearing_round(context, code=code, people=people)
            if code == "410621":
                _seed_rectifying_round(context, people=people)


def _agency(code: str):
    return Agency.objects.get(name=AGENCIES[code])  # core.py's, the agency desk's (xunxian.agency)


def hearing_window(today: date) -> tuple[date, date]:
    """The hearing round's days on site: some fourteen to seven weeks ago (the hearing's 15 working days ran out
    weeks ago)."""
    start = monday_on_or_after(today - timedelta(days=100))
    return start, start + timedelta(days=46)


def _seed_hearing_round(context: DemoContext, *, code: str, people: DemoPeople) -> None:
    """Back from site some seven weeks ago, reported, waiting for the leading group's hearing; in 浚县 its
    八项规定 clue goes to the discipline commission, signed by the office so far."""
    start, end = hearing_window(timezone.localdate())
    name = f"{start.year}年第三轮常规巡察{HEARING_SUFFIX}"
    if Round.objects.filter(name=name).exists():
        return
    round, findings = _reported_round(
        context, name=name, plan=RoundPlan(members=TEAM, targets=HEARING[code]), start=start, end=end, people=people
    )
    if code == "410621":
        transfer = _transfer(round, findings[0], people)
        transfer_sign(actor=people.staff, access=people.access["staff"], transfer=transfer, party="office")
        context.count_created("transfers awaiting signatures")
    round_move(round, people, "hearing")
    context.count_created("rounds awaiting the hearing")


def _reported_round(context: DemoContext, *, name: str, plan: RoundPlan, start, end, people: DemoPeople):
    """A round staffed by `plan`, on site from `start` to `end`, its two findings recorded, at 撰写报告."""
    round, team = staffed_round(
        name=name,
        plan=plan,
        annual_plan=approved_plan(context, year=start.year, people=people),
        start=start,
        end=end,
        people=people,
    )
    round = round_move(round, people, "team_formed", "announced", "on_site")
    findings = record_findings(round, team, FINDING_ROWS, people)
    return round_move(round, people, "reporting"), findings


def _transfer(round, finding, people: DemoPeople):
    """The 八项规定 finding's clue drafted as a transfer to the discipline commission (no signature yet)."""
    clue = clue_create(
        actor=people.staff,
        access=people.access["staff"],
        round=round,
        target=finding.target,
        classification=2,
        category=finding.category,
        findings=[finding],
        summary="单位负责人涉嫌超标准公务接待",
        persons=[{"name": "某主任", "position": "办公室主任"}],
    )
    return transfer_create(
        actor=people.staff,
        access=people.access["staff"],
        transfer_type="conduct_issue",
        clue=clue,
        agency=_agency("410621"),
    )


@dataclass(frozen=True)
class RectifyingDates:
    handed_over: date  # the clue's transfer: its handling report (3 months) overdue by weeks
    delivered: date  # the feedback to the unit
    signed: date  # its receipt: the plan (10 working days) overdue, the report (2 months) weeks away


def rectifying_dates(today: date, *, overrides) -> RectifyingDates:
    """The rectifying round's dates, counted back from `today` so that its deadlines are overdue (or weeks away)
    on every day of the year: the receipt 15 working days back (a calendar span would put the plan's 10 working
    days on today after 春节 or 国庆), the hand-over 120 days back (3 months moved past a holiday stay behind)."""
    signed = add_working_days(start=today, days=-15, overrides=overrides).due
    return RectifyingDates(handed_over=today - timedelta(days=120), delivered=signed - timedelta(days=1), signed=signed)


def _seed_rectifying_round(context: DemoContext, *, people: DemoPeople) -> None:
    """Back from site months ago: heard, fed back to 县教育局党组 some three weeks ago (its plan now overdue, one
    item overdue, one due next month); its clue handed over 120 days ago, the handling report overdue."""
    today = timezone.localdate()
    start = monday_on_or_after(today - timedelta(days=174))  # off site before the hand-over
    end = start + timedelta(days=46)
    name = f"{start.year}年第一轮专项巡察{RECTIFYING_SUFFIX}"
    if Round.objects.filter(name=name).exists():
        return
    staff, office = people.staff, people.access["staff"]
    unit = Target.objects.get(name=RECTIFYING_UNIT)
    plan = RoundPlan(members=(("陈组长", "leader"),), targets=(RECTIFYING_UNIT,))
    round, findings = _reported_round(context, name=name, plan=plan, start=start, end=end, people=people)
    transfer = _transfer(round, findings[0], people)
    transfer_sign(actor=people.teamlead, access=people.access["teamlead"], transfer=transfer, party="team")
    transfer_sign(actor=staff, access=office, transfer=transfer, party="office")
    dates = rectifying_dates(today, overrides=office_overrides())
    transfer_sign(  # 3 months to report: due weeks ago
        actor=people.agency, access=people.access["agency"], transfer=transfer, party="agency", today=dates.handed_over
    )
    round = round_heard(
        round,
        people,
        heard_on=end + timedelta(days=12),
        decisions="同意巡察报告；问题线索移交纪委监委；向县教育局党组反馈并督促整改。",
        note="领导小组听取汇报，同意按程序反馈",
    )
    feedback = signed_feedback(  # the plan is due 10 working days after the receipt: 5 working days ago
        round=round, target=unit, delivered=dates.delivered, signed=dates.signed, people=people
    )
    round = round_move(round, people, "rectification")
    rectification.rectification_items_add(
        actor=staff,
        access=office,
        feedback=feedback,
        items=[
            {
                "problem": finding.title,
                "task": task,
                "responsible_unit": unit.name,
                "responsible_person": "班子成员（分管）",
                "due_date": due,
                "finding": finding,
            }
            for finding, task, due in (
                (findings[0], "清退超标准接待费用并修订公务接待管理办法", today - timedelta(days=3)),
                (findings[1], "规范政府采购比选程序并建立采购台账", today + timedelta(days=30)),
            )
        ],
    )
    context.count_created("rounds in rectification")
