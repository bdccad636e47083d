"""Live oversight in Chromium (issue 15 point 2, Done when): a county's change is on the city's 县区督导 within
5 seconds through the real relay and consumer processes; the charts are drawn by the vendored Chart.js and fit
their cards at 1366 and 390 pixels; the county opens to its drill-down (rounds by their Chinese stage names).

Rows are committed (the site and the sync processes are separate processes), uniquely named, and removed
afterwards. Screenshots go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

import re
import time

import pytest
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

CITY, COUNTY = "/org/410600/", "410621"
FITS = """() => {
  const page = document.documentElement.scrollWidth <= window.innerWidth;
  const canvases = [...document.querySelectorAll("canvas[data-chart]")];
  const inside = canvases.every((canvas) => {
    const c = canvas.getBoundingClientRect(), card = canvas.closest(".chart-card").getBoundingClientRect();
    return c.width > 0 && c.left >= card.left - 0.5 && c.right <= card.right + 0.5 && c.bottom <= card.bottom + 0.5;
  });
  return {page, inside, drawn: canvases.filter((c) => c.dataset.drawn === "true").length, all: canvases.length};
}"""


@pytest.fixture
def oversight_world(django_db_setup, django_db_blocker):
    suffix = unique_suffix()
    with django_db_blocker.unblock():
        marks = sync_high_water()
        users = people_create(
            {
                "city_office": ("410600", "office_admin", 2, f"鹤壁市巡察办{suffix}"),
                "county_office": ("410621", "office_admin", 2, f"浚县巡察办{suffix}"),
            },
            suffix,
        )
    yield {"users": users, "suffix": suffix, "blocker": django_db_blocker}
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from tenants.rounds.models import Round

        with schema_context(f"org_{COUNTY}"):
            Round.objects.filter(name__endswith=suffix).delete()
        sync_rows_remove(marks)
        User.objects.filter(username__endswith=f"-{suffix}").delete()


def _round_planned(world, name: str) -> None:
    """The county's office plans a round (the service its page calls), committed at once."""

    def plan():
        from tenants.rounds.services import round_create

        with schema_context(f"org_{COUNTY}"):
            round_create(name=f"{name}{world['suffix']}", kind="regular", actor=world["users"]["county_office"])

    with world["blocker"].unblock():
        off_the_event_loop(plan)


def _planned(page) -> int:
    """The county's planned rounds as the city's oversight shows them (计划 N), 0 when none."""
    cell = page.locator(f"tr[data-county='{COUNTY}'] [data-testid=stages] [data-stage=planned]")
    if cell.count() == 0:
        return 0
    return int(re.search(r"(\d+)\s*$", cell.inner_text()).group(1))


@pytest.mark.browser
def test_a_countys_change_is_on_the_citys_oversight_within_five_seconds(site, oversight_world, tmp_path):
    from playwright.sync_api import sync_playwright

    world = oversight_world
    ARTIFACTS.mkdir(exist_ok=True)
    processes = sync_processes(tmp_path, ["410600", COUNTY])
    try:
        with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
            city = signed_in(browser, site, world["users"]["city_office"].username)
            city.set_viewport_size({"width": 1366, "height": 900})
            city.goto(f"{site}{CITY}reports/oversight/")
            start = _planned(city)
            # Warm-up: the processes start meanwhile, so the first change may take longer.
            _round_planned(world, "浚县第一轮巡察")
            reload_until(
                city, lambda p: _planned(p) == start + 1, what="the first change", timeout=90, processes=processes
            )
            # The timed change: committed at the county, on the city's page within 5 seconds.
            _round_planned(world, "浚县第二轮巡察")
            committed_at = time.monotonic()
            reload_until(city, lambda p: _planned(p) == start + 2, what="the change", timeout=5, processes=processes)
            elapsed = time.monotonic() - committed_at
            assert elapsed <= 5, elapsed
            print(f"county change on the city's oversight after {elapsed:.2f} s")
            row = city.locator(f"tr[data-county='{COUNTY}']")
            assert f"计划 {start + 2}" in row.get_by_test_id("stages").inner_text()
            assert re.match(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}", row.get_by_test_id("updated").inner_text())
            main = city.locator("main").inner_text()
            assert "planned" not in main and "closed" not in main and "feedback" not in main
            for width in (1366, 390):
                city.set_viewport_size({"width": width, "height": 900})
                city.wait_for_timeout(400)  # Chart.js redraws on resize
                fits = city.evaluate(FITS)
                assert fits == {"page": True, "inside": True, "drawn": fits["all"], "all": fits["all"]}, fits
                assert fits["all"] == 3 + city.locator("[data-testid=chart-trend]").count()
                city.screenshot(path=str(ARTIFACTS / f"oversight-410600-{width}.png"), full_page=True)
            # The county opens to what the city holds of it: its rounds, by their Chinese stage names.
            city.set_viewport_size({"width": 1366, "height": 900})
            row.get_by_test_id("county-link").click()
            city.wait_for_load_state()
            assert city.get_by_test_id("county-name").inner_text() == "浚县"
            rounds = city.get_by_test_id("county-rounds")
            second = rounds.locator("tr", has_text=f"浚县第二轮巡察{world['suffix']}")
            assert second.get_by_test_id("round-stage").inner_text() == "计划"
            assert f"计划 {start + 2}" in city.get_by_test_id("county-figures").inner_text()
            for width in (1366, 390):
                city.set_viewport_size({"width": width, "height": 900})
                city.wait_for_timeout(400)
                fits = city.evaluate(FITS)
                assert (fits["page"], fits["inside"], fits["drawn"]) == (True, True, 1), fits
                city.screenshot(path=str(ARTIFACTS / f"oversight-410621-drilldown-{width}.png"), full_page=True)
            # On paper: print media keeps the chart inside its card and shows its table.
            city.emulate_media(media="print")
            city.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
            assert city.locator("details.chart-data[open] [data-testid=trend-table]").count() == 1
            city.pdf(path=str(ARTIFACTS / "oversight-410621-drilldown.pdf"))
    finally:
        processes.stop_all()
