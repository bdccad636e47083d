"""Login, logout and the membership boundary in the browser and the API."""

import pytest

from shared.accounts.models import User


def test_anonymous_is_sent_to_login_and_api_is_refused(client, orgs):
    response = client.get("/org/410621/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/org/410621/")
    assert client.get("/org/410621/api/me/").status_code == 403


def test_unknown_organisation_is_404(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    assert client.get("/org/999999/").status_code == 404


def test_login_with_password_then_logout(client, orgs, make_member):
    make_member(orgs["county_a"], "office_admin", username="jx-admin", password="s3cret-passphrase")
    assert client.post("/accounts/login/", {"username": "jx-admin", "password": "wrong"}).status_code == 200
    response = client.post("/accounts/login/", {"username": "jx-admin", "password": "s3cret-passphrase"})
    assert response.status_code == 302
    chooser = client.get("/")
    assert chooser.status_code == 302 and chooser["Location"] == "/org/410621/"
    assert client.get("/org/410621/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/org/410621/").status_code == 302


def test_passwords_are_hashed_with_argon2(orgs, make_member):
    user = make_member(orgs["county_a"], "office_staff")
    assert User.objects.get(pk=user.pk).password.startswith("argon2$")


def test_user_with_several_memberships_chooses(client, orgs, make_member):
    user = make_member(orgs["city"], "office_staff", username="multi")
    make_member(orgs["county_a"], "team_member", username="multi")
    client.force_login(user)
    page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "/org/410600/" in body and "/org/410621/" in body and "/org/410622/" not in body


def test_inactive_membership_gives_no_access(client, orgs, make_member):
    user = make_member(orgs["county_a"], "office_staff")
    user.memberships.update(is_active=False)
    client.force_login(user)
    assert client.get("/org/410621/").status_code == 403


@pytest.mark.parametrize(
    "role",
    [
        "office_admin",
        "office_staff",
        "leading_group",
        "team_leader",
        "team_member",
        "unit_liaison",
        "agency_receiver",
        "province_viewer",
    ],
)
def test_every_role_reaches_its_organisation_home_and_sees_its_role(client, orgs, make_member, role):
    client.force_login(make_member(orgs["city"], role))
    me = client.get("/org/410600/api/me/").json()
    assert me["roles"] == [role]
    assert client.get("/org/410600/").status_code == 200


def test_chinese_is_the_default_and_english_available(client, orgs):
    page = client.get("/accounts/login/")
    assert 'lang="zh-hans"' in page.content.decode()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in page.content.decode()


def test_password_guessing_is_locked_out(client, orgs, make_member, settings):
    make_member(orgs["county_a"], "office_staff", username="guessed", password="the-real-passphrase")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "guessed", "password": "wrong-guess"})
    locked = client.post("/accounts/login/", {"username": "guessed", "password": "the-real-passphrase"})
    assert locked.status_code == 429
    assert client.get("/org/410621/").status_code == 302, "the right password after lockout does not sign in"
