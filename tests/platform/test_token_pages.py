"""API tokens in the browser (issue 13 point 9): on /org/<code>/tokens/ a member makes a token for this organisation
with an expiry, sees it once, lists and revokes their own; the security administrator sees and revokes anyone's
there; bad input is refused in Chinese beside its field and makes nothing; every make and revoke is audited."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from knox.settings import CONSTANTS

from shared.apitokens.models import ApiToken
from tenants.audit.models import AuditEvent

ORG = "/org/410621/"
PAGE, ME = f"{ORG}tokens/", f"{ORG}api/me/"


@pytest.fixture
def people(orgs, make_member):
    county = orgs["county_a"]
    return {
        "staff": make_member(county, "office_staff", clearance=2),
        "admin": make_member(county, "office_admin", clearance=3),
        "sec": make_member(county, "security_admin", clearance=0),
    }


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _token_events(action: str) -> list[AuditEvent]:
    with schema_context("org_410621"):
        return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def _make(client, name="数据报送接口", days="30") -> tuple[str, str]:
    response = client.post(PAGE, {"name": name, "days": days})
    assert response.status_code == 200
    page = response.content.decode()
    text = re.search(r'<code[^>]* data-testid="token-text">([^<]+)</code>', page).group(1)
    return text, text[: CONSTANTS.TOKEN_KEY_LENGTH]  # knox: a token's key is its first characters


def test_a_member_makes_a_token_on_the_page_sees_it_once_uses_it_and_revokes_it(people):
    client = _client(people["staff"])
    home = client.get(ORG).content.decode()
    assert f'href="{PAGE}"' in home  # the sidebar offers the page
    response = client.get(PAGE)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert 'name="name"' in response.content.decode() and "你在此没有令牌" in response.content.decode()
    text, key = _make(client)
    token = ApiToken.objects.get(token_key=key)
    assert (token.user_id, token.organization.code, token.name) == (people["staff"].pk, "410621", "数据报送接口")
    assert 29 <= (token.expiry - token.created).days <= 30
    me = Client().get(ME, HTTP_AUTHORIZATION=f"Token {text}")
    assert me.status_code == 200 and me.json()["username"] == people["staff"].username
    assert Client().get("/org/410600/api/me/", HTTP_AUTHORIZATION=f"Token {text}").status_code != 200  # this org only
    listed = client.get(PAGE).content.decode()
    assert (
        f'translate="no">{key}</code>' in listed and text not in listed
    )  # listed by its key; the token itself only once
    [made] = _token_events("token_create")
    assert (made.user_id, made.record_key, json.loads(made.detail)["name"]) == (people["staff"].pk, key, "数据报送接口")

    response = client.post(f"{PAGE}{key}/revoke/")
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert not ApiToken.objects.filter(token_key=key).exists()
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Token {text}").status_code == 401
    [revoked] = _token_events("token_revoke")
    assert (revoked.user_id, revoked.record_key) == (people["staff"].pk, key)


def test_bad_input_is_refused_in_chinese_beside_its_field_and_makes_nothing(people):
    client = _client(people["staff"])
    page = client.post(PAGE, {"name": "", "days": "30"}).content.decode()
    [error] = re.findall(r'<ul class="errorlist" id="id_name_error"><li>([^<]+)</li></ul>', page)
    assert "必填" in error and not re.search(r"[A-Za-z]", error), error  # Chinese, beside the name field
    page = client.post(PAGE, {"name": "接口", "days": "100000"}).content.decode()
    assert re.search(r'<ul class="errorlist" id="id_days_error"><li>确保该值小于或等于\d+。</li></ul>', page)
    assert 'data-testid="token-text"' not in page
    assert ApiToken.objects.count() == 0 and _token_events("token_create") == []


def test_only_the_holder_and_the_security_administrator_revoke_a_token(people):
    _text, key = _make(_client(people["staff"]))
    admin = _client(people["admin"])
    assert f'translate="no">{key}</code>' not in admin.get(PAGE).content.decode()  # nobody else's tokens in the list
    assert admin.post(f"{PAGE}{key}/revoke/").status_code == 404
    assert admin.delete(f"{ORG}api/tokens/{key}/").status_code == 404
    assert ApiToken.objects.filter(token_key=key).exists() and _token_events("token_revoke") == []

    security = _client(people["sec"])
    page = security.get(PAGE).content.decode()
    assert 'data-testid="other-tokens"' in page and f'translate="no">{key}</code>' in page
    response = security.post(f"{PAGE}{key}/revoke/")
    assert response.status_code == 302 and not ApiToken.objects.filter(token_key=key).exists()
    [revoked] = _token_events("token_revoke")
    assert revoked.user_id == people["sec"].pk and json.loads(revoked.detail)["owner"] == people["staff"].username


def test_the_security_administrator_revokes_anyones_token_in_the_api_too(people):
    _text, key = _make(_client(people["staff"]))
    security = _client(people["sec"])
    assert security.delete(f"{ORG}api/tokens/{key}/").status_code == 204
    assert not ApiToken.objects.filter(token_key=key).exists()
    assert [e.user_id for e in _token_events("token_revoke")] == [people["sec"].pk]


def test_many_tokens_are_paged_for_their_holder_and_for_the_security_administrator(people, settings):
    settings.XUNCHA_PAGE_SIZE = 2
    staff = _client(people["staff"])
    for name in ("接口一", "接口二", "接口三"):
        _make(staff, name=name)
    first = staff.get(PAGE).content.decode()
    assert "第 1 / 2 页，共 3 条" in first
    assert "接口三" in first and "接口二" in first and "接口一" not in first  # newest first, two a page
    second = staff.get(f"{PAGE}?page=2").content.decode()
    assert "接口一" in second and "接口三" not in second
    security = _client(people["sec"]).get(PAGE).content.decode()
    others = security.split('data-testid="other-tokens"', 1)[1]
    listed = others.split("</table>", 1)[0]
    assert "第 1 / 2 页，共 3 条" in others and sum(name in listed for name in ("接口一", "接口二", "接口三")) == 2
    rest = _client(people["sec"]).get(f"{PAGE}?others_page=2").content.decode()
    assert sum(name in rest.split('data-testid="other-tokens"', 1)[1] for name in ("接口一", "接口二", "接口三")) == 1
