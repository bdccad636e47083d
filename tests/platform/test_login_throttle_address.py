"""Login throttling counts each person's own address behind the documented reverse proxy.

Before: django-axes keyed on REMOTE_ADDR, which behind nginx is nginx's address for everyone, so one
person's failed logins locked the same account out for every other person at every other desk.
"""

from __future__ import annotations

import pytest

PROXY = "10.0.0.1"
LOGIN = "/accounts/login/"


@pytest.fixture
def account(orgs, make_member):
    return make_member(orgs["county_a"], "office_staff")


def _attempt(client, username: str, password: str, **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def _fail_five_times(client, username: str, **meta) -> None:
    for _ in range(5):
        _attempt(client, username, "wrong-password-1234", **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.XUNCHA_TRUSTED_PROXIES = frozenset({PROXY})


def test_one_desks_failures_do_not_lock_the_account_at_another_desk_behind_the_proxy(client, account, behind_proxy):
    _fail_five_times(client, account.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.168.1.20")
    locked = _attempt(
        client, account.username, "correct-horse-battery", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.168.1.20"
    )
    assert locked.status_code == 429  # positive control: the failing desk is locked out
    other_desk = _attempt(
        client, account.username, "correct-horse-battery", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.168.1.21"
    )
    assert other_desk.status_code == 302  # signed in: the lockout was the first desk's only


def test_a_client_cannot_escape_its_lockout_by_writing_its_own_forwarded_header(client, account, behind_proxy):
    _fail_five_times(client, account.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.168.1.20")
    # nginx appends the address it saw; what the client wrote stays on the left and is not believed
    spoofed = _attempt(
        client,
        account.username,
        "correct-horse-battery",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.168.1.99, 192.168.1.20",
    )
    assert spoofed.status_code == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, account):
    _fail_five_times(client, account.username, REMOTE_ADDR="192.168.1.30", HTTP_X_FORWARDED_FOR="192.168.1.40")
    direct = _attempt(
        client,
        account.username,
        "correct-horse-battery",
        REMOTE_ADDR="192.168.1.30",
        HTTP_X_FORWARDED_FOR="192.168.1.41",
    )
    assert direct.status_code == 429
    elsewhere = _attempt(client, account.username, "correct-horse-battery", REMOTE_ADDR="192.168.1.31")
    assert elsewhere.status_code == 302
