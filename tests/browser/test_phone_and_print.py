"""In Chromium at a phone's width (390 px) and at a desktop's (1366 px): the liaison's and the team's pages
fit the screen (no sideways scrolling), the navigation hides behind 菜单 and opens on a tap, tables reflow as
one card per row with each cell's column name; on paper the navigation, buttons and forms are gone, the
feedback receipt prints on its own with blanks to sign, and the ledger keeps its rows. Screenshots at both
widths go to test-artifacts/. Rows are committed (the site is a separate process), uniquely named, removed."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import schema_context

from tests.browser.committed import chromium, people_create, signed_in, unique_suffix
from tests.browser.test_login import ARTIFACTS

COUNTY = "/org/410621/"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def _build(users, suffix) -> dict:
    """A 浚县 round at feedback on one unit with its liaison, through the services the pages call."""
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.agencies.services import unit_liaison_assign
    from tenants.experts.services import expert_create
    from tenants.rectification.services import feedback_create
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create
    from tests.tenants.walk import round_walk

    org = Organization.objects.get(code="410621")
    admin, leading = users["admin"], users["leading"]
    office = {"office": admin, "office_access": organization_access(person=admin, organization_id=org.pk)}
    with schema_context(org.schema_name):
        target = target_create(name=f"城关镇党委{suffix}", level="township", managing_org_code="410621")
        round = round_create(
            name=f"手机巡察{suffix}",
            kind="regular",
            actor=admin,
            onsite_start=datetime.date(2026, 3, 2),
            onsite_end=datetime.date(2026, 4, 3),
        )
        team = team_create(round=round, name="第一巡察组")
        team_target_add(team=team, target=target)
        expert = expert_create(name=f"李组长{suffix}", user=users["leader"])
        round_expert_authorise(round=round, expert=expert, actor=admin)
        team_member_add(team=team, expert=expert, role="leader", actor=admin)
        round = round_walk(
            round,
            "feedback",
            **office,
            leading=leading,
            leading_access=organization_access(person=leading, organization_id=org.pk),
        )
        feedback = feedback_create(
            actor=admin,
            access=office["office_access"],
            round=round,
            target=target,
            leadership_content="领导班子落实主体责任不到位。",
            principal_content="主要负责人履行第一责任人职责不到位。",
        )
        unit_liaison_assign(access=office["office_access"], person=users["liaison"], target=target)
    return {"round": round.pk, "feedback": feedback.pk, "target": target.name}


@pytest.fixture
def world(django_db_setup, django_db_blocker):
    suffix = unique_suffix()
    with django_db_blocker.unblock():
        users = people_create(
            {
                "admin": ("410621", "office_admin", 2, f"浚县巡察办{suffix}"),
                "leading": ("410621", "leading_group", 2, f"领导小组{suffix}"),
                "leader": ("410621", "team_leader", 2, f"李组长{suffix}"),
                "liaison": ("410621", "unit_liaison", 1, f"联络员{suffix}"),
            },
            suffix,
        )
        built = _build(users, suffix)
    yield {"users": {key: user.username for key, user in users.items()}, **built}
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from tenants.experts.models import Expert
        from tenants.rectification.models import Feedback
        from tenants.rounds.models import Round
        from tenants.targets.models import Target

        with schema_context("org_410621"):
            rounds = Round.objects.filter(name__endswith=suffix)
            Feedback.objects.filter(round__in=rounds).delete()
            rounds.delete()
            Expert.objects.filter(name__endswith=suffix).delete()
            Target.objects.filter(name__endswith=suffix).delete()
        User.objects.filter(username__endswith=f"-{suffix}").delete()


def _overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _visible(page, selector) -> bool:
    return page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).display") != "none"


@pytest.mark.browser
def test_phone_width_fits_and_the_menu_opens(site, world, tmp_path):
    from playwright.sync_api import sync_playwright

    users, feedback = world["users"], f"{COUNTY}rectification/feedback/{world['feedback']}/"
    walks = {
        "liaison": [COUNTY, f"{COUNTY}rectification/", feedback],
        "leader": [COUNTY, f"{COUNTY}inround/", f"{COUNTY}rounds/"],
        "admin": [f"{COUNTY}rectification/rounds/{world['round']}/", f"{COUNTY}targets/"],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        for who, paths in walks.items():
            page = signed_in(browser, site, users[who])
            for number, path in enumerate(paths):
                page.set_viewport_size(DESKTOP)
                response = page.goto(f"{site}{path}")
                assert response.status == 200, (who, path)
                assert _visible(page, "nav.sidebar") and not _visible(page, "button.nav-toggle"), (who, path)
                page.screenshot(path=str(ARTIFACTS / f"width-1366-{who}-{number}.png"), full_page=True)

                page.set_viewport_size(PHONE)
                page.reload()
                assert _overflow(page) <= 0, (who, path, _overflow(page))
                assert not _visible(page, "nav.sidebar"), (who, path)
                page.screenshot(path=str(ARTIFACTS / f"width-390-{who}-{number}.png"), full_page=True)
                page.get_by_test_id("nav-toggle").click()
                assert _visible(page, "nav.sidebar") and _overflow(page) <= 0, (who, path)
                assert page.get_by_test_id("nav-toggle").get_attribute("aria-expanded") == "true"
        # a reflowed table names each cell's column: the liaison's feedback items / the round's feedback list
        page.goto(f"{site}{COUNTY}rectification/rounds/{world['round']}/")
        labelled = page.locator("table.grid td[data-label]")
        assert labelled.count() > 0
        assert page.evaluate(
            "getComputedStyle(document.querySelector('table.grid td[data-label]'), '::before').content"
        ) not in ("none", "normal", "")


@pytest.mark.browser
def test_print_shows_the_content_and_the_receipt_prints_alone(site, world, tmp_path):
    from playwright.sync_api import sync_playwright

    users, feedback = world["users"], f"{COUNTY}rectification/feedback/{world['feedback']}/"
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        page = signed_in(browser, site, users["admin"])
        page.set_viewport_size(DESKTOP)
        page.goto(f"{site}{feedback}")
        assert _visible(page, "header.topbar") and not _visible(page, "[data-testid=print-header]")  # on screen
        assert page.get_by_test_id("print").is_visible() and page.get_by_test_id("print-section").is_visible()

        page.emulate_media(media="print")
        for hidden in ("header.topbar", "nav.sidebar", "[data-testid=print]", "[data-testid=item-form]"):
            assert not _visible(page, hidden), hidden
        assert (
            _visible(page, "[data-testid=print-header]") and "浚县" in page.get_by_test_id("print-header").inner_text()
        )
        receipt = page.get_by_test_id("receipt").inner_text()
        assert "签字：＿＿＿＿＿＿　日期：＿＿＿＿＿＿" in receipt and "记录签字" not in receipt
        assert "领导班子落实主体责任不到位" in page.locator("main").inner_text()  # the whole page prints
        page.pdf(path=str(ARTIFACTS / "print-feedback.pdf"), format="A4")

        # 打印签收单: only the receipt section (and the print header) is on paper
        page.emulate_media(media="screen")
        page.evaluate("window.print = function () {}")  # headless: no dialog; the classes are what matter
        page.get_by_test_id("print-section").click()
        page.emulate_media(media="print")
        main_text = page.locator("main").inner_text()
        assert world["target"] in main_text and "签字" in main_text
        assert "领导班子落实主体责任不到位" not in main_text
        page.screenshot(path=str(ARTIFACTS / "print-receipt-only.png"), full_page=True)
        page.pdf(path=str(ARTIFACTS / "print-receipt.pdf"), format="A4")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert "领导班子落实主体责任不到位" in page.locator("main").inner_text()


@pytest.mark.browser
def test_a_choice_list_s_boxes_sit_beside_their_labels_at_both_widths(
    site, django_db_setup, django_db_blocker, tmp_path
):
    """The city's 统一部署 form lists its counties as check boxes: each box is box-sized and on its label's line,
    not stretched to a text field's width with its label pushed below (form.stacked gives inputs a minimum
    width; a box must not take it)."""
    from playwright.sync_api import sync_playwright

    from shared.accounts.models import User

    suffix = unique_suffix()
    with django_db_blocker.unblock():
        users = people_create({"city": ("410600", "office_admin", 3, f"鹤壁市巡察办{suffix}")}, suffix)
    try:
        with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
            page = signed_in(browser, site, users["city"].username)
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                response = page.goto(f"{site}/org/410600/crossorg/campaigns/new/")
                assert response.status == 200
                boxes = page.locator("form.stacked input[type=checkbox]")
                assert boxes.count() >= 3  # the city's three counties, a positive control for the checks below
                for index in range(boxes.count()):
                    box = boxes.nth(index).bounding_box()
                    label = boxes.nth(index).locator("xpath=ancestor::label[1]").bounding_box()
                    assert box["width"] < 40, (viewport["width"], index, box)
                    # on one line with its text: the label is about one line high and starts with the box
                    assert label["height"] < 2.5 * box["height"] + 16, (viewport["width"], index, label, box)
                    assert box["x"] - label["x"] < 20, (viewport["width"], index, label, box)
                page.screenshot(path=str(ARTIFACTS / f"choices-{viewport['width']}.png"), full_page=True)
    finally:
        with django_db_blocker.unblock():
            User.objects.filter(username__endswith=f"-{suffix}").delete()
