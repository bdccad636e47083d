"""Demo: one elevated and one cross-county round in 鹤壁市 that can be walked through as each role, and a
unified campaign the counties have answered.

Made as the city office makes them on its pages: the counties' registries (units, pool people) reach the city as
replicas (the seed's "bus" step carries them), then `elevated_round_setup` / `cross_round_setup` pick from those
replicas, exactly as 新建提级巡察 / 新建交叉巡察 do; the counties answer the campaign with the services of their
campaign page once the bus step has carried it to them.

- hebi.admin (city office): /org/410600/crossorg/ lists both rounds and the campaign; /org/410600/rounds/ runs them.
- xunxian.teamlead (浚县's 陈组长, county A): leads the cross-county team (with 冯专家, a 浚县 pool member
  without a sign-in) on 淇县财政局党组 and 淇县住建局党组; with the round on site they may enter /org/410600/ and
  see only those two targets (grant, on-site window): their home page has a card to it while the window is open
  (re-seeding moves a past window to today, through the rounds service, which re-derives the grants).
- xunxian.member (浚县's 刘组员) is on no seeded round of the city: a visitor (and the browser walks) puts them on a
  cross-county round of their own from the city's page, with 淇县's units no seeded round uses
  (淇县教育局党组, 淇县卫健委党组), and sees exactly those.
- qixian.admin (淇县, county B): hears nothing of the cross-county round.
- heshan.admin (鹤山区): sees the elevated round's notice on 鹤壁集镇党委 (dates, cooperation) once the relay and
  consumer have carried it (`xuncha demo` starts them); 鹤山区发改委党组 stays free for the walks' own.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.models import User
from shared.accounts.selectors import organization_access
from tenants.crossorg.models import Campaign
from tenants.crossorg.replies import campaign_decline
from tenants.crossorg.selectors import campaign_received_answer, campaigns_received, registry_people, registry_units
from tenants.crossorg.services import campaign_instantiate
from tenants.crossorg.setup import campaign_setup, cross_round_setup, elevated_round_setup
from tenants.experts.models import ConflictDeclaration, Expert
from tenants.experts.services import conflict_declare, expert_create
from tenants.rounds.models import Round
from tenants.rounds.services import round_transition, round_update
from tenants.targets.models import Target
from tenants.targets.services import parse_leaders, target_create
from xuncha.demo.seeding import DemoContext, DemoSeedError

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

ELEVATED_NAME = "2026年提级巡察：鹤壁集镇党委"
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


# The seeded rounds' picks from the counties' registries (as the city office picks them on 新建提级巡察 /
# 新建交叉巡察). 淇县教育局党组 and 淇县卫健委党组 stay unused, 刘组员 (xunxian.member) and 郑专家 (his declared
# relation concerns 淇县财政局党组) free, 鹤山区发改委党组 unused: the browser walks set up rounds of their own on them.
ELEVATED_UNITS = ("410611", ("鹤壁集镇党委",))
CROSS_UNITS = ("410622", ("淇县财政局党组", "淇县住建局党组"))
CROSS_PEOPLE = ("410621", (("陈组长", "leader"), ("冯专家", "member")))  # 陈组长 is xunxian.teamlead


def _picked(replicas, names, *, what: str) -> list[int]:
    """The replica ids of `names` among a county's registry replicas (the choices of the set-up form)."""
    by_name = {replica.body.get("name"): replica.pk for replica in replicas}
    missing = [name for name in names if name not in by_name]
    if missing:
        raise DemoSeedError(f"{what}: {', '.join(missing)} not in the replica (has the bus carried it?)")
    return [by_name[name] for name in names]


def seed_crossorg_rounds(context: DemoContext) -> None:
    """The elevated round on a 鹤山区 unit and the cross-county round of 浚县's people on 淇县's units, through the
    set-up services the city's pages call, with the units and people picked from the counties' replicas (which
    exist once the bus carried the registries: the "bus" step before this one)."""
    city = context.organization("410600")
    admin = User.objects.filter(username="hebi.admin").first()
    if admin is None:
        return
    access = organization_access(person=admin, organization_id=city.pk)
    today = timezone.localdate()
    with schema_context(city.schema_name):
        if not Round.objects.filter(name=ELEVATED_NAME).exists():
            county, names = ELEVATED_UNITS
            elevated_round_setup(
                name=ELEVATED_NAME,
                host_org_code=county,
                onsite_start=today,
                onsite_end=today + timedelta(days=30),
                cooperation="请鹤山区巡察办协助安排进驻动员会、提供办公场所，并通知班子成员配合谈话",
                team_name="市委第一巡察组（提级）",
                units=_picked(registry_units(access=access, county_code=county), names, what="elevated round"),
                actor=admin,
            )
            context.count_created("elevated rounds")

        if not Round.objects.filter(name=CROSS_NAME).exists():
            (home, people), (host, units) = CROSS_PEOPLE, CROSS_UNITS
            pool = registry_people(access=access, county_code=home)
            person_ids = _picked(pool, [name for name, _role in people], what="cross-county team")
            round = cross_round_setup(
                name=CROSS_NAME,
                home_org_code=home,
                host_org_code=host,
                onsite_start=today - timedelta(days=1),
                onsite_end=today + timedelta(days=25),
                team_name="交叉巡察组（浚县）",
                people=person_ids,
                leader=person_ids[[role for _name, role in people].index("leader")],
                units=_picked(registry_units(access=access, county_code=host), units, what="cross-county round"),
                actor=admin,
            )
            for state in ("team_formed", "announced", "on_site"):  # the round page's transitions
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
    """The counties' answers to the campaign, through the services the county's campaign page calls (on the
    campaign as that page finds it): 浚县 starts its linked round, 鹤山区 says why it cannot, 淇县 has not
    answered (the city may remind it). The campaign has reached the counties: the "bus" step before this one
    carried it (on a demo seeded before that step existed, the relay and consumer did). Each answer is made once."""
    today = timezone.localdate()
    for code, (answer, text) in CAMPAIGN_ANSWERS.items():
        county = context.organization(code)
        slug = {"410621": "xunxian", "410611": "heshan"}[code]
        admin = User.objects.filter(username=f"{slug}.admin").first()
        if admin is None:
            continue
        access = organization_access(person=admin, organization_id=county.pk)
        with schema_context(county.schema_name):
            received = [
                replica
                for replica in campaigns_received(access=access)
                if replica.source == "410600" and replica.body.get("title") == CAMPAIGN_TITLE
            ]
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
