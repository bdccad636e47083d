"""The province story in Chromium: the city files its annual plan and a round summary; they arrive in the
province's inbox through the real relay and consumer processes; the province returns the summary with a
comment; the city sees it returned with the comment, records what was missing and re-files; the province
sees the corrected version (a new revision) and acknowledges it; the city sees it acknowledged.

Rows are committed (the site and the sync processes are separate processes), uniquely named, and
removed afterwards.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django_tenants.utils import schema_context

from tests.browser.committed import (
    chromium,
    people_create,
    reload_until,
    signed_in,
    sync_high_water,
    sync_processes,
    sync_rows_remove,
    unique_suffix,
)
from tests.browser.test_login import ARTIFACTS

CITY, PROVINCE = "/org/410600/", "/org/410000/"


def _free_year() -> int:
    """A plan year nobody uses (one annual plan per year): far from the demo's and other tests' years."""
    from tenants.planning.models import AnnualPlan

    used = set(AnnualPlan.objects.values_list("year", flat=True))
    return random.choice([year for year in range(2100, 2900) if year not in used])


@pytest.fixture
def filing_world(django_db_setup, django_db_blocker):
    from tenants.planning.models import AnnualPlan, PlanApproval, PlanStatus
    from tenants.rounds.models import Round, Team, TeamTarget
    from tenants.targets.models import Target

    suffix = unique_suffix()
    with django_db_blocker.unblock():
        marks = sync_high_water()
        users = people_create(
            {
                "city_filer": ("410600", "office_admin", 2, f"鹤壁市巡察办{suffix}"),
                "province_office": ("410000", "office_admin", 3, f"省委巡视办{suffix}"),
            },
            suffix,
        )
        with schema_context("org_410600"):
            year = _free_year()
            plan = AnnualPlan.objects.create(
                year=year,
                title=f"鹤壁市委{year}年度巡察工作计划{suffix}",
                status=PlanStatus.APPROVED,
                content="安排三轮常规巡察和一轮专项巡察。",
                created_by=users["city_filer"],
            )
            PlanApproval.objects.create(
                annual_plan=plan, decision="approved", note="领导小组审议同意", decided_by=users["city_filer"]
            )
            round = Round.objects.create(
                name=f"鹤壁市委第一轮巡察{suffix}",
                state="hearing",
                onsite_start=datetime.date(2026, 3, 2),
                onsite_end=datetime.date(2026, 4, 10),
                created_by=users["city_filer"],
            )
            team = Team.objects.create(round=round, name="市委第一巡察组")
            target = Target.objects.create(name=f"市财政局党组{suffix}", level="city", managing_org_code="410600")
            TeamTarget.objects.create(team=team, round=round, target=target)
    yield {
        "users": {key: user.username for key, user in users.items()},
        "plan": plan.title,
        "round": round.name,
        "target": target.name,
        "suffix": suffix,
    }
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from tenants.findings.models import Finding
        from tenants.reports.models import Filing, FilingReceipt

        with schema_context("org_410600"):
            filings = Filing.objects.filter(subject__in=[f"annual_plan:{plan.pk}", f"round:{round.pk}"])
            keys = [str(key) for key in filings.values_list("key", flat=True)]
            filings.delete()
            Finding.objects.filter(round=round).delete()
            Round.objects.filter(pk=round.pk).delete()
            Target.objects.filter(pk=target.pk).delete()
            AnnualPlan.objects.filter(pk=plan.pk).delete()
        with schema_context("org_410000"):
            FilingReceipt.objects.filter(source_code="410600", filing_key__in=keys).delete()
        sync_rows_remove(marks)
        User.objects.filter(username__endswith=f"-{suffix}").delete()


def assert_filed(page) -> None:
    """Sent (已报送), or already received (已接收): the relay and consumer run meanwhile, so the province's
    receipt may be back before the page is drawn."""
    status = page.get_by_test_id("filing-status").inner_text()
    assert "已报送" in status or "已接收" in status, status


@pytest.mark.browser
def test_the_province_returns_a_filing_and_acknowledges_the_corrected_version(site, filing_world, tmp_path):
    from playwright.sync_api import sync_playwright

    world = filing_world
    summary_title = f"{world['round']}工作总结"
    ARTIFACTS.mkdir(exist_ok=True)
    processes = sync_processes(tmp_path, ["410600", "410000"])
    try:
        with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
            # The city files its annual plan and the round's summary, from its home page.
            city = signed_in(browser, site, world["users"]["city_filer"])
            for subject, note in ((world["plan"], "请省委巡视办审阅备案。"), (world["round"], "本轮巡察工作总结。")):
                city.click(f"a.card[href='{CITY}reports/filings/']")
                city.click(f"main a[href='{CITY}reports/filings/new/']")
                city.select_option("select[name=subject]", label=subject)
                city.fill("textarea[name=note]", note)
                city.click("main button[type=submit]")
                city.wait_for_load_state()
                assert_filed(city)
                city.click("nav.sidebar a[href='/org/410600/']")

            # The province sees both arrive (relay → consumer), and returns the summary with a comment.
            province = signed_in(browser, site, world["users"]["province_office"])
            province.click(f"a.card[href='{PROVINCE}reports/inbox/']")
            reload_until(
                province,
                lambda p: (
                    p.locator("main tr", has_text=world["plan"]).count() == 1
                    and p.locator("main tr", has_text=summary_title).count() == 1
                ),
                what="both filings in the province's inbox",
                processes=processes,
            )
            assert "已接收" in province.locator("main tr", has_text=world["plan"]).inner_text()
            province.get_by_role("link", name=summary_title).click()
            assert "第1版" in province.locator("main").inner_text()
            province.select_option("[data-testid=decide] select[name=status]", "returned")
            province.fill("[data-testid=decide] textarea[name=comment]", "请补充本轮发现的问题")
            province.click("[data-testid=decide] button[type=submit]")
            province.wait_for_load_state()
            assert "答复已发送给报送单位" in province.locator(".messages").inner_text()
            assert "退回修改" in province.locator("main").inner_text()

            # The city sees it returned with the comment, records the missing finding, re-files.
            city.click(f"nav.sidebar a[href='{CITY}reports/filings/']")
            reload_until(
                city,
                lambda p: "退回修改" in p.locator("main tr", has_text=summary_title).inner_text(),
                what="the province's answer at the city",
                processes=processes,
            )
            assert "退回修改" not in city.locator("main tr", has_text=world["plan"]).inner_text()
            city.get_by_role("link", name=summary_title).click()
            status = city.get_by_test_id("filing-status").inner_text()
            assert "退回修改" in status and "请补充本轮发现的问题" in status
            city.get_by_test_id("filing-sources").get_by_role("link", name="发现问题").click()
            assert world["round"] in city.get_by_test_id("findings-round").inner_text()  # narrowed to the round
            form = city.get_by_test_id("finding-form")
            form.locator("select[name=round]").select_option(label=world["round"])
            form.locator("select[name=target]").select_option(label=world["target"])
            form.locator("input[name=title]").fill("“三重一大”事项未经集体研究")
            form.locator("textarea[name=description]").fill("2025年两项大额资金支出未经党组会研究。")
            form.locator("textarea[name=evidence]").fill("党组会议记录")
            form.locator("button[type=submit]").click()
            city.wait_for_load_state()
            assert "“三重一大”事项未经集体研究" in city.get_by_test_id("findings").inner_text()
            city.click(f"nav.sidebar a[href='{CITY}reports/filings/']")
            city.get_by_role("link", name=summary_title).click()
            city.fill("textarea[name=note]", "已补充本轮发现的问题。")
            city.get_by_role("button", name="作为新版本重新报送").click()
            city.wait_for_load_state()
            assert_filed(city)
            assert "第2版" in city.locator("main").inner_text()

            # The province sees the corrected version and acknowledges it.
            province.click(f"nav.sidebar a[href='{PROVINCE}reports/inbox/']")
            reload_until(
                province,
                lambda p: (
                    "已接收" in p.locator("main tr", has_text=summary_title).inner_text()
                    and p.locator("main tr", has_text=summary_title).locator("td").nth(2).inner_text() == "2"
                ),
                what="the corrected version at the province",
                processes=processes,
            )
            province.get_by_role("link", name=summary_title).click()
            page = province.locator("main").inner_text()
            assert "第2版" in page and "已补充本轮发现的问题。" in page
            assert "发现问题（个）\t1" in page
            province.select_option("[data-testid=decide] select[name=status]", "acknowledged")
            province.click("[data-testid=decide] button[type=submit]")
            province.wait_for_load_state()
            assert "已备案" in province.locator("main").inner_text()
            province.screenshot(path=str(ARTIFACTS / "province-acknowledged.png"), full_page=True)

            # The city sees it acknowledged; both revisions are kept.
            city.click(f"nav.sidebar a[href='{CITY}reports/filings/']")
            reload_until(
                city,
                lambda p: "已备案" in p.locator("main tr", has_text=summary_title).inner_text(),
                what="the acknowledgement at the city",
                processes=processes,
            )
            city.get_by_role("link", name=summary_title).click()
            revisions = city.locator("main table").last.inner_text()
            assert "请补充本轮发现的问题" in revisions and "已补充本轮发现的问题。" in revisions
    finally:
        processes.stop_all()
