"""Demo: one elevated and one cross-county round in 鹤壁市 that can be walked through as each role.

- hebi.admin (city office): /org/410600/crossorg/ lists both rounds; /org/410600/rounds/ runs them.
- xunxian.teamlead (浚县, county A): leads the cross-county team (with 浚县组员, a pool member without a
  sign-in); with the round announced they may enter /org/410600/ and see only the team's two 淇县 targets
  (grant, on-site window): their home page has a card to it while the window is open (re-seeding moves a
  past window to today, through the rounds service, which re-derives the grants).
- xunxian.member (浚县) is on no seeded round of the city: a visitor (and the browser walks) puts them on a
  cross-county round of their own from the city's page, with 淇县's units no seeded round uses
  (淇县教育局党组, 淇县卫健委党组), and sees exactly those.
- qixian.admin (淇县, county B): hears nothing of the cross-county round.
- xunxian.admin (浚县): sees the elevated round's notice (dates, cooperation) once the relay and
  consumer have carried it (`xuncha demo` starts them).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.models import User
from shared.accounts.selectors import organization_access
from sync.replicas import replicas_of
from tenants.crossorg.models import Campaign
from tenants.crossorg.replies import campaign_decline
from tenants.crossorg.selectors import campaign_received_answer
from tenants.crossorg.services import campaign_instantiate, cross_round_create, elevated_round_create
from tenants.crossorg.setup import campaign_setup
from tenants.experts.models import ConflictDeclaration, Expert
from tenants.experts.services import conflict_declare, expert_create
from tenants.rounds.models import Round
from tenants.rounds.services import (
    round_expert_authorise,
    round_transition,
    round_update,
    team_create,
    team_member_add,
    team_target_add,
)
from tenants.targets.models import Target
from tenants.targets.services import parse_leaders, target_create
from xuncha.demo.seeding import DemoContext

# The counties' registries the city staffs its rounds from (they reach it as replicas over the bus).
COUNTY_UNITS = {
    "410622": [
        ("淇县财政局党组", "410622", "李明:局长*; 王芳:副局长"),
        ("淇县住建局党组", "410622", "张强:局长*"),
        ("淇县教育局党组", "410622", "刘洋:局长*"),
        ("淇县卫健委党组", "410622", "周敏:主任*"),
    ],
    "410611": [
        ("鹤壁集镇党委", "410611100", "陈刚:党委书记*; 杨丽:镇长"),
        ("鹤山区发改委党组", "410611", "赵磊:主任*"),
    ],
}
COUNTY_POOL = {
    "410622": [("淇县审计专家", "audit", "淇县审计局", "410622")],
    "410611": [("鹤山区财政专家", "finance", "鹤山区财政局", "410611")],
}
# A 浚县 pool member's declared relation with a 淇县 unit (the county records it on a unit it does not manage).
DECLARED = ("郑专家", "淇县财政局党组", "410622", "official_matter", "配偶在淇县财政局任职")

ELEVATED_NAME = "2026年提级巡察：浚县城关镇党委"
CROSS_NAME = "2026年交叉巡察：浚县巡察组进驻淇县"


def seed_county_registries(context: DemoContext) -> None:
    """淇县 and 鹤山区 units and pool people, and a relation a 浚县 person declared, through the services
    (each reaches the city as a replica once the relay and consumer carry it)."""
    for code, units in COUNTY_UNITS.items():
        with schema_context(context.organization(code).schema_name):
            for name, region, leaders in units:
                if not Target.objects.filter(name=name).exists():
                    target_create(
                        name=name,
                        level="county",
                        managing_org_code=code,
                        region_code=region,
                        leaders=parse_leaders(leaders),
                    )
                    context.count_created("targets")
            for name, specialty, unit, region in COUNTY_POOL[code]:
                if not Expert.objects.filter(name=name).exists():
                    expert_create(name=name, specialty=specialty, unit=unit, home_region_code=region)
                    context.count_created("experts")
    person, unit, managing, kind, note = DECLARED
    with schema_context(context.organization("410621").schema_name):
        expert = Expert.objects.filter(name=person).first()
        if expert is None or ConflictDeclaration.objects.filter(expert=expert, kind=kind).exists():
            return
        target = Target.objects.filter(name=unit).first() or target_create(
            name=unit, level="county", managing_org_code=managing, region_code=managing, is_active=False
        )  # not 浚县's to inspect (inactive here): kept only to declare the relation
        conflict_declare(expert=expert, target=target, kind=kind, note=note)
        context.count_created("declared relations")


def seed_crossorg_rounds(context: DemoContext) -> None:
    city = context.organization("410600")
    admin = User.objects.filter(username="hebi.admin").first()
    if admin is None:
        return
    access = organization_access(person=admin, organization_id=city.pk)
    today = timezone.localdate()
    with schema_context(city.schema_name):

        def target(name, county):
            return Target.objects.filter(name=name).first() or target_create(
                name=name, level="county", managing_org_code=county, region_code=county
            )

        if not Round.objects.filter(name=ELEVATED_NAME).exists():
            round = elevated_round_create(
                name=ELEVATED_NAME,
                host_org_code="410621",
                actor=admin,
                cooperation="请浚县巡察办协助安排进驻动员会、提供办公场所，并通知班子成员配合谈话",
                onsite_start=today,
                onsite_end=today + timedelta(days=30),
            )
            team = team_create(round=round, name="市委第一巡察组（提级）")
            team_target_add(team=team, target=target("浚县城关镇党委", "410621"))
            context.count_created("elevated rounds")

        if not Round.objects.filter(name=CROSS_NAME).exists():
            round = cross_round_create(
                name=CROSS_NAME,
                home_org_code="410621",
                host_org_code="410622",
                actor=admin,
                onsite_start=today - timedelta(days=1),
                onsite_end=today + timedelta(days=25),
            )
            team = team_create(round=round, name="交叉巡察组（浚县）")
            for username, expert_name, role in (
                ("xunxian.teamlead", "浚县组长", "leader"),
                (None, "浚县组员", "member"),  # no sign-in: xunxian.member stays free for a round of one's own
            ):
                user = User.objects.filter(username=username).first() if username else None
                expert = Expert.objects.filter(user=user).first() if user else None
                expert = expert or expert_create(name=expert_name, home_region_code="410621", user=user)
                round_expert_authorise(round=round, expert=expert, actor=admin)
                team_member_add(team=team, expert=expert, role=role, actor=admin)
            for name in ("淇县财政局党组", "淇县住建局党组"):
                team_target_add(team=team, target=target(name, "410622"))
            target("淇县教育局党组", "410622")  # not assigned: the team must not see it
            for state in ("team_formed", "announced", "on_site"):
                round_transition(round=round, to_state=state, actor=admin, access=access)
            context.count_created("cross-county rounds")
        else:
            _cross_window_keep_open(context, admin=admin, today=today)


def _cross_window_keep_open(context: DemoContext, *, admin, today) -> None:
    """A demo started again weeks later: the cross-county round is still on site and its team may still
    enter, so the walk-through works. The window is moved through the rounds service, like the city
    office's edit page, which re-derives the team's grants from it in the same transaction."""

    round = Round.objects.get(name=CROSS_NAME)
    window_open = round.onsite_start and round.onsite_end and round.onsite_start <= today <= round.onsite_end
    if round.state != "on_site" or window_open:
        return
    round_update(
        round=round, actor=admin, onsite_start=today - timedelta(days=1), onsite_end=today + timedelta(days=25)
    )
    context.count_created("cross-county windows reopened")


CAMPAIGN_TITLE = "2026年惠民资金使用管理专项联动巡察"


def seed_crossorg_campaign(context: DemoContext) -> None:
    """A unified campaign (统一部署) launched by 鹤壁市 to its three counties, through the service its page calls;
    each county sees it arrive on its 提级、交叉、联动巡察 page once the relay and consumer carry it, and starts
    its linked round or says why it cannot."""
    city = context.organization("410600")
    admin = User.objects.filter(username="hebi.admin").first()
    if admin is None:
        return
    today = timezone.localdate()
    with schema_context(city.schema_name):
        if Campaign.objects.filter(title=CAMPAIGN_TITLE).exists():
            return
        campaign_setup(
            title=CAMPAIGN_TITLE,
            topic="惠民资金使用管理",
            summary="各县区对本级涉农和惠民资金管理使用情况开展专项巡察，进驻前报送巡察方案，反馈后报送整改情况。",
            start_date=today,
            end_date=today + timedelta(days=90),
            county_codes=["410611", "410621", "410622"],
            actor=admin,
        )
        context.count_created("unified campaigns")


# How the demo's counties answer the campaign once it has reached them (淇县 is left to answer by hand).
CAMPAIGN_ANSWERS = {
    "410621": ("start", "浚县惠民资金使用管理专项巡察"),
    "410611": ("decline", "本区今年巡察力量集中于换届风气监督，拟于明年开展。"),
}


def seed_crossorg_campaign_answers(context: DemoContext) -> None:
    """The counties' answers to the campaign, through the services the campaign's page calls: 浚县 starts its
    linked round, 鹤山区 says why it cannot, 淇县 has not answered (the city may remind it). A county answers
    only once the campaign has reached it: the relay and consumer `xuncha demo` runs carry it, so a first
    seed leaves the answers to the next run (each answer is made once)."""
    today = timezone.localdate()
    for code, (answer, text) in CAMPAIGN_ANSWERS.items():
        county = context.organization(code)
        slug = {"410621": "xunxian", "410611": "heshan"}[code]
        admin = User.objects.filter(username=f"{slug}.admin").first()
        if admin is None:
            continue
        with schema_context(county.schema_name):
            received = replicas_of(record_type="planning.campaign", sources=["410600"], match={"title": CAMPAIGN_TITLE})
            if not received or campaign_received_answer(replica=received[0]):
                continue
            if answer == "start":
                campaign_instantiate(
                    replica=received[0],
                    name=text,
                    actor=admin,
                    onsite_start=today + timedelta(days=14),
                    onsite_end=today + timedelta(days=60),
                )
                context.count_created("campaign rounds started")
            else:
                campaign_decline(replica=received[0], reason=text, actor=admin)
                context.count_created("campaign answers (declined)")
