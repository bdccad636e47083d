"""API tokens for machine clients (issue 13 point 9): per person and organisation, expiring, revocable, audited;
they open that organisation's API only, and browsers keep their session with its CSRF check."""

from __future__ import annotations

import json

import time_machine
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import schema_context

from tenants.audit.models import AuditEvent

ME = "/org/410600/api/me/"
TOKENS = "/org/410600/api/tokens/"


def _make_token(client, name="报表机器人", **extra):
    response = client.post(TOKENS, {"name": name, **extra}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def _api(path, token, method="get", **extra):
    return getattr(Client(), method)(path, HTTP_AUTHORIZATION=f"Token {token}", **extra)


def test_a_member_makes_a_token_that_opens_the_api_as_them(orgs, make_member, client):
    user = make_member(orgs["city"], "office_staff", clearance=2)
    client.force_login(user)
    made = _make_token(client)
    assert set(made) == {"key", "name", "created", "expiry", "token"} and made["token"].startswith(made["key"])
    me = _api(ME, made["token"])
    assert me.status_code == 200 and me.json()["username"] == user.username and me.json()["roles"] == ["office_staff"]
    listed = client.get(TOKENS).json()["results"]
    assert [(t["key"], t["name"]) for t in listed] == [(made["key"], "报表机器人")] and "token" not in listed[0]
    with schema_context(orgs["city"].schema_name):
        event = AuditEvent.objects.filter(action="token_create", record_key=made["key"]).get()
        assert (event.user_id, event.record_type) == (user.pk, "apitokens.apitoken")
        assert json.loads(event.detail)["name"] == "报表机器人"


def test_an_expired_token_is_refused(orgs, make_member, client):
    user = make_member(orgs["city"], "office_staff")
    with time_machine.travel("2031-01-10 09:00 +0800", tick=False) as traveller:
        client.force_login(user)
        made = _make_token(client, days=1)
        assert _api(ME, made["token"]).status_code == 200
        traveller.shift(2 * 86400)
        refused = _api(ME, made["token"])
    assert refused.status_code == 401 and refused.json() == {"detail": "令牌无效、已过期或已撤销。"}
    assert refused["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_at_once_and_the_revocation_is_audited(orgs, make_member, client):
    user = make_member(orgs["city"], "office_staff")
    client.force_login(user)
    made = _make_token(client)
    assert _api(ME, made["token"]).status_code == 200
    assert client.delete(f"{TOKENS}{made['key']}/").status_code == 204
    assert _api(ME, made["token"]).status_code == 401
    assert client.get(TOKENS).json()["results"] == []
    with schema_context(orgs["city"].schema_name):
        assert AuditEvent.objects.filter(action="token_revoke", record_key=made["key"], user_id=user.pk).count() == 1


def test_a_token_reaches_only_its_own_organisations_api(orgs, make_member, client):
    user = make_member(orgs["city"], "office_staff")
    make_member(orgs["county_a"], "office_staff", username=user.username)  # a member of both
    client.force_login(user)
    made = _make_token(client)
    other = _api("/org/410621/api/me/", made["token"])
    assert other.status_code == 401 and other.json() == {"detail": "该令牌属于另一个单位。"}
    assert _api(ME, made["token"]).status_code == 200  # control
    page = _api("/org/410600/", made["token"])  # a page, not the API: the token is no session
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_a_token_ends_with_its_membership(orgs, make_member, client):
    from shared.accounts.models import Membership

    user = make_member(orgs["city"], "office_staff")
    client.force_login(user)
    made = _make_token(client)
    Membership.objects.filter(user=user).update(is_active=False)
    assert _api(ME, made["token"]).status_code == 403


def test_browsers_keep_the_csrf_check_and_a_token_makes_no_tokens(orgs, make_member):
    user = make_member(orgs["city"], "office_staff")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post(TOKENS, {"name": "x"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert browser.get(ME).status_code == 200  # control: the session works for reading
    # A bad token next to a good session is refused, not passed over for the session.
    assert browser.get(ME, HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 401
    helper = Client()
    helper.force_login(user)
    made = _make_token(helper)
    by_token = _api(TOKENS, made["token"], method="post", data={"name": "y"}, content_type="application/json")
    assert by_token.status_code == 403


def test_a_person_may_not_make_a_token_where_they_are_no_member(orgs, make_member, client):
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    assert client.post(TOKENS, {"name": "x"}, content_type="application/json").status_code == 403


def test_the_command_line_makes_lists_and_revokes_tokens(orgs, make_member, capsys):
    user = make_member(orgs["city"], "office_staff")
    call_command("token", "create", "--user", user.username, "--org", "410600", "--name", "夜间同步", "--days", "7")
    text, details = capsys.readouterr().out.splitlines()[:2]
    key = details.split()[1].rstrip(",")
    assert text.startswith(key) and _api(ME, text).status_code == 200
    call_command("token", "list", "--user", user.username)
    assert f"{key}  410600  夜间同步" in capsys.readouterr().out
    call_command("token", "revoke", key)
    assert _api(ME, text).status_code == 401


def test_the_schema_documents_the_token(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    schema = json.loads(target.read_text(encoding="utf-8"))
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert {"tokenAuth": []} in schema["paths"]["/api/me/"]["get"]["security"]
    assert schema["paths"]["/api/tokens/"]["post"]["security"] == [{"cookieAuth": []}]
