"""Demo seed step: the city has an approved annual plan for this year (a city files it by 31 January: filed, it
is no deadline on the city's 工作台 whatever the year), a first round with its hearing record, and has filed the
annual plan and the round's summary with the province. With the demo's
sync relay and consumer running they arrive in the province's inbox (sign in as henan.admin),
which can return one with a comment; the city (hebi.admin) corrects and re-files it."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.planning.models import AnnualPlan, PlanApproval, PlanStatus
from tenants.reports.models import Filing, HearingRecord
from tenants.reports.services import filing_submit
from tenants.rounds.models import Round, Team, TeamTarget
from tenants.targets.models import Target
from xuncha.demo.seeding import DemoContext

CITY = "410600"


def seed_filings(context: DemoContext) -> None:
    city = context.organization(CITY)
    # The records are authored by a sign-in-less seeding account, so removing the demo's people
    # (as the demo's own test does) never trips over records that point at them.
    user, _created = User.objects.get_or_create(
        username="hebi.demo-seed", defaults={"display_name": "鹤壁市委巡察办（演示数据）", "is_active": False}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    with schema_context(city.schema_name):
        # The core demo data may have made this year's plan already (then it is filed as it is).
        year = timezone.localdate().year
        plan, created = AnnualPlan.objects.get_or_create(
            year=year,
            defaults={
                "title": f"鹤壁市委{year}年度巡察工作计划",
                "status": PlanStatus.APPROVED,
                "created_by": user,
                "content": f"{year}年安排三轮常规巡察和一轮专项巡察，覆盖市直单位和县区重点部门。",
            },
        )
        if created:
            PlanApproval.objects.create(
                annual_plan=plan, decision="approved", note="市委巡察工作领导小组审议同意", decided_by=user
            )
            context.count_created("annual plans")
        round, created = Round.objects.get_or_create(
            name="鹤壁市委2026年第一轮巡察",
            defaults={
                "state": "hearing",
                "onsite_start": datetime.date(2026, 3, 2),
                "onsite_end": datetime.date(2026, 4, 10),
                "created_by": user,
            },
        )
        if created:
            team = Team.objects.create(round=round, name="市委第一巡察组")
            for name in ("市财政局党组", "市住房和城乡建设局党组"):
                target, _new = Target.objects.get_or_create(
                    name=name, defaults={"level": "city", "managing_org_code": CITY}
                )
                TeamTarget.objects.get_or_create(team=team, round=round, target=target)
            HearingRecord.objects.create(
                round=round,
                heard_on=datetime.date(2026, 4, 24),
                chaired_by="市委巡察工作领导小组组长",
                attendees="领导小组成员、巡察办主任、各巡察组组长",
                recorded_by=user,
                decisions="同意各巡察组的巡察报告；问题线索按规定移交市纪委监委；反馈后督促被巡察党组织抓好整改。",
            )
            context.count_created("rounds")
        for kind, subject_id in (("annual_plan", plan.pk), ("round_summary", round.pk)):
            subject = f"{'round' if kind == 'round_summary' else kind}:{subject_id}"
            if not Filing.objects.filter(kind=kind, subject=subject).exists():
                filing_submit(
                    kind=kind, subject_id=subject_id, actor=user, organization=city, note="请省委巡视办审阅备案。"
                )
                context.count_created("filings")
