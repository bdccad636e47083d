"""Demo: 鹤壁市 runs a small round whose rectification item is supervised by 浚县 (督办). After
`xuncha demo`'s relay and consumer have carried it, xunxian.admin / xunxian.staff find it at
/org/410621/rectification/supervised/ and report progress, which hebi.admin sees on
/org/410600/rectification/ (column 县（区）进展)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.rectification.services import feedback_create, rectification_items_add
from tenants.rounds.models import Round
from tenants.targets.models import Target
from tenants.targets.services import target_create
from xuncha.demo.core import DemoPeople, RoundPlan, approved_plan, monday_on_or_after, round_move, staffed_round
from xuncha.demo.seeding import DemoContext

ROUND_NAME = "市委巡察·督办示例"
TARGET_NAME = "市卫生健康委党组"
COUNTY = "410621"


def seed_supervised_item(context: DemoContext) -> None:
    city = context.organization("410600")
    with schema_context(city.schema_name):
        people = DemoPeople.of(slug="hebi", organization=city)
        if people is None or Round.objects.filter(name=ROUND_NAME).exists():
            return
        if not Target.objects.filter(name=TARGET_NAME).exists():
            target_create(name=TARGET_NAME, level="city", managing_org_code="410600", region_code="410600")
        start = monday_on_or_after(timezone.localdate() - timedelta(days=120))
        end = start + timedelta(days=46)
        round, team = staffed_round(
            name=ROUND_NAME,
            plan=RoundPlan(members=(("陈组长", "leader"), ("刘组员", "member")), targets=(TARGET_NAME,)),
            annual_plan=approved_plan(context, year=start.year, people=people),
            start=start,
            end=end,
            people=people,
        )
        round = round_move(round, people, "team_formed", "announced", "on_site", "reporting", "hearing")
        round = round_move(round, people, "feedback", note="领导小组同意反馈，督促浚县卫健委同步整改")
        staff, office = people.staff, people.access["staff"]
        feedback = feedback_create(
            actor=staff,
            access=office,
            round=round,
            target=Target.objects.get(name=TARGET_NAME),
            classification=1,
            leadership_content="巡察组向市卫生健康委党组领导班子反馈巡察发现的问题。",
            principal_content="巡察组向市卫生健康委党组主要负责人反馈巡察情况。",
            leadership_delivered_on=end + timedelta(days=20),
            principal_delivered_on=end + timedelta(days=20),
        )
        rectification_items_add(
            actor=staff,
            access=office,
            feedback=feedback,
            items=[
                {
                    "problem": "对县级卫健系统医保基金使用监管指导不力",
                    "task": "督促浚县卫健委开展医保基金使用专项检查并建立长效机制",
                    "responsible_unit": "浚县卫生健康委",
                    "responsible_person": "分管副主任",
                    "due_date": timezone.localdate() + timedelta(days=5),
                    "assignee_org_code": COUNTY,
                }
            ],
        )
        context.count_created("supervised rectification items")
