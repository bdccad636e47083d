"""Web hardening: a Content-Security-Policy on every page, HSTS unless deliberately on plain HTTP,
and no browser or proxy cache for the API's answers or any download."""

import os
import subprocess
import sys

import pytest
from django.test import override_settings
from django_tenants.utils import schema_context

from tests.tenants.reports.helpers import approved_annual_plan

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def test_pages_carry_the_content_security_policy(client, orgs, make_member):
    login = client.get("/accounts/login/")
    assert login.status_code == 200 and "登录" in login.content.decode()
    assert login["Content-Security-Policy"] == POLICY
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    home = client.get(orgs["county_a"].route)
    assert home.status_code == 200 and "巡察" in home.content.decode()
    assert home["Content-Security-Policy"] == POLICY
    # an unknown organisation's 404 too
    assert client.get("/org/999999/")["Content-Security-Policy"] == POLICY


def test_pages_have_no_inline_script_or_style(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    page = client.get(orgs["county_a"].route).content.decode()
    assert 'src="/static/xuncha/site.js"' in page and 'data-submit-on-change' in page
    assert "onchange=" not in page and "style=" not in page and "<script>" not in page


def _hsts_seconds(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"XUNCHA_INSECURE_HTTP", "SECURE_HSTS_SECONDS"}}
    env.update({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "example.org", **env_overrides})
    check = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xuncha.settings'; django.setup(); "
        "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


def test_hsts_is_on_with_debug_off_unless_plain_http_is_chosen():
    assert _hsts_seconds() == 31536000
    assert _hsts_seconds(XUNCHA_INSECURE_HTTP="1") == 0


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_a_secure_page_response_carries_hsts(client):
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_api_answers_are_not_cached(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    answer = client.get(f"{orgs['county_a'].route}api/targets/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    assert answer["Cache-Control"] == "no-store"
    refused = client.get(f"{orgs['county_b'].route}api/targets/")
    assert refused.status_code == 403 and refused["Cache-Control"] == "no-store"
    page = client.get(f"{orgs['county_a'].route}targets/")
    assert page.status_code == 200 and "no-store" not in page.get("Cache-Control", "")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_target_downloads_are_not_cached(client, orgs, make_member, fmt):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    for url in (
        f"{orgs['county_a'].route}targets/export/?format={fmt}",
        f"{orgs['county_a'].route}api/targets/export/?file_format={fmt}",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "no-store", url


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_filing_downloads_are_not_cached(client, orgs, make_member, fmt):
    from tenants.reports.models import Filing

    city_admin = make_member(orgs["city"], "office_admin", clearance=2)
    with schema_context(orgs["city"].schema_name):
        plan = approved_annual_plan(city_admin, year=2034)
    client.force_login(city_admin)
    created = client.post(
        f"{orgs['city'].route}reports/filings/new/", {"subject": f"annual_plan:{plan.pk}", "period": "", "note": ""}
    )
    assert created.status_code == 302
    with schema_context(orgs["city"].schema_name):
        filing = Filing.objects.get(subject=f"annual_plan:{plan.pk}")
    for url in (
        f"{orgs['city'].route}reports/filings/{filing.pk}/export.{fmt}",
        f"{orgs['city'].route}api/reports/filings/{filing.pk}/export.{fmt}",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "no-store", url
