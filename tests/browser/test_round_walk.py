"""A person walks one round in Chromium, from the annual plan to the closed ledger, through the pages only:
the leading group approves the annual plan; the office creates a target, a pool member linked to a team
leader's sign-in, the round under the plan, its team, leader and target, announces it and goes on site;
a finding is recorded from the round page; the report, the leading group's hearing, the feedback to the
leadership and to the principal with the three signatures of the receipt; the unit's plan and reports; the
rectification items, their evidence and (by the team leader, duties separated) verification one by one
(对账销号) until the ledger is all green;
the ledger is downloaded; the round is closed. The walker is both office staff and in the leading group.

Rows are committed (the site is a separate process), uniquely named, and removed afterwards.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from shared.accounts.models import Membership, User
from shared.orgs.models import Organization
from tests.browser import round_pages
from tests.browser.test_login import ARTIFACTS, CHROMIUM, PASSWORD

ON_SITE = ["组建巡察组", "进驻动员", "进驻巡察"]
TO_HEARING = ["撰写报告", "领导小组听取汇报"]
PROBLEMS = ("村务公开不及时", "党员活动室台账不全")
HEARING_NOTE = "同意巡察报告，按程序反馈"


def plan_year(suffix: str) -> int:
    """One annual plan per year: the walk's plan takes a year nobody else uses."""
    return 3000 + int(suffix, 16) % 20000


@pytest.fixture
def walkers(django_db_setup, django_db_blocker):
    """The walker (office staff and leading group) and a team leader's sign-in to link to the pool member."""
    suffix = uuid.uuid4().hex[:8]
    walker, team_leader = f"walker-{suffix}", f"walk-leader-{suffix}"
    with django_db_blocker.unblock():
        county = Organization.objects.get(code="410621")
        user = User.objects.create(username=walker, display_name="巡察办兼领导小组")
        user.set_password(PASSWORD)
        user.save()
        for role in ("office_staff", "leading_group"):
            Membership.objects.create(user=user, organization=county, role=role, clearance=2)
        leader = User.objects.create(username=team_leader, display_name=f"马组长{suffix}")
        leader.set_password(PASSWORD)  # the team leader verifies the evidence the office recorded
        leader.save()
        Membership.objects.create(user=leader, organization=county, role="team_leader", clearance=2)
    yield walker, team_leader, suffix
    with django_db_blocker.unblock():
        from tenants.experts.models import Expert
        from tenants.findings.models import Finding
        from tenants.planning.models import AnnualPlan
        from tenants.rectification.models import Feedback
        from tenants.rounds.models import Round
        from tenants.targets.models import Target

        with schema_context("org_410621"):
            rounds = Round.objects.filter(name__endswith=suffix)
            Feedback.objects.filter(round__in=rounds).delete()
            Finding.objects.filter(round__in=rounds).delete()
            rounds.delete()
            AnnualPlan.objects.filter(year=plan_year(suffix)).delete()
            Expert.objects.filter(name__endswith=suffix).delete()
            Target.objects.filter(name__endswith=suffix).delete()
        User.objects.filter(username__in=[walker, team_leader]).delete()


@pytest.mark.browser
def test_walk_a_round_from_the_annual_plan_to_the_closed_ledger_in_the_browser(site, walkers, tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    walker, team_leader, suffix = walkers
    target, expert, round_name = f"东关村党支部{suffix}", f"马组长{suffix}", f"浏览器巡察{suffix}"
    plan_title = f"{plan_year(suffix)}年度巡察工作计划{suffix}"
    org = f"{site}/org/410621/"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
            accept_downloads=True,
        )
        page = browser.new_page()
        page.set_default_timeout(20_000)

        def submit(form):
            round_pages.submit(page, form)

        try:
            page.goto(org)
            page.fill("input[name=username]", walker)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            assert page.url == org

            # The annual plan: drafted and submitted by the office, approved by the leading group.
            page.goto(org + "plans/")
            with page.expect_navigation():
                page.click("a[href='/org/410621/plans/annual/new/']")
            page.fill("input[name=title]", plan_title)
            page.fill("input[name=year]", str(plan_year(suffix)))
            page.fill("textarea[name=content]", "安排一轮常规巡察")
            submit(page.locator("main form"))
            submit(page.locator("form[action$='/submit/']"))
            decision = page.locator("form[action$='/decide/']")
            decision.locator("select[name=decision]").select_option("approved")
            decision.locator("textarea[name=note]").fill("领导小组审议同意")
            submit(decision)
            assert "已批准" in page.get_by_test_id("plan-status").inner_text()
            assert "领导小组审议同意" in page.locator("main table").inner_text()

            round_pages.target_create(page, org, name=target, level="village", leaders="高书记:支部书记*")

            # A pool member linked to the team leader's sign-in (so that they see the round once on its team).
            round_pages.pool_member_create(page, org, name=expert, specialty="discipline", username=team_leader)
            assert page.get_by_test_id("expert-user").inner_text() == f"马组长{suffix}"

            page.goto(org + "rounds/new/")
            page.fill("input[name=name]", round_name)
            page.select_option("select[name=kind]", "regular")
            page.select_option("select[name=annual_plan]", label=plan_title)
            page.fill("input[name=onsite_start]", "2026-03-02")
            page.fill("input[name=onsite_end]", "2026-03-31")
            submit(page.locator("main form"))
            assert page.get_by_test_id("round-state").inner_text() == "计划"
            assert plan_title in page.locator("main").inner_text()

            round_pages.team_form(page, "第一巡察组")
            round_pages.authorise_and_add(page, expert, "leader")
            round_pages.target_assign(page, target)
            team = page.get_by_test_id("team").inner_text()
            assert expert in team and "组长" in team and target in team and "高书记" in team
            round_pages.move(page, *ON_SITE)

            # On site: a finding, recorded from the round page's link (the form is narrowed to this round).
            round_pages.findings_open(page, round_name)
            round_pages.finding_record(
                page,
                target=target,
                category="工作纪律",
                title="村务公开不及时",
                description="村务公开栏三个月未更新",
                evidence="现场照片",
            )
            round_pages.findings_back_to_round(page, round_name)

            round_pages.move(page, *TO_HEARING)
            round_pages.move(page, "反馈", note=HEARING_NOTE)

            # Feedback to the leadership and to the principal, from the round's own section.
            round_pages.feedback_open(page)
            round_pages.feedback_give(
                page,
                target=target,
                leadership="向村党支部班子反馈：村务公开不及时",
                principal="向高书记反馈：落实第一责任人责任",
                delivered_on="2026-05-06",
            )
            assert "村务公开不及时" in page.locator("main").inner_text()
            for notice in ("feedback-notice.docx", "rectification-notice.docx"):
                with page.expect_download() as download:
                    page.locator(f"a[href$='/{notice}']").click()
                assert download.value.suggested_filename == notice

            # The receipt: team leader, unit principal, office head; the third sets the deadlines.
            for signer in ("马组长", "高书记", "巡察办主任"):
                row = page.get_by_test_id("receipt").locator("form").first
                row.locator("input[name=signer_name]").fill(signer)
                row.locator("input[name=signed_on]").fill("2026-05-08")
                submit(row)
            receipt = page.get_by_test_id("receipt").inner_text()
            assert all(name in receipt for name in ("马组长", "高书记", "巡察办主任"))
            assert page.get_by_test_id("receipt").locator("form").count() == 0

            submissions = page.locator("form[action$='/submit/']")
            submissions.first.locator("input[name=content]").fill("整改方案")
            submit(submissions.first)

            for problem in PROBLEMS:
                round_pages.item_add(page, problem=problem, task=f"整改：{problem}", unit=target, person="高书记")
            assert page.get_by_test_id("items").locator("tr").count() == 3  # header + two items

            # 对账销号: the walker records the evidence; someone else (the team leader) verifies it, item by item.
            for problem in PROBLEMS:
                round_pages.evidence_submit(page, problem=problem, evidence="整改佐证：公开栏照片、台账")
            assert page.get_by_test_id("verify-by-another").count() == 2
            assert page.locator("form[action$='/accept/']").count() == 0
            feedback_url = page.url
            leader_context = playwright.chromium.launch_persistent_context(
                user_data_dir=str(tmp_path / "leader-profile"),
                executable_path=CHROMIUM,
                headless=True,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
                locale="zh-CN",
            )
            try:
                leader_page = leader_context.new_page()
                leader_page.goto(org)
                leader_page.fill("input[name=username]", team_leader)
                leader_page.fill("input[name=password]", PASSWORD)
                with leader_page.expect_navigation():
                    leader_page.click("button[type=submit]")
                leader_page.goto(feedback_url)
                for problem in PROBLEMS:
                    round_pages.item_verify(leader_page, problem=problem)
            finally:
                leader_context.close()
            page.goto(feedback_url)
            items = page.get_by_test_id("items")
            assert items.locator("[data-colour]").count() == 2
            assert items.locator("[data-colour=green]").count() == 2
            assert items.inner_text().count("已销号") == 2

            for _kind in range(2):  # the rectification report and the principal's report
                remaining = page.locator("form[action$='/submit/']").first
                remaining.locator("input[name=content]").fill("整改情况报告")
                submit(remaining)
            assert page.locator("form[action$='/submit/']").count() == 0

            # The round's ledger: every item closed and green; downloaded as .xlsx.
            with page.expect_navigation():
                page.get_by_role("link", name=f"← {round_name}").click()
            assert page.get_by_test_id("items-closed").inner_text() == "2 / 2"
            with page.expect_download() as ledger:
                page.get_by_test_id("round-ledger").click()
            # Playwright keeps a download under a random name without its extension, which openpyxl refuses:
            # read it from its bytes, and check the name the browser was offered.
            assert ledger.value.suggested_filename.endswith(".xlsx")
            workbook = load_workbook(io.BytesIO(Path(ledger.value.path()).read_bytes()))
            rows = list(workbook.active.iter_rows(min_row=2, values_only=True))
            assert [(row[2], row[3], row[9]) for row in rows] == [
                (target, "村务公开不及时", "绿"),
                (target, "党员活动室台账不全", "绿"),
            ]

            with page.expect_navigation():
                page.get_by_role("link", name=f"← {round_name}").click()
            round_pages.move(page, "整改", "办结")
            history = page.get_by_test_id("transitions").inner_text()
            assert HEARING_NOTE in history and history.count("巡察办兼领导小组") == 8
            page.screenshot(path=str(ARTIFACTS / "round-walk.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "round-walk-failure.png"), full_page=True)
            raise
        finally:
            browser.close()
