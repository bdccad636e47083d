"""A person walks a round in Chromium: target, pool member, round, team, leader, target, then every step to
closed (the same person also sits in the leading group and records the hearing).

Rows are committed (the site is a separate process), uniquely named, and removed afterwards.
"""

from __future__ import annotations

import uuid

import pytest
from django_tenants.utils import schema_context

from shared.accounts.models import Membership, User
from shared.orgs.models import Organization
from tests.browser.test_login import ARTIFACTS, CHROMIUM, PASSWORD, site  # noqa: F401  (site is a fixture)

STEPS = ["组建巡察组", "进驻动员", "进驻巡察", "撰写报告", "领导小组听取汇报", "反馈", "整改", "办结"]


@pytest.fixture
def office_and_leading_user(django_db_setup, django_db_blocker):
    username = f"walker-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        user = User.objects.create(username=username, display_name="巡察办兼领导小组")
        user.set_password(PASSWORD)
        user.save()
        county = Organization.objects.get(code="410621")
        for role in ("office_staff", "leading_group"):
            Membership.objects.create(user=user, organization=county, role=role, clearance=2)
    yield username
    with django_db_blocker.unblock():
        from tenants.experts.models import Expert
        from tenants.rounds.models import Round
        from tenants.targets.models import Target

        suffix = username.split("-", 1)[1]
        with schema_context("org_410621"):
            Round.objects.filter(name__endswith=suffix).delete()
            Expert.objects.filter(name__endswith=suffix).delete()
            Target.objects.filter(name__endswith=suffix).delete()
        User.objects.filter(username=username).delete()


@pytest.mark.browser
def test_walk_a_round_from_planned_to_closed_in_the_browser(site, office_and_leading_user, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    suffix = office_and_leading_user.split("-", 1)[1]
    target, expert, round_name = f"东关村党支部{suffix}", f"马组长{suffix}", f"浏览器巡察{suffix}"
    org = f"{site}/org/410621/"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            viewport={"width": 1280, "height": 900}, locale="zh-CN",
        )
        page = browser.new_page()
        try:
            page.goto(org)
            page.fill("input[name=username]", office_and_leading_user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(org)
            page.click(f"a.card[href='/org/410621/rounds/']")
            assert page.locator("h1").inner_text() == "巡察轮次"

            page.goto(org + "targets/new/")
            page.fill("input[name=name]", target)
            page.select_option("select[name=level]", "village")
            page.fill("textarea[name=leaders]", "高书记:支部书记*")
            page.click("main button[type=submit]")
            page.wait_for_url(org + "targets/")
            assert target in page.get_by_test_id("target-list").inner_text()

            page.goto(org + "experts/new/")
            page.fill("input[name=name]", expert)
            page.select_option("select[name=specialty]", "discipline")
            page.click("main button[type=submit]")

            page.goto(org + "rounds/new/")
            page.fill("input[name=name]", round_name)
            page.select_option("select[name=kind]", "regular")
            page.fill("input[name=onsite_start]", "2026-03-02")
            page.fill("input[name=onsite_end]", "2026-03-31")
            page.click("main button[type=submit]")
            page.wait_for_selector("[data-testid=round-state]")
            assert page.get_by_test_id("round-state").inner_text() == "计划"

            page.fill("form[action$='/teams/'] input[name=name]", "第一巡察组")
            page.click("form[action$='/teams/'] button")
            page.select_option("form[action$='/authorise/'] select[name=expert]", label=expert)
            page.click("form[action$='/authorise/'] button")
            page.select_option("form[action$='/members/'] select[name=expert]", label=expert)
            page.select_option("form[action$='/members/'] select[name=role]", "leader")
            page.click("form[action$='/members/'] button")
            page.select_option("form[action$='/targets/'] select[name=target]", label=target)
            page.click("form[action$='/targets/'] button")
            team = page.get_by_test_id("team").inner_text()
            assert expert in team and "组长" in team and target in team and "高书记" in team

            for label in STEPS:
                form = page.get_by_test_id("transition-form")
                if label == "反馈":
                    form.locator("textarea[name=note]").fill("同意巡察报告，按程序反馈")
                form.locator("button").click()
                page.wait_for_load_state()
                assert page.get_by_test_id("round-state").inner_text() == label, page.locator(".messages").inner_text()
            history = page.get_by_test_id("transitions").inner_text()
            assert "同意巡察报告，按程序反馈" in history and history.count("巡察办兼领导小组") == 8
            page.screenshot(path=str(ARTIFACTS / "round-walk.png"), full_page=True)
        finally:
            browser.close()
