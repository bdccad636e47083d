"""The 工作台 in Chromium (issue 15): 浚县's office staff, the unit's liaison and the team leader each see their own
counts at home; the liaison submits evidence (an action of the demo's walk) and the staff's 待我处理 grows by it;
the city assigns a rectification item to 浚县 and its notice arrives through the real relay and consumer, rings
the bell and is read. Screenshots at 1366 and 390 pixels go to test-artifacts/ (git-ignored).

Rows are committed (the site and the sync processes are separate processes), uniquely named, removed afterwards.
"""

from __future__ import annotations

import datetime

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
            assert "进驻 2025-04-07 至 2025-05-09" in mine
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
