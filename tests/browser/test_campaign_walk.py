"""Walk 3 (issue 12 point 5), from the freshly seeded demo (demo_site: the demo's own database, users and
password, the real relay and consumer): a unified campaign (统一部署) in Chromium. hebi.admin launches it from
its 提级、交叉、联动巡察 page to all three counties with the guidance and a file; each county's office
(xunxian.admin, qixian.admin, heshan.admin) finds it in its notifications and opens its arrival page, where the
file downloads with the bytes the city uploaded; 浚县 and 淇县 accept it there (their own linked rounds) and run
their rounds to feedback on their pages (tests/browser/round_pages.py), each step signed in as the county's demo
user who does it (office, team leader, leading group); 鹤山区 declines with a reason. The city's campaign page
shows each county's stage (on site, then feedback) and figures as the bus carries them; the city reminds 鹤山区
(it arrives there), closes the campaign and downloads the summary (Word and Excel), whose figures per county
are checked.

The demo seeds a campaign of its own (“2026年惠民资金使用管理专项联动巡察”); this walk's has another title.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser import round_pages
from tests.browser.committed import chromium, reload_until, signed_in
from tests.browser.test_login import ARTIFACTS

CITY = "/org/410600/"
ACCEPTING = {"410621": "浚县", "410622": "淇县"}
OFFICES = {"410621": "xunxian.admin", "410622": "qixian.admin", "410611": "heshan.admin"}
DECLINE_REASON = "本区正在开展换届工作，人手不足"
TITLE = "2026年民生实事资金专项联动巡察"


# Who does each step of a county's linked round, as the demo has them: the office (巡察办) sets the round up and
# gives the feedback, the team leader records the finding and verifies the evidence, the leading group hears
# the report and decides the feedback. 浚县's pool has the team leader (陈组长, xunxian.teamlead); 淇县's office
# first adds its team leader to its pool.
SLUGS = {"410621": "xunxian", "410622": "qixian"}
TEAM_LEADERS = {"410621": "陈组长", "410622": "孙组长"}
LEADER_UNITS = {"410621": "县纪委监委"}  # the demo's pool member's unit; 淇县's is added without one
HEARING_DECISION = "领导小组听取汇报，同意反馈"
OVERDUE, LATER = "台账不全", "公示不及时"


def _linked_round_to_feedback(sign_in, *, site: str, code: str, round_url: str, today, city_on_site) -> None:
    """The county's linked round (just accepted, 计划) run to feedback on its pages: a team on two new units of
    its own with its team leader, on site (`city_on_site()` then follows the stage at the city), a finding, the
    report and the hearing, the feedback with two rectification items (one overdue, one verified and closed)."""
    name, slug, leader = ACCEPTING[code], SLUGS[code], TEAM_LEADERS[code]
    org, units = f"{site}/org/{code}/", [f"{name}民政局党组", f"{name}农业农村局党组"]
    office = sign_in(f"{slug}.admin")
    for unit, principal in zip(units, ("王明", "李强"), strict=True):
        round_pages.target_create(office, org, name=unit, level="county", leaders=f"{principal}:局长*")
    if code == "410622":
        round_pages.pool_member_create(office, org, name=leader, specialty="discipline", username=f"{slug}.teamlead")
    office.goto(round_url)
    round_pages.team_form(office, f"{name}民生实事资金专项巡察组")
    for unit in units:
        round_pages.target_assign(office, unit)
    round_pages.authorise_and_add(office, leader, "leader", unit=LEADER_UNITS.get(code, ""))
    round_pages.move(office, "组建巡察组", "进驻动员", "进驻巡察")
    city_on_site()

    teamlead = sign_in(f"{slug}.teamlead")
    teamlead.goto(round_url)
    round_pages.findings_open(teamlead, f"{name}民生实事资金专项巡察")
    round_pages.finding_record(
        teamlead,
        target=units[0],
        category="工作纪律",
        title="惠民资金发放台账不全",
        description="部分乡镇发放台账缺少签领记录",
        evidence="抽查台账第12页",
    )

    office.goto(round_url)
    round_pages.move(office, "撰写报告", "领导小组听取汇报")
    leading = sign_in(f"{slug}.leader")
    leading.goto(round_url)
    round_pages.move(leading, "反馈", note=HEARING_DECISION)
    assert HEARING_DECISION in leading.get_by_test_id("transitions").inner_text()

    office.goto(round_url)
    round_pages.feedback_open(office)
    round_pages.feedback_give(
        office,
        target=units[0],
        leadership="领导班子对惠民资金监管不严",
        principal="主要负责人督促整改不力",
        delivered_on=today.isoformat(),
    )
    for problem, task, unit, person, due in (
        (OVERDUE, "补齐签领记录", "财政所", "王所长", today - timedelta(days=2)),
        (LATER, "按月公示", "民政所", "李所长", today + timedelta(days=40)),
    ):
        round_pages.item_add(office, problem=problem, task=task, unit=unit, person=person, due_date=due.isoformat())
    round_pages.evidence_submit(office, problem=LATER, evidence="公示照片三张")
    feedback_url = office.url
    teamlead.goto(feedback_url)
    round_pages.item_verify(teamlead, problem=LATER)
    items = teamlead.get_by_test_id("items")
    assert items.locator("tr", has_text=OVERDUE).locator("[data-colour=red]").count() == 1, items.inner_text()
    assert items.inner_text().count("已销号") == 1
    teamlead.screenshot(path=str(ARTIFACTS / f"demo-campaign-{code}-feedback.png"), full_page=True)
    for page in (office, teamlead, leading):
        page.context.close()


def _row(page, code: str) -> str:
    return page.get_by_test_id(f"county-{code}").inner_text()


def _guidance_file(tmp_path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("民生实事资金专项联动巡察工作方案（模板）")
    path = tmp_path / "联动巡察工作方案模板.docx"
    document.save(path)
    return path


@pytest.mark.browser
def test_a_unified_campaign_walked_on_the_demo_by_the_city_and_its_three_counties(demo_site, tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    from xuncha.demo import DEFAULT_PASSWORD

    site, today = demo_site.url, timezone.localdate()
    guidance_file = _guidance_file(tmp_path)
    rounds = {code: f"{name}民生实事资金专项巡察" for code, name in ACCEPTING.items()}
    round_urls = {}
    ARTIFACTS.mkdir(exist_ok=True)

    def sign_in(browser, username):
        return signed_in(browser, site, username, password=DEFAULT_PASSWORD, width=1366)

    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        # hebi.admin launches the campaign from its 提级、交叉、联动巡察 page to the three counties, with a file.
        city = sign_in(browser, "hebi.admin")
        city.click(f"a.card[href='{CITY}crossorg/']")
        city.get_by_test_id("setup-actions").get_by_role("link", name="新建统一部署").click()
        form = city.get_by_test_id("campaign-form")
        form.locator("input[name=title]").fill(TITLE)
        form.locator("input[name=topic]").fill("民生实事资金使用管理")
        form.locator("input[name=start_date]").fill(today.isoformat())
        form.locator("input[name=end_date]").fill((today + timedelta(days=90)).isoformat())
        for code in OFFICES:
            form.locator(f"input[name=county_codes][value='{code}']").check()
        form.locator("textarea[name=summary]").fill("各县区对本级民生实事资金管理使用情况开展专项巡察。")
        form.locator("input[name=files]").set_input_files(str(guidance_file))
        city.screenshot(path=str(ARTIFACTS / "demo-campaign-new.png"), full_page=True)
        with city.expect_navigation():
            form.locator("button[type=submit]").click()  # the file input is a button too
        city.get_by_role("link", name=TITLE).click()
        campaign_url = city.url
        for code in OFFICES:
            assert "尚未答复" in _row(city, code)

        # Each county's office finds it in its notifications and opens the campaign's arrival page from there,
        # with the city's guidance and its file (the same bytes).
        county_pages = {}
        for code, username in OFFICES.items():
            page = sign_in(browser, username)
            page.click(f"a.card[href='/org/{code}/reminders/']")
            reload_until(
                page,
                lambda p: TITLE in p.get_by_test_id("notifications").inner_text(),
                what=f"the campaign's notification at {code}",
                processes=demo_site,
            )
            page.get_by_test_id("notifications").get_by_role("link", name=f"鹤壁市下发统一部署：{TITLE}").click()
            assert "/crossorg/campaigns/received/" in page.url
            assert "民生实事资金管理使用情况" in page.get_by_test_id("campaign-guidance").inner_text()
            reload_until(
                page,
                lambda p: p.get_by_test_id("campaign-received-files").count() == 1,
                what=f"the campaign's file at {code}",
                processes=demo_site,
            )
            with page.expect_download() as download:
                page.get_by_test_id("campaign-received-files").get_by_role("link", name=guidance_file.name).click()
            assert Path(download.value.path()).read_bytes() == guidance_file.read_bytes(), code
            county_pages[code] = page
        county_pages["410622"].screenshot(path=str(ARTIFACTS / "demo-campaign-arrival.png"), full_page=True)

        # 浚县 and 淇县 accept it on the campaign's page: their own linked rounds.
        for code in ACCEPTING:
            page = county_pages[code]
            accept = page.get_by_test_id("campaign-accept")
            accept.locator("input[name=name]").fill(rounds[code])
            accept.locator("input[name=onsite_start]").fill((today + timedelta(days=1)).isoformat())
            accept.locator("input[name=onsite_end]").fill((today + timedelta(days=45)).isoformat())
            with page.expect_navigation():
                accept.get_by_role("button").click()
            answer = page.get_by_test_id("campaign-answer").inner_text()
            assert "本级联动巡察轮次已启动" in answer and rounds[code] in answer and "计划" in answer
            round_urls[code] = (
                page.get_by_test_id("campaign-answer")
                .get_by_role("link", name=rounds[code])
                .evaluate("link => link.href")
            )
        page.screenshot(path=str(ARTIFACTS / "demo-campaign-county-accepted.png"), full_page=True)

        # Before 鹤山区 answers, the city reminds it (no button for the counties that started); the reminder arrives
        # there, and 鹤山区 opens the campaign again from it.
        city.goto(campaign_url)
        reload_until(
            city,
            lambda p: all("计划" in _row(p, code) for code in ACCEPTING),
            what="the counties' linked rounds at the city",
            processes=demo_site,
        )
        assert city.get_by_test_id("remind-410621").count() == 0 and city.get_by_test_id("remind-410622").count() == 0
        with city.expect_navigation():
            city.get_by_test_id("remind-410611").click()
        assert "已向该县区发送催办提醒" in city.locator("main").inner_text()
        assert "已催办" in _row(city, "410611")
        page = county_pages["410611"]
        page.goto(f"{site}/org/410611/reminders/")
        reload_until(
            page,
            lambda p: f"鹤壁市催办统一部署：{TITLE}" in p.get_by_test_id("notifications").inner_text(),
            what="the reminder at 鹤山区",
            processes=demo_site,
        )
        page.get_by_test_id("notifications").get_by_role("link", name=f"鹤壁市催办统一部署：{TITLE}").click()

        # 鹤山区 says why it cannot.
        decline = page.get_by_test_id("campaign-decline")
        decline.locator("input[name=reason]").fill(DECLINE_REASON)
        with page.expect_navigation():
            decline.get_by_role("button").click()
        assert DECLINE_REASON in page.get_by_test_id("campaign-declined").inner_text()

        # The city sees the two rounds started (stage 计划) and the refusal with its reason.
        city.goto(campaign_url)
        reload_until(
            city,
            lambda p: all("计划" in _row(p, code) for code in ACCEPTING) and DECLINE_REASON in _row(p, "410611"),
            what="the counties' answers at the city",
            processes=demo_site,
        )

        # Both run their rounds to feedback on their pages, each step by whoever does it in the county; the city's
        # page follows each county's stage as the bus carries it.
        for code in ACCEPTING:
            _linked_round_to_feedback(
                lambda username: sign_in(browser, username),
                site=site,
                code=code,
                round_url=round_urls[code],
                today=today,
                city_on_site=lambda code=code: reload_until(
                    city,
                    lambda p: "进驻巡察" in _row(p, code),
                    what=f"the linked round of {code} on site at the city",
                    processes=demo_site,
                ),
            )
            reload_until(
                city,
                lambda p, code=code: "反馈" in _row(p, code) and "1 / 2" in _row(p, code),
                what=f"the linked round's feedback of {code} at the city",
                processes=demo_site,
            )
        for code, name in ACCEPTING.items():
            cells = city.get_by_test_id(f"county-{code}").locator("td").all_inner_texts()
            assert cells[:8] == [name, "已启动联动巡察", rounds[code], "反馈", "2", "1", "1 / 2", "1"]
        declined = city.get_by_test_id("county-410611").locator("td").all_inner_texts()
        assert declined[:2] == ["鹤山区", f"不开展：{DECLINE_REASON}"]
        assert city.get_by_test_id("remind-410611").count() == 0  # declined: no more reminders
        main = city.locator("main").inner_text()
        assert "feedback" not in main and "declined" not in main
        city.screenshot(path=str(ARTIFACTS / "demo-campaign-city-view.png"), full_page=True)

        # The city closes the campaign and downloads its summary.
        with city.expect_navigation():
            city.get_by_test_id("campaign-close").get_by_role("button").click()
        assert "统一部署已结束" in city.locator("main").inner_text()
        city.screenshot(path=str(ARTIFACTS / "demo-campaign-city-closed.png"), full_page=True)
        expected = {
            "浚县": ["浚县", "已启动联动巡察", "", rounds["410621"], "反馈", 2, 1, 2, 1, 1],
            "淇县": ["淇县", "已启动联动巡察", "", rounds["410622"], "反馈", 2, 1, 2, 1, 1],
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
        assert f"统一部署工作总结：{TITLE}" in "\n".join(paragraph.text for paragraph in document.paragraphs)

        # The counties are told it is closed: no more answers on their page.
        page = county_pages["410611"]
        page.goto(f"{site}/org/410611/crossorg/")
        page.get_by_test_id("campaigns-received").get_by_role("link", name=TITLE).click()
        reload_until(
            page,
            lambda p: p.get_by_test_id("campaign-closed").count() == 1,
            what="the closing at 鹤山区",
            processes=demo_site,
        )
        assert page.get_by_test_id("campaign-decline").count() == 0
        page.screenshot(path=str(ARTIFACTS / "demo-campaign-heshan-closed.png"), full_page=True)
