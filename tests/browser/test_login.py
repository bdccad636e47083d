"""A county user signs in through the form in Chromium, sees its office's home page, and is refused a sibling's.

The site runs as `xuncha web` in a subprocess against the test database; the users are committed here
(uniquely named) and deleted afterwards, because pytest-django's live_server flushes the database.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from shared.accounts.models import Membership, User
from shared.orgs.models import Organization

CHROMIUM = os.environ.get("XUNCHA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "browser-test-passphrase"


@pytest.fixture
def county_user(django_db_setup, django_db_blocker):
    username = f"browser-{uuid.uuid4().hex[:10]}"
    with django_db_blocker.unblock():
        user = User.objects.create(username=username, display_name="浚县测试用户")
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.create(
            user=user, organization=Organization.objects.get(code="410621"), role="office_staff", clearance=1
        )
    yield username
    with django_db_blocker.unblock():
        User.objects.filter(username=username).delete()


@pytest.mark.browser
def test_county_user_signs_in_sees_home_and_is_refused_a_sibling(site, county_user, tmp_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
            viewport={"width": 1280, "height": 800},
            locale="zh-CN",  # a Chinese office's browser
        )
        try:
            page = browser.new_page()
            page.goto(f"{site}/org/410621/")
            assert page.url.startswith(f"{site}/accounts/login/")
            assert page.locator("h1").inner_text() == "登录"
            page.fill("input[name=username]", county_user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{site}/org/410621/")
            assert page.get_by_test_id("org-home-title").inner_text() == "浚县"
            assert "县区巡察办" in page.get_by_test_id("current-org").inner_text()
            assert "巡察办工作人员" in page.locator("main").inner_text()  # the role, by its Chinese name
            page.screenshot(path=str(ARTIFACTS / "org-home-410621.png"), full_page=True)

            response = page.goto(f"{site}/org/410622/")
            assert response.status == 403
            body = page.content()
            assert "无权访问" in body
            assert "淇县" not in body and "410622" not in page.locator("main").inner_text()
        finally:
            browser.close()
