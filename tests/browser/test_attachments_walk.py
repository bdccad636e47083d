"""In Chromium: the office adds a rectification item on the feedback page; the unit's liaison attaches its
evidence there: an executable renamed .pdf is refused with the Chinese reason and nothing is kept, a PDF goes
through and is listed; the office opens the feedback, downloads the file (the same bytes: the feedback is 内部,
so no watermark) and the liaison of another unit is refused it. Rows are committed, uniquely named, removed."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from tests.browser.committed import chromium, people_create, signed_in, unique_suffix
from tests.browser.test_login import ARTIFACTS
from tests.browser.test_phone_and_print import COUNTY, world  # noqa: F401  (the fixture)


@pytest.fixture
def other_liaison(world, django_db_blocker):  # noqa: F811
    """A liaison of 浚县 with no unit of the round: may not open its files."""
    from shared.accounts.models import User

    suffix = unique_suffix()
    with django_db_blocker.unblock():
        person = people_create({"outsider": ("410621", "unit_liaison", 1, f"别的联络员{suffix}")}, suffix)["outsider"]
    world["other_liaison"] = person.username
    yield person.username
    with django_db_blocker.unblock():
        User.objects.filter(pk=person.pk).delete()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.browser
def test_the_liaison_attaches_evidence_and_the_office_downloads_it(site, world, other_liaison, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    users, feedback = world["users"], f"{site}{COUNTY}rectification/feedback/{world['feedback']}/"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        office = signed_in(browser, site, users["admin"])
        office.goto(feedback)
        form = office.get_by_test_id("item-form")
        form.locator("textarea[name=problem]").fill("议事规则不健全")
        form.locator("textarea[name=task]").fill("修订党委会议事规则")
        form.locator("input[name=responsible_unit]").fill("党政办")
        form.locator("input[name=responsible_person]").fill("王主任")
        form.locator("input[name=due_date]").fill("2026-12-31")  # the receipt is not signed yet: a date of its own
        form.locator("button[type=submit]").click()
        office.wait_for_load_state()
        assert "议事规则不健全" in office.get_by_test_id("items").inner_text(), office.locator(
            ".messages"
        ).all_inner_texts()

        liaison = signed_in(browser, site, users["liaison"])
        liaison.goto(feedback)
        evidence = liaison.get_by_test_id("evidence-form").first
        evidence.locator("input[name=evidence]").fill("修订后的议事规则")
        evidence.locator("input[type=file]").set_input_files(
            [{"name": "议事规则.pdf", "mimeType": "application/pdf", "buffer": ELF}]
        )
        evidence.locator("button").click()
        liaison.wait_for_load_state()
        assert "“议事规则.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。" in liaison.content()
        assert liaison.get_by_test_id("attachments").count() == 0 and "待核验" not in liaison.content()
        liaison.screenshot(path=str(ARTIFACTS / "attachment-refused.png"), full_page=True)

        evidence = liaison.get_by_test_id("evidence-form").first
        evidence.locator("input[name=evidence]").fill("修订后的议事规则")
        evidence.locator("input[type=file]").set_input_files(
            [{"name": "议事规则.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
        )
        evidence.locator("button").click()
        liaison.wait_for_load_state()
        assert "议事规则.pdf" in liaison.get_by_test_id("attachments").inner_text()
        liaison.screenshot(path=str(ARTIFACTS / "attachment-listed.png"), full_page=True)

        office.goto(feedback)
        with office.expect_download() as download:
            office.get_by_test_id("attachments").get_by_role("link", name="议事规则.pdf").click()
        saved = tmp_path / "downloaded.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes() == _pdf()
        office.screenshot(path=str(ARTIFACTS / "attachment-office.png"), full_page=True)

        href = office.get_by_test_id("attachments").get_by_role("link", name="议事规则.pdf").get_attribute("href")
        assert liaison.request.get(f"{site}{href}").status == 200  # the unit's own liaison: yes
        other = signed_in(browser, site, world["other_liaison"])  # a liaison of no unit of this round
        response = other.request.get(f"{site}{href}")
        assert response.status == 403 and "议事规则" not in response.text()
