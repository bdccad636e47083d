"""The city office's administrator carries a bundle in Chromium (issue 16 point 4): from 同步总线 to 数据包, sees the
one message waiting for the county behind bundles, downloads the export, uploads the county's bundle and downloads
its acknowledgement, uploads the county's acknowledgement (nothing waits any more), and a truncated file is refused
in Chinese. The far side is played by the test (tests/sync/farside.py); a screenshot at 1366 px is kept in
test-artifacts/bundles-410600.png."""

from __future__ import annotations

import base64
import datetime
from pathlib import Path

import pytest

from sync.envelope import envelope_parse
from tests.browser.committed import chromium, people_create, signed_in, sync_high_water, sync_rows_remove, unique_suffix
from tests.browser.test_login import ARTIFACTS
from tests.sync.farside import PEER, REMOTE, FarSide

CITY = "410600"


@pytest.fixture
def world(django_db_setup, django_db_blocker):
    from django_tenants.utils import schema_context

    from shared.accounts.models import User
    from shared.orgs.models import BundleRecord, Organization, Peer
    from sync.models import OutboxMessage
    from tenants.guidance.models import GuidanceDocument
    from tenants.guidance.services import guidance_document_issue

    suffix = unique_suffix()
    with django_db_blocker.unblock():
        marks = sync_high_water()
        people = people_create({"admin": (CITY, "office_admin", 3, "鹤壁市巡察办管理员")}, suffix)
        far = FarSide()
        title = f"数据包模板{suffix}"
        with schema_context(f"org_{CITY}"):
            guidance_document_issue(title=title, doc_type="template", issued_on=datetime.date(2026, 3, 1))
            waiting = OutboxMessage.objects.get(destination=REMOTE, sent_at__isnull=True)
        # What the county's deployment will hand over (its files need this deployment's public keys).
        report, _body = far.statistics(version=1, findings=6)
        files = {"report": report, "bundle": far.bundle([report]), "ack": far.ack([str(waiting.message_id)])}
    try:
        yield {"people": people, "far": far, "waiting": waiting, **files}
    finally:
        with django_db_blocker.unblock():
            sync_rows_remove(marks)
            with schema_context(f"org_{CITY}"):
                GuidanceDocument.objects.filter(title=title).delete()
            BundleRecord.objects.filter(peer__name=PEER).delete()
            Organization.objects.filter(code=REMOTE).delete()
            Peer.objects.filter(name=PEER).delete()
            User.objects.filter(pk__in=[user.pk for user in people.values()]).delete()


def _main(page) -> str:
    return page.locator("main").inner_text()


@pytest.mark.browser
def test_the_office_admin_exports_imports_and_takes_the_acknowledgement(site, world, tmp_path):
    from playwright.sync_api import sync_playwright

    far, waiting = world["far"], world["waiting"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        page = signed_in(browser, site, world["people"]["admin"].username)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{site}/org/{CITY}/sync/")
        page.get_by_test_id("bundles-link").click()
        page.wait_for_url(f"{site}/org/{CITY}/office/bundles/")
        row = page.locator(f"[data-code='{REMOTE}']")
        assert "远端县" in row.inner_text() and row.get_by_test_id("waiting").inner_text() == "1"

        with page.expect_download() as download:
            row.get_by_test_id("export").click()
        exported = Path(download.value.path()).read_bytes()
        (message,) = far.open_bundle(exported)["messages"]  # only the county's key opens it
        assert envelope_parse(base64.b64decode(message))[1].message_id == str(waiting.message_id)

        report = world["report"]
        bundle = tmp_path / "bundle-from-county.json"
        bundle.write_bytes(world["bundle"])
        page.get_by_test_id("bundle-import").locator("input[name=file]").set_input_files(str(bundle))
        page.get_by_test_id("bundle-import").locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "已应用 1" in _main(page) and "仍缺 0 条记录" in _main(page)
        page.screenshot(path=str(ARTIFACTS / "bundles-410600.png"), full_page=True)

        with page.expect_download() as ack_download:
            page.get_by_test_id("ack-download").first.click()
        ack = Path(ack_download.value.path()).read_bytes()
        assert far.open_ack(ack)["acknowledged"] == [envelope_parse(report)[1].message_id]

        county_ack = tmp_path / "ack-from-county.json"
        county_ack.write_bytes(world["ack"])
        page.get_by_test_id("bundle-import").locator("input[name=file]").set_input_files(str(county_ack))
        page.get_by_test_id("bundle-import").locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "1 条消息已送达" in _main(page)
        assert page.locator(f"[data-code='{REMOTE}']").get_by_test_id("waiting").inner_text() == "0"

        truncated = tmp_path / "truncated.json"
        truncated.write_bytes(bundle.read_bytes()[:200])
        page.get_by_test_id("bundle-import").locator("input[name=file]").set_input_files(str(truncated))
        page.get_by_test_id("bundle-import").locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "截断" in _main(page)
        page.screenshot(path=str(ARTIFACTS / "bundles-410600-refused.png"), full_page=True)
