"""The 工作台 in Chromium (issue 15), in two worlds.

On a fresh demo (`xuncha demo --seed-only`, its relay and consumer running: tests/browser/demo_site.py), each demo
role signs in and finds its counts at home, written out below; then each does one thing by clicking (the leading
groups of 浚县 and of the city record their decisions on the heard rounds, the team member and the agency sign the
hand-over sheet, the liaison submits the unit's rectification plan, 浚县's office head reports the city's
supervised item done, the city's staff records that report as the item's evidence and its office head verifies
it, the province acknowledges the city's filing) and the counts after are checked; the province's answer reaches
the city as a notice (bell before and after) that is read with its own 标为已读 button. The counts that depend on
the day (the supervised item due in five days, the city's work summary due on 31 January) are computed from the
workbench's rule, written out here and checked for given days.

In a world built here: 浚县's office staff, the unit's liaison and the team leader each see their own counts at
home; the liaison submits evidence (an action of the demo's walk) and the staff's 待我处理 grows by it; the city
assigns a rectification item to 浚县 and its notice arrives through the real relay and consumer, rings the bell and
is read with 全部标为已读. Screenshots at 1366 and 390 pixels go to test-artifacts/ (git-ignored).

Rows of the built world are committed (the site and the sync processes are separate processes), uniquely named,
removed afterwards.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.committed import (
    chromium,
    off_the_event_loop,
    people_create,
    reload_until,
    signed_in,
    sync_high_water,
    sync_processes,
    sync_rows_remove,
    unique_suffix,
)
from tests.browser.demo_site import demo_served
from tests.browser.test_login import ARTIFACTS
from tests.tenants.workflow import items_due

COUNTY, CITY = "/org/410621/", "/org/410600/"
ONSITE = {"onsite_start": datetime.date(2025, 4, 7), "onsite_end": datetime.date(2025, 5, 9)}
WIDTHS = (1366, 390)


def _round_in_feedback(*, code, users, suffix, leader=None):
    """A regular round of `code` walked to feedback through the services, one team on one new unit, the unit's
    feedback signed; returns (round, feedback)."""
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.experts.services import expert_create
    from tenants.rectification.services import feedback_create, receipt_sign
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        round_transition,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    org = Organization.objects.get(code=code)
    admin, leading = users[f"{code}_admin"], users[f"{code}_leading"]
    access = organization_access(person=admin, organization_id=org.pk)
    leading_access = organization_access(person=leading, organization_id=org.pk)
    round = round_create(name=f"工作台轮次{code}{suffix}", kind="regular", actor=admin, **ONSITE)
    team = team_create(round=round, name=f"第一巡察组{suffix}")
    unit = target_create(
        name=f"{'县' if code == '410621' else '市'}交通运输局党组{suffix}",
        level="county",
        managing_org_code="410621",  # a 浚县 unit: the city's items on it go to 浚县's ledger
    )
    team_target_add(team=team, target=unit)
    expert = expert_create(name=f"陈组长{code}{suffix}", user=leader)
    round_expert_authorise(round=round, expert=expert, actor=admin)
    team_member_add(team=team, expert=expert, role="leader", actor=admin)
    for state in ("team_formed", "announced", "on_site", "reporting", "hearing"):
        round = round_transition(round=round, to_state=state, actor=admin, access=access)
    round = round_transition(round=round, to_state="feedback", actor=leading, access=leading_access, note="同意反馈")
    feedback = feedback_create(
        actor=admin,
        access=access,
        round=round,
        target=unit,
        leadership_content="领导班子存在的问题……",
        principal_content="主要负责人存在的问题……",
    )
    for party, name in (("team_leader", "陈组长"), ("unit_principal", "李书记"), ("office_head", "赵主任")):
        feedback = receipt_sign(
            actor=admin, access=access, feedback=feedback, party=party, signer_name=name, signed_on=timezone.localdate()
        )
    return round, feedback


def _items(*, admin, access, feedback, dues, prefix):
    return items_due(
        actor=admin, access=access, feedback=feedback, dues=dues, task=f"{prefix}任务", problem=f"{prefix}问题"
    )


@pytest.fixture
def bench_world(django_db_setup, django_db_blocker):
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.agencies.services import unit_liaison_assign

    suffix = unique_suffix()
    today = timezone.localdate()
    with django_db_blocker.unblock():
        marks = sync_high_water()
        users = people_create(
            {
                "410621_admin": ("410621", "office_admin", 3, f"浚县巡察办主任{suffix}"),
                "410621_leading": ("410621", "leading_group", 3, f"浚县领导小组{suffix}"),
                "staff": ("410621", "office_staff", 2, f"浚县巡察办干部{suffix}"),
                "liaison": ("410621", "unit_liaison", 1, f"交通局联络员{suffix}"),
                "teamlead": ("410621", "team_leader", 2, f"陈组长{suffix}"),
                "410600_admin": ("410600", "office_admin", 3, f"市巡察办主任{suffix}"),
                "410600_leading": ("410600", "leading_group", 3, f"市领导小组{suffix}"),
            },
            suffix,
        )
        county = Organization.objects.get(code="410621")
        with schema_context("org_410621"):
            access = organization_access(person=users["410621_admin"], organization_id=county.pk)
            round, feedback = _round_in_feedback(code="410621", users=users, suffix=suffix, leader=users["teamlead"])
            unit_liaison_assign(access=access, person=users["liaison"], target=feedback.target)
            items = _items(
                admin=users["410621_admin"],
                access=access,
                feedback=feedback,
                dues=[today - datetime.timedelta(days=2), today],
                prefix=f"县{suffix}",
            )
        with schema_context("org_410600"):
            city_round, city_feedback = _round_in_feedback(code="410600", users=users, suffix=suffix)
    yield {
        "users": {key: user.username for key, user in users.items()},
        "suffix": suffix,
        "round": round,
        "feedback": feedback,
        "items": items,
        "city_feedback": city_feedback,
    }
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from tenants.agencies.models import UnitLiaison
        from tenants.experts.models import Expert
        from tenants.rectification.models import Feedback
        from tenants.reports.models import HearingRecord
        from tenants.rounds.models import Round, RoundExpert
        from tenants.targets.models import Target

        for code in ("410621", "410600"):
            with schema_context(f"org_{code}"):
                rounds = Round.objects.filter(name__endswith=suffix)
                Feedback.objects.filter(round__in=rounds).delete()
                HearingRecord.objects.filter(round__in=rounds).delete()
                RoundExpert.objects.filter(round__in=rounds).delete()
                rounds.delete()
                UnitLiaison.objects.filter(target__name__endswith=suffix).delete()
                Target.objects.filter(name__endswith=suffix).delete()
                Expert.objects.filter(name__endswith=suffix).delete()
        sync_rows_remove(marks)
        User.objects.filter(username__endswith=f"-{suffix}").delete()


def _shots(page, site, name):
    """The home page at both widths, full length."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{site}{COUNTY}")
        page.screenshot(path=str(ARTIFACTS / f"workbench-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _section(page, name) -> str:
    """The text of one workbench section's list (the list follows its heading)."""
    return page.locator(f"[data-testid=section-{name}] + ul").inner_text()


def _card_count(page, href) -> str:
    card = page.locator(f"a.card[href='{href}']")
    return card.get_by_test_id("card-count").inner_text() if card.get_by_test_id("card-count").count() else ""


@pytest.mark.browser
def test_each_role_sees_its_counts_and_the_city_s_notice_arrives_and_is_read(
    site, bench_world, tmp_path, django_db_blocker
):
    from playwright.sync_api import sync_playwright

    world, users = bench_world, bench_world["users"]
    suffix = world["suffix"]
    ARTIFACTS.mkdir(exist_ok=True)
    processes = sync_processes(tmp_path, ["410600", "410621"])
    try:
        with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
            staff = signed_in(browser, site, users["staff"])
            staff.goto(f"{site}{COUNTY}")
            bench = staff.get_by_test_id("workbench")
            # Two items of the county's unit (one 2 days overdue: red; one due today: yellow), and its plan and
            # report deadlines, weeks away (10 working days, months): not this week's work.
            assert staff.get_by_test_id("lights-red").inner_text() == "1"
            assert staff.get_by_test_id("lights-yellow").inner_text() == "1"
            assert f"县{suffix}任务1" in _section(staff, "overdue") and f"县{suffix}任务2" in _section(staff, "due")
            assert bench.is_visible()
            assert _card_count(staff, f"{COUNTY}rectification/") == "2 项待办"
            _shots(staff, site, "staff")

            liaison = signed_in(browser, site, users["liaison"])
            liaison.goto(f"{site}{COUNTY}")
            assert liaison.get_by_test_id("section-overdue-count").inner_text() == "1"
            assert liaison.get_by_test_id("section-due-count").inner_text() == "1"
            _shots(liaison, site, "liaison")
            # The liaison opens the item from the workbench and submits its evidence (the demo's walk).
            liaison.get_by_role("link", name=f"整改任务：县{suffix}任务2（县交通运输局党组{suffix}）").click()
            assert f"rectification/feedback/{world['feedback'].pk}/" in liaison.url
            row = liaison.locator("tr", has_text=f"县{suffix}任务2")
            row.locator("input[name=evidence]").fill("已修订议事规则，附会议纪要")
            row.get_by_role("button", name="报送佐证材料").click()
            liaison.wait_for_load_state()

            staff.goto(f"{site}{COUNTY}")
            assert staff.get_by_test_id("section-waiting-count").inner_text() == "1"
            assert f"待核验销号：县{suffix}任务2" in _section(staff, "waiting")
            assert _card_count(staff, f"{COUNTY}rectification/") == "3 项待办"

            lead = signed_in(browser, site, users["teamlead"])
            lead.goto(f"{site}{COUNTY}")
            mine = lead.locator("main").inner_text()
            assert f"工作台轮次410621{suffix}" in mine and f"县交通运输局党组{suffix}" in mine
            assert "进驻 2025年4月7日 至 2025年5月9日" in mine
            _shots(lead, site, "teamlead")

            # The city assigns an item on the county's unit to 浚县: its notice comes through relay and consumer.
            before = staff.get_by_test_id("bell").inner_text().strip()

            def assign():
                from shared.accounts.models import User
                from shared.accounts.selectors import organization_access
                from shared.orgs.models import Organization

                admin = User.objects.get(username=users["410600_admin"])
                with schema_context("org_410600"):
                    access = organization_access(
                        person=admin, organization_id=Organization.objects.get(code="410600").pk
                    )
                    _items(
                        admin=admin,
                        access=access,
                        feedback=world["city_feedback"],
                        dues=[timezone.localdate() + datetime.timedelta(days=30)],
                        prefix=f"市{suffix}",
                    )

            with django_db_blocker.unblock():
                off_the_event_loop(assign)
            reload_until(
                staff,
                lambda page: (
                    page.get_by_test_id("bell-count").count() == 1
                    and page.get_by_test_id("bell-count").inner_text() != before
                ),
                what="the city's item's notice on 浚县's bell",
                processes=processes,
            )
            staff.get_by_test_id("bell").click()
            notices = staff.get_by_test_id("notifications")
            notice = notices.get_by_role("link", name=f"鹤壁市交办督办整改事项：市{suffix}问题1")
            assert notice.count() == 1 and notice.get_attribute("href") == f"{COUNTY}rectification/supervised/"
            unread = staff.get_by_test_id("unread").inner_text()
            assert int(unread) >= 1 and staff.get_by_test_id("bell-count").inner_text() == unread  # one count
            assert staff.locator("nav.sidebar").get_by_role("link", name=f"通知（{unread} 条未读）").count() == 1
            assert staff.get_by_test_id("notifications").locator("tr.unread").count() == int(unread)
            for width in WIDTHS:
                staff.set_viewport_size({"width": width, "height": 900})
                staff.screenshot(path=str(ARTIFACTS / f"notifications-staff-{width}.png"), full_page=True)
            staff.set_viewport_size({"width": 1366, "height": 900})
            staff.get_by_role("button", name="全部标为已读").click()
            staff.wait_for_load_state()
            assert staff.get_by_test_id("unread").inner_text() == "0"
            assert staff.get_by_test_id("bell-count").count() == 0  # the bell has no number any more
            assert (
                staff.locator("nav.sidebar").get_by_role("link", name="通知", exact=True).count() == 1
            )  # nor the menu
            assert staff.get_by_test_id("notifications").locator("tr.unread").count() == 0  # the rows read too
            for width in WIDTHS:
                staff.set_viewport_size({"width": width, "height": 900})
                staff.screenshot(path=str(ARTIFACTS / f"notifications-read-{width}.png"), full_page=True)
            staff.set_viewport_size({"width": 1366, "height": 900})
            notice.click()
            assert staff.url.endswith(f"{COUNTY}rectification/supervised/")
            assert f"市{suffix}问题1" in staff.locator("main").inner_text()
    finally:
        processes.stop_all()


# --- the fresh demo ----------------------------------------------------------------------------------------------
PROVINCE = "/org/410000/"
HOMES = {"hebi": CITY, "xunxian": COUNTY, "henan": PROVINCE}
SECTION_NAMES = ("overdue", "due", "waiting", "mine", "arrived")


@pytest.fixture(scope="module")
def fresh_demo(django_db_setup, tmp_path_factory):
    """A demo of this module's own: the counts are a fresh demo's, whatever the session's other walks did on
    theirs (demo_site is shared by the session)."""
    with demo_served(tmp_path_factory, database_suffix="demo_workbench") as site:
        yield site


def _week_end(today: datetime.date) -> datetime.date:
    """The workbench's week: a deadline up to its Sunday is this week's work (overdue before today)."""
    return today + datetime.timedelta(days=6 - today.weekday())


def _this_week(days: int, today: datetime.date) -> int:
    """1 when a deadline `days` from today falls in this week (the workbench shows it), else 0: the demo's
    supervised item is due five days after the seeding, inside the week from Monday to Tuesday only."""
    return int(today + datetime.timedelta(days=days) <= _week_end(today))


def _summary_filing(today: datetime.date) -> tuple[int, int]:
    """(overdue, due this week) for the city's filing of last year's work summary, which the demo leaves unfiled:
    a city files it with the province by 31 January (the reminder settings' default), so it is overdue from
    1 February, this week's (yellow: 7 days or fewer) in the week 31 January falls in, and not yet work before."""
    due = datetime.date(today.year, 1, 31)
    if today > due:
        return 1, 0
    return 0, int(due <= _week_end(today))


@pytest.mark.parametrize(
    ("today", "soon", "filing"),
    [
        (datetime.date(2026, 12, 3), 0, (1, 0)),  # a Thursday: the item falls next week; the summary is late
        (datetime.date(2026, 12, 7), 1, (1, 0)),  # Monday: due Saturday
        (datetime.date(2026, 12, 8), 1, (1, 0)),  # Tuesday: due Sunday
        (datetime.date(2026, 12, 9), 0, (1, 0)),  # Wednesday: due next Monday
        (datetime.date(2027, 1, 4), 1, (0, 0)),  # 31 January 2027 is a Sunday three weeks on
        (datetime.date(2027, 1, 25), 1, (0, 1)),  # the Monday of its week
        (datetime.date(2027, 1, 31), 0, (0, 1)),  # the day itself (a Sunday: the item is next week's)
        (datetime.date(2027, 2, 1), 1, (1, 0)),  # a day late
        (datetime.date(2028, 1, 30), 0, (0, 0)),  # 31 January 2028 is a Monday: next week's
        (datetime.date(2028, 1, 31), 1, (0, 1)),
    ],
)
def test_the_walk_s_date_dependent_counts_follow_the_calendar(today, soon, filing):
    """The walk's expectations hold on every day: the two deadlines the demo seeds at a fixed distance or date."""
    assert (_this_week(5, today), _summary_filing(today)) == (soon, filing)
    city = _expected_before(soon, filing)["hebi.staff"]
    late, near = filing
    assert (city["red"], city["yellow"], city["overdue"], city["due"]) == (1 + late, soon + near, 1 + late, soon + near)
    assert city["cards"].get(f"{CITY}reports/filings/") == (f"{late + near} 项待办" if late + near else None)


def _home(page, site, username):
    page.goto(f"{site.url}{HOMES[username.split('.')[0]]}")
    return page


def _bench(page) -> dict:
    """What the home page's 工作台 says: the three lights, each section's count, the cards that count something and
    the bell's unread number (0: no number on the bell)."""
    counts = {light: int(page.get_by_test_id(f"lights-{light}").inner_text()) for light in ("red", "yellow", "green")}
    for name in SECTION_NAMES:
        tag = page.get_by_test_id(f"section-{name}-count")
        counts[name] = int(tag.inner_text()) if tag.count() else 0
    cards = {}
    for card in page.locator("a.card").all():
        text = card.get_by_test_id("card-count").inner_text()
        if text != "无待办":
            cards[card.get_attribute("href")] = text
    counts["cards"] = cards
    bell = page.get_by_test_id("bell-count")
    counts["bell"] = int(bell.inner_text()) if bell.count() else 0
    return counts


def _demo_shots(page, name):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"workbench-demo-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def _bench_of(*, red=0, yellow=0, overdue=0, due=0, waiting=0, mine=0, arrived=0, cards=None, bell=0) -> dict:
    """A role's expected 工作台 (green is never lit in the demo: nothing is due later this week but on time)."""
    counts = {"red": red, "yellow": yellow, "green": 0, "overdue": overdue, "due": due, "waiting": waiting}
    cards = {href: f"{count} 项待办" for href, count in (cards or {}).items() if count}
    return {**counts, "mine": mine, "arrived": arrived, "cards": cards, "bell": bell}


def _city_office(*, hearing: int, filing: tuple[int, int], soon: int, waiting=0, arrived=0, bell=0) -> dict:
    """The city office's 工作台: its round waiting for the hearing (overdue), last year's work summary not filed
    with the province (see _summary_filing), the supervised item due in five days (soon), the county's evidence
    waiting for verification, the unread notices."""
    late, near = filing
    return _bench_of(
        red=hearing + late,
        yellow=soon + near,
        overdue=hearing + late,
        due=soon + near,
        waiting=waiting,
        arrived=arrived,
        cards={
            f"{CITY}rounds/": hearing,
            f"{CITY}reports/filings/": late + near,
            f"{CITY}rectification/": soon + waiting,
        },
        bell=bell,
    )


def _expected_before(soon: int, filing: tuple[int, int]) -> dict:
    """Each role's 工作台 on the fresh demo (soon: the city's supervised item, due in five days, is this week's;
    filing: last year's work summary overdue or due this week)."""
    city_office = _city_office(hearing=1, filing=filing, soon=soon)
    county_office = _bench_of(
        red=4,  # the heard round's hearing, the handling report, the unit's plan, one rectification item
        yellow=soon,
        overdue=4,
        due=soon,
        arrived=3,  # the city's supervised item (new) and two unread notices
        cards={
            f"{COUNTY}rounds/": 1,
            f"{COUNTY}transfers/": 1,
            f"{COUNTY}rectification/": 3 + soon,  # the plan, the item, the supervised item (its pages are below)
            f"{COUNTY}rectification/supervised/": 1 + soon,
        },
        bell=2,
    )
    return {
        "hebi.admin": city_office,
        "hebi.staff": city_office,
        "hebi.leader": _bench_of(red=1, overdue=1, waiting=1, cards={f"{CITY}rounds/": 2}),
        # two rounds and their units; the supervised item of the round its team inspected, when it is this week's
        "hebi.member": _bench_of(yellow=soon, due=soon, mine=4, cards={f"{CITY}rectification/": soon}),
        "xunxian.admin": county_office,
        "xunxian.staff": county_office,
        "xunxian.leader": _bench_of(
            red=1,
            yellow=soon,
            overdue=1,
            due=soon,
            waiting=1,
            arrived=1,
            cards={
                f"{COUNTY}rounds/": 2,
                f"{COUNTY}rectification/": 1 + soon,
                f"{COUNTY}rectification/supervised/": 1 + soon,
            },
        ),
        "xunxian.teamlead": _bench_of(
            red=1,
            overdue=1,
            waiting=1,
            mine=8,
            arrived=1,
            cards={f"{COUNTY}transfers/": 1, f"{COUNTY}rectification/": 1},
            bell=1,
        ),
        "xunxian.member": _bench_of(waiting=1, mine=3, cards={f"{COUNTY}transfers/": 1}),
        "xunxian.liaison": _bench_of(red=2, overdue=2, cards={f"{COUNTY}rectification/": 2}),
        "xunxian.agency": _bench_of(red=1, overdue=1, waiting=1, cards={f"{COUNTY}transfers/": 2}),
        "henan.admin": _bench_of(waiting=2, cards={f"{PROVINCE}reports/inbox/": 2}),
        "henan.viewer": _bench_of(arrived=2),  # reads the filings, answers none: not to-dos
    }


@pytest.mark.browser
def test_each_demo_role_sees_its_counts_acts_once_and_sees_them_change(fresh_demo, tmp_path):
    from playwright.sync_api import sync_playwright

    from xuncha.demo import DEFAULT_PASSWORD

    site = fresh_demo
    today = timezone.localdate()
    soon, filing = _this_week(5, today), _summary_filing(today)
    expected = _expected_before(soon, filing)
    pages = {}
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:

        def home(username):
            if username not in pages:
                pages[username] = signed_in(browser, site.url, username, password=DEFAULT_PASSWORD, width=1366)
            return _home(pages[username], site, username)

        def bench_link(page, starts):
            return page.get_by_test_id("workbench").get_by_role("link", name=re.compile(f"^{starts}"))

        # The city's filings and its supervised item travel by the relay and consumer: wait for them first.
        reload_until(
            home("henan.admin"),
            lambda page: page.get_by_test_id("section-waiting-count").count() == 1,
            what="the city's filings at the province",
            processes=site,
        )
        reload_until(
            home("xunxian.staff"),
            lambda page: "新到：督办整改事项：市卫生健康委党组" in page.get_by_test_id("workbench").inner_text(),
            what="the city's supervised item in 浚县's ledger",
            processes=site,
        )
        observed = {}
        for username in expected:
            observed[username] = _bench(home(username))
            _demo_shots(pages[username], username.replace(".", "-"))
        differing = [(name, observed[name]) for name in expected if observed[name] != expected[name]]
        assert differing == [], repr(differing)

        def hearing_decided(username, note):
            """The leading group opens its heard round from the 工作台 and records its decision (→ 反馈)."""
            leader = home(username)
            bench_link(leader, "待记录听取汇报意见：").click()
            form = leader.get_by_test_id("transition-form")
            form.locator("textarea[name=note]").fill(note)
            form.locator("button").click()
            leader.wait_for_load_state()
            assert leader.get_by_test_id("round-state").inner_text() == "反馈"

        # The leading group records its decision on the heard round: its two to-dos go.
        hearing_decided("xunxian.leader", "领导小组听取汇报，同意巡察报告，按程序反馈")
        assert _bench(home("xunxian.leader")) == _bench_of(
            yellow=soon,
            due=soon,
            arrived=1,
            cards={f"{COUNTY}rectification/": 1 + soon, f"{COUNTY}rectification/supervised/": 1 + soon},
        )

        # The city's leading group records its decision on its heard round: its to-dos go, and the office's overdue
        # hearing with them.
        hearing_decided("hebi.leader", "市委巡察工作领导小组听取汇报，同意巡察报告，按程序反馈")
        assert _bench(home("hebi.leader")) == _bench_of()
        assert _bench(home("hebi.staff")) == _city_office(hearing=0, filing=filing, soon=soon)

        # The team member signs the hand-over sheet for the team: gone from theirs and the team leader's list.
        member = home("xunxian.member")
        bench_link(member, "待签字：").click()
        member.get_by_test_id("transfers").get_by_role("button", name="巡察组签字").click()
        member.wait_for_load_state()
        assert _bench(home("xunxian.member")) == _bench_of(mine=3)
        assert _bench(home("xunxian.teamlead")) == _bench_of(
            red=1, overdue=1, mine=8, arrived=1, cards={f"{COUNTY}rectification/": 1}, bell=1
        )

        # The agency accepts the transfer (its signature hands it over): what is left is the overdue report.
        agency = home("xunxian.agency")
        bench_link(agency, "待签字：").click()
        agency.get_by_test_id("transfers").get_by_role("button", name="接收单位签字").click()
        agency.wait_for_load_state()
        assert _bench(home("xunxian.agency")) == _bench_of(red=1, overdue=1, cards={f"{COUNTY}transfers/": 1})

        # The liaison submits the unit's rectification plan: the overdue plan goes, the overdue item stays.
        liaison = home("xunxian.liaison")
        bench_link(liaison, "县教育局党组 整改方案").click()
        row = liaison.get_by_test_id("submissions").locator("tr", has_text="整改方案").first
        row.locator("input[name=content]").fill("整改方案：清退超标准接待费用，修订公务接待和政府采购制度。")
        row.get_by_role("button", name="报送").click()
        liaison.wait_for_load_state()
        assert _bench(home("xunxian.liaison")) == _bench_of(red=1, overdue=1, cards={f"{COUNTY}rectification/": 1})
        _demo_shots(home("xunxian.liaison"), "xunxian-liaison-after")
        # The office saw two of its four red lights go: the hearing, the plan (the item and the report stay).
        assert _bench(home("xunxian.staff")) == _bench_of(
            red=2,
            yellow=soon,
            overdue=2,
            due=soon,
            arrived=3,
            cards={
                f"{COUNTY}transfers/": 1,
                f"{COUNTY}rectification/": 2 + soon,
                f"{COUNTY}rectification/supervised/": 1 + soon,
            },
            bell=2,
        )

        # 浚县's office reports the city's supervised item done, from its arrival on the 工作台: the arrival and the
        # item's deadline go (the city's notice of the item stays unread).
        county = home("xunxian.admin")
        bench_link(county, "新到：督办整改事项：市卫生健康委党组").click()
        row = county.locator("tr", has_text="督促浚县卫健委开展医保基金使用专项检查并建立长效机制")
        row.locator("select[name=status]").select_option("completed")
        row.locator("textarea[name=progress_note]").fill("已开展医保基金使用专项检查，建立长效监管机制")
        row.locator("input[name=completed_on]").fill(today.isoformat())
        row.get_by_role("button", name="向市级报送进展").click()
        county.wait_for_load_state()
        assert "进展已报送。" in county.locator("main").inner_text()
        assert _bench(home("xunxian.admin")) == _bench_of(
            red=2, overdue=2, arrived=2, cards={f"{COUNTY}transfers/": 1, f"{COUNTY}rectification/": 1}, bell=2
        )

        # Its progress reaches the city (relay and consumer) as a new arrival; the city's staff opens it and records
        # the county's report as the item's evidence: it waits for verification (both office people see it).
        city_staff = home("hebi.staff")
        reload_until(
            city_staff,
            lambda page: "浚县报告了督办整改事项" in page.get_by_test_id("workbench").inner_text(),
            what="浚县's progress on the city's 工作台",
            processes=site,
        )
        assert _bench(city_staff) == _city_office(hearing=0, filing=filing, soon=soon, arrived=1, bell=1)
        bench_link(city_staff, "浚县报告了督办整改事项").click()
        row = city_staff.get_by_test_id("items").locator("tr", has_text="督促浚县卫健委开展医保基金使用专项检查")
        assert "浚县 已完成" in row.get_by_test_id("county-progress").inner_text()
        row.locator("input[name=evidence]").fill("浚县报告已完成：医保基金使用专项检查已开展，长效监管机制已建立")
        row.get_by_role("button", name="报送佐证材料").click()
        city_staff.wait_for_load_state()
        # The staff member followed the notice, so it is read for them; the head has not seen it yet.
        after_evidence = _city_office(hearing=0, filing=filing, soon=soon, waiting=1)
        assert _bench(home("hebi.staff")) == after_evidence
        assert _bench(home("hebi.admin")) == {**after_evidence, "arrived": 1, "bell": 1}
        _demo_shots(home("hebi.staff"), "hebi-staff-after")

        # The city's office head verifies it and closes the item (对账销号): its wait and its deadline go.
        city_head = home("hebi.admin")
        bench_link(city_head, "待核验销号：督促浚县卫健委开展医保基金使用专项检查").click()
        row = city_head.get_by_test_id("items").locator("tr", has_text="督促浚县卫健委开展医保基金使用专项检查")
        row.get_by_role("button", name="核验销号").click()
        city_head.wait_for_load_state()
        closed = _city_office(hearing=0, filing=filing, soon=0)  # the head saw the report on the item's page
        assert _bench(home("hebi.admin")) == closed
        assert _bench(home("hebi.staff")) == closed
        _demo_shots(home("hebi.admin"), "hebi-admin-after")

        # The province acknowledges the city's annual plan; the viewer's arrivals shrink with it.
        bell_before = _bench(home("hebi.admin"))["bell"]
        province = home("henan.admin")
        bench_link(province, "待办理备案：鹤壁市委").first.click()
        province.select_option("[data-testid=decide] select[name=status]", "acknowledged")
        province.click("[data-testid=decide] button[type=submit]")
        province.wait_for_load_state()
        assert _bench(home("henan.admin")) == _bench_of(waiting=1, cards={f"{PROVINCE}reports/inbox/": 1})
        assert _bench(home("henan.viewer")) == _bench_of(arrived=1)

        # Its notice reaches the city (relay and consumer): the bell rings; read by its own button, it stops.
        city = home("hebi.admin")
        reload_until(
            city,
            lambda page: _bench(page)["bell"] == bell_before + 1,
            what="the province's acknowledgement on the city's bell",
            processes=site,
        )
        city.get_by_test_id("bell").click()
        notice = city.get_by_test_id("notifications").locator("tr.unread", has_text="已备案")
        assert notice.count() == 1
        for width in WIDTHS:
            city.set_viewport_size({"width": width, "height": 900})
            city.screenshot(path=str(ARTIFACTS / f"workbench-demo-notice-{width}.png"), full_page=True)
        city.set_viewport_size({"width": 1366, "height": 900})
        unread = int(city.get_by_test_id("unread").inner_text())
        notice.get_by_role("button", name="标为已读").click()
        city.wait_for_load_state()
        assert int(city.get_by_test_id("unread").inner_text()) == unread - 1
        assert city.get_by_test_id("notifications").locator("tr.unread", has_text="已备案").count() == 0
        assert _bench(home("hebi.admin"))["bell"] == bell_before
        assert _bench(home("hebi.staff"))["bell"] == bell_before + 1  # read by the admin only
