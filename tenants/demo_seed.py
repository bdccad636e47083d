"""Demo data for the core apps: targets, an expert pool, an approved annual plan and a staffed round,
in 浚县 (410621) and 鹤壁市 (410600), so a round can be walked in the browser at once."""

from __future__ import annotations

from datetime import date

from django_tenants.utils import schema_context

from xuncha.demo import DemoContext, seed_step

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


@seed_step("core inspection data", order=200)
def seed_core(context: DemoContext) -> None:
    from shared.accounts.models import User
    from tenants.experts.models import Expert
    from tenants.planning.models import AnnualPlan
    from tenants.rounds.models import Round
    from tenants.rounds.services import (
        round_create, round_expert_authorise, team_create, team_member_add, team_target_add,
    )
    from tenants.targets.models import Target
    from tenants.targets.services import parse_leaders, target_create

    for code, targets in TARGETS.items():
        slug = SLUGS[code]
        staff = User.objects.filter(username=f"{slug}.staff").first()
        if staff is None:
            continue
        with schema_context(context.organization(code).schema_name):
            for name, level, category, region, tags, leaders in targets:
                if not Target.objects.filter(name=name).exists():
                    target_create(name=name, level=level, category=category, managing_org_code=code,
                                  region_code=region, business_tags=tags, leaders=parse_leaders(leaders))
                    context.count_created("targets")
            experts = []
            for name, specialty, unit, region, suffix in EXPERTS:
                user = User.objects.filter(username=f"{slug}.{suffix}").first() if suffix else None
                expert, created = Expert.objects.get_or_create(
                    name=name, defaults={"specialty": specialty, "unit": unit, "home_region_code": region, "user": user},
                )
                experts.append(expert)
                if created:
                    context.count_created("experts")
            year = date.today().year
            plan, created = AnnualPlan.objects.get_or_create(
                year=year, defaults={"title": f"{year}年度巡察工作计划", "status": "approved", "created_by": staff},
            )
            if created:
                context.count_created("annual plans")
            name = f"{year}年第一轮常规巡察（示例）"
            if Round.objects.filter(name=name).exists():
                continue
            round = round_create(name=name, kind="regular", created_by=staff, annual_plan=plan,
                                 onsite_start=date(2026, 3, 2), onsite_end=date(2026, 3, 31))
            team = team_create(round=round, name="第一巡察组")
            for expert in experts[:2]:
                round_expert_authorise(round=round, expert=expert, by=staff)
            team_target_add(team=team, target=Target.objects.order_by("-level", "name").first())
            team_member_add(team=team, expert=experts[0], role="leader", by=staff)
            team_member_add(team=team, expert=experts[1], role="member", by=staff)
            context.count_created("rounds")


def demo_core_remove() -> None:
    """Remove what seed_core created (tests that run the demo against a shared database clean up with this)."""
    from shared.orgs.models import Organization
    from tenants.experts.models import Expert
    from tenants.planning.models import AnnualPlan
    from tenants.rounds.models import Round
    from tenants.targets.models import Target

    for code, targets in TARGETS.items():
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            continue
        with schema_context(organization.schema_name):
            Round.objects.filter(name__endswith="轮常规巡察（示例）").delete()
            AnnualPlan.objects.filter(title__endswith="年度巡察工作计划", created_by__username=f"{SLUGS[code]}.staff",
                                      rounds__isnull=True).delete()
            Expert.objects.filter(name__in=[row[0] for row in EXPERTS], team_memberships__isnull=True).delete()
            Target.objects.filter(name__in=[row[0] for row in targets], team_assignments__isnull=True).delete()
