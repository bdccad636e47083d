"""Walk 3 (issue 12 point 5): a unified campaign (统一部署) in Chromium. The city office launches it from its
提级、交叉、联动巡察 page to all three counties (浚县, 淇县, 鹤山区); each county's office finds it in its
notifications; 浚县 and 淇县 accept it on the campaign's page (their own linked rounds) and run their rounds to
feedback (the long in-round steps through the services those pages call), 鹤山区 declines with a reason; the
city's campaign page shows each county's state and figures as the real relay and consumer carry them, the city
reminds 鹤山区 (it arrives there), closes the campaign and downloads the summary (Word and Excel), whose figures
per county are checked.

Rows are committed (the site and the bus processes are separate processes), uniquely named, and removed.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.committed import (
    CODES,
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

CITY = "/org/410600/"
ACCEPTING = {"410621": "浚县", "410622": "淇县"}
DECLINE_REASON = "本区正在开展换届工作，人手不足"


@pytest.fixture
def campaign_world(django_db_setup, django_db_blocker):
    suffix = unique_suffix()
    people = {"city_admin": ("410600", "office_admin", 3, f"市巡察办主任{suffix}")}
    for code, short in (("410621", "a"), ("410622", "b"), ("410611", "c")):
        people[f"{short}_office"] = (code, "office_admin", 3, f"县区巡察办{short}{suffix}")
        people[f"{short}_leading"] = (code, "leading_group", 3, f"县区领导小组{short}{suffix}")
        people[f"{short}_leader"] = (code, "team_leader", 2, f"县区组长{short}{suffix}")
    with django_db_blocker.unblock():
        marks = sync_high_water()
        users = people_create(people, suffix)
    yield {"suffix": suffix, "users": users, "title": f"惠民资金专项联动巡察{suffix}"}
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from tenants.crossorg.models import Campaign, CampaignReply, RoundArrangement
        from tenants.experts.models import Expert
        from tenants.findings.models import Finding
        from tenants.rectification.models import Feedback
        from tenants.rounds.models import Round
        from tenants.targets.models import Target

        with schema_context("org_410600"):
            Campaign.objects.filter(title__endswith=suffix).delete()  # and its reminders
        for code in ("410621", "410622", "410611"):
            with schema_context(f"org_{code}"):
                rounds = Round.objects.filter(name__endswith=suffix)
                RoundArrangement.objects.filter(round__in=rounds).delete()
                Feedback.objects.filter(round__in=rounds).delete()  # and its rectification items
                Finding.objects.filter(round__in=rounds).delete()
                rounds.delete()
                Target.objects.filter(name__endswith=suffix).delete()
                Expert.objects.filter(name__endswith=suffix).delete()
                CampaignReply.objects.filter(reason=DECLINE_REASON).delete()
        sync_rows_remove(marks)
        User.objects.filter(username__endswith=f"-{suffix}").delete()


def _run_to_feedback(world, code: str, round_name: str, units: list[str]) -> None:
    """The county's long in-round steps, through the services its pages call (team, units, transitions to
    feedback, a finding, the feedback with two rectification items: one overdue, one verified and closed)."""
    from shared.orgs.models import Organization
    from tenants.rounds.models import Round
    from tests.tenants.crossorg.conftest import linked_round_progress

    short = {"410621": "a", "410622": "b"}[code]
    users = world["users"]
    county = Organization.objects.get(code=code)
    with schema_context(county.schema_name):
        round = Round.objects.get(name=round_name)
    today = timezone.localdate()
    linked_round_progress(
        county=county,
        round=round,
        units=units,
        office=users[f"{short}_office"],
        leading=users[f"{short}_leading"],
        leader=users[f"{short}_leader"],
        overdue_on=today - timedelta(days=2),
        due_later=today + timedelta(days=40),
    )


def _row(page, code: str) -> str:
    return page.get_by_test_id(f"county-{code}").inner_text()


@pytest.mark.browser
def test_a_unified_campaign_walked_by_the_city_and_its_three_counties(
    site, campaign_world, tmp_path, django_db_blocker
):
    from docx import Document
    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    world, suffix = campaign_world, campaign_world["suffix"]
    users = {key: user.username for key, user in world["users"].items()}
    title = world["title"]
    today = timezone.localdate()
    ARTIFACTS.mkdir(exist_ok=True)
    processes = sync_processes(tmp_path, CODES)
    try:
        with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
            # The city office launches the campaign from its 提级、交叉、联动巡察 page to the three counties.
            city = signed_in(browser, site, users["city_admin"])
            city.click(f"a.card[href='{CITY}crossorg/']")
            city.get_by_test_id("setup-actions").get_by_role("link", name="新建统一部署").click()
            form = city.get_by_test_id("campaign-form")
            form.locator("input[name=title]").fill(title)
            form.locator("input[name=topic]").fill("惠民资金使用管理")
            form.locator("input[name=start_date]").fill(today.isoformat())
            form.locator("input[name=end_date]").fill((today + timedelta(days=90)).isoformat())
            for code in ("410621", "410622", "410611"):
                form.locator(f"input[name=county_codes][value='{code}']").check()
            form.locator("textarea[name=summary]").fill("各县区对本级惠民资金管理使用情况开展专项巡察。")
            with city.expect_navigation():
                form.locator("button[type=submit]").click()  # the file input is a button too
            city.get_by_role("link", name=title).click()
            campaign_url = city.url
            for code in ("410621", "410622", "410611"):
                assert "尚未答复" in _row(city, code)

            # Each county's office finds it in its notifications and opens the campaign's page from there.
            county_pages = {}
            for code, short in (("410621", "a"), ("410622", "b"), ("410611", "c")):
                page = signed_in(browser, site, users[f"{short}_office"])
                page.click(f"a.card[href='/org/{code}/reminders/']")
                reload_until(
                    page,
                    lambda p: title in p.get_by_test_id("notifications").inner_text(),
                    what=f"the campaign's notification at {code}",
                    processes=processes,
                )
                page.get_by_test_id("notifications").get_by_role("link", name=f"鹤壁市下发统一部署：{title}").click()
                assert "/crossorg/campaigns/received/" in page.url
                assert (
                    "各县区对本级惠民资金管理使用情况开展专项巡察"
                    in page.get_by_test_id("campaign-guidance").inner_text()
                )
                county_pages[code] = page

            # 浚县 and 淇县 accept it on the campaign's page: their own linked rounds.
            for code, name in ACCEPTING.items():
                page = county_pages[code]
                accept = page.get_by_test_id("campaign-accept")
                accept.locator("input[name=name]").fill(f"{name}惠民资金专项巡察{suffix}")
                accept.locator("input[name=onsite_start]").fill((today + timedelta(days=1)).isoformat())
                accept.locator("input[name=onsite_end]").fill((today + timedelta(days=45)).isoformat())
                with page.expect_navigation():
                    accept.get_by_role("button").click()
                answer = page.get_by_test_id("campaign-answer").inner_text()
                assert (
                    "本级联动巡察轮次已启动" in answer
                    and f"{name}惠民资金专项巡察{suffix}" in answer
                    and "计划" in answer
                )
            page.screenshot(path=str(ARTIFACTS / "campaign-county-accepted.png"), full_page=True)

            # 鹤山区 says why it cannot.
            page = county_pages["410611"]
            decline = page.get_by_test_id("campaign-decline")
            decline.locator("input[name=reason]").fill(DECLINE_REASON)
            with page.expect_navigation():
                decline.get_by_role("button").click()
            assert DECLINE_REASON in page.get_by_test_id("campaign-declined").inner_text()

            # The city sees the two rounds started (stage 计划) and the refusal with its reason.
            city.goto(f"{site}{campaign_url.removeprefix(site)}")
            reload_until(
                city,
                lambda p: all("计划" in _row(p, code) for code in ACCEPTING) and DECLINE_REASON in _row(p, "410611"),
                what="the counties' answers at the city",
                processes=processes,
            )

            # Both run their rounds to feedback (services the round pages call).
            with django_db_blocker.unblock():
                for code, name in ACCEPTING.items():
                    off_the_event_loop(
                        lambda code=code, name=name: _run_to_feedback(
                            world,
                            code,
                            f"{name}惠民资金专项巡察{suffix}",
                            [f"{name}民政局党组{suffix}", f"{name}农业农村局党组{suffix}"],
                        )
                    )
            reload_until(
                city,
                lambda p: all("反馈" in _row(p, code) and "1 / 2" in _row(p, code) for code in ACCEPTING),
                what="the linked rounds' feedback at the city",
                processes=processes,
            )
            for code, name in ACCEPTING.items():
                cells = city.get_by_test_id(f"county-{code}").locator("td").all_inner_texts()
                assert cells[:8] == [
                    name,
                    "已启动联动巡察",
                    f"{name}惠民资金专项巡察{suffix}",
                    "反馈",
                    "2",
                    "1",
                    "1 / 2",
                    "1",
                ]
            declined = city.get_by_test_id("county-410611").locator("td").all_inner_texts()
            assert declined[:2] == ["鹤山区", f"不开展：{DECLINE_REASON}"]
            main = city.locator("main").inner_text()
            assert "feedback" not in main and "declined" not in main
            city.screenshot(path=str(ARTIFACTS / "campaign-city-view.png"), full_page=True)

            # The city reminds 鹤山区 (no button for the counties that started); the reminder arrives there.
            assert (
                city.get_by_test_id("remind-410621").count() == 0 and city.get_by_test_id("remind-410622").count() == 0
            )
            with city.expect_navigation():
                city.get_by_test_id("remind-410611").click()
            assert "已向该县区发送催办提醒" in city.locator("main").inner_text()
            assert "已催办" in _row(city, "410611")
            page = county_pages["410611"]
            page.goto(f"{site}/org/410611/reminders/")
            reload_until(
                page,
                lambda p: f"鹤壁市催办统一部署：{title}" in p.get_by_test_id("notifications").inner_text(),
                what="the reminder at 鹤山区",
                processes=processes,
            )

            # The city closes the campaign and downloads its summary.
            with city.expect_navigation():
                city.get_by_test_id("campaign-close").get_by_role("button").click()
            assert "统一部署已结束" in city.locator("main").inner_text()
            city.screenshot(path=str(ARTIFACTS / "campaign-city-closed.png"), full_page=True)
            expected = {
                "浚县": ["浚县", "已启动联动巡察", "", f"浚县惠民资金专项巡察{suffix}", "反馈", 2, 1, 2, 1, 1],
                "淇县": ["淇县", "已启动联动巡察", "", f"淇县惠民资金专项巡察{suffix}", "反馈", 2, 1, 2, 1, 1],
                "鹤山区": ["鹤山区", "不开展", DECLINE_REASON, "", "", 0, 0, 0, 0, 0],
                "合计": ["合计", "", "", "", "", 4, 2, 4, 2, 2],
            }
            with city.expect_download() as download:
                city.get_by_test_id("campaign-summary").get_by_role("link", name="工作总结（Excel）").click()
            sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
            rows = {
                row[0]: ["" if value is None else value for value in row]
                for row in sheet.iter_rows(min_row=2, values_only=True)
            }
            assert rows == expected
            with city.expect_download() as download:
                city.get_by_test_id("campaign-summary").get_by_role("link", name="工作总结（Word）").click()
            document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
            table = {row.cells[0].text: [cell.text for cell in row.cells] for row in document.tables[0].rows[1:]}
            assert table == {county: [str(value) for value in values] for county, values in expected.items()}
            assert f"统一部署工作总结：{title}" in "\n".join(paragraph.text for paragraph in document.paragraphs)

            # The counties are told it is closed: no more answers on their page.
            page = county_pages["410611"]
            page.goto(f"{site}/org/410611/crossorg/")
            page.get_by_test_id("campaigns-received").get_by_role("link", name=title).click()
            reload_until(
                page,
                lambda p: p.get_by_test_id("campaign-closed").count() == 1,
                what="the closing at 鹤山区",
                processes=processes,
            )
            assert page.get_by_test_id("campaign-decline").count() == 0
    finally:
        processes.stop_all()
