"""A session ends after 30 minutes without a request, and 8 hours after sign-in however active."""

import pytest
import time_machine


@pytest.fixture
def signed_in(client, orgs, make_member):
    """(client, traveller, home) for an office administrator signed in at 09:00 on a frozen clock."""
    member = make_member(orgs["county_a"], "office_admin")
    with time_machine.travel("2033-03-01 09:00 +0800", tick=False) as traveller:
        client.force_login(member)
        home = orgs["county_a"].route
        assert client.get(home).status_code == 200
        yield client, traveller, home


def _signed_out(response):
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_idle_session_ends_after_thirty_minutes(signed_in):
    client, traveller, home = signed_in
    traveller.shift(29 * 60)  # active within the window: still signed in
    assert client.get(home).status_code == 200
    traveller.shift(29 * 60)
    assert client.get(home).status_code == 200
    traveller.shift(31 * 60)  # idle longer than the window
    assert _signed_out(client.get(home))
    assert client.get(f"{home}api/targets/").status_code == 403


def test_an_active_session_still_ends_after_its_fixed_life(signed_in):
    client, traveller, home = signed_in
    for _ in range(19):  # a request every 25 minutes, up to 7 h 55 min after sign-in
        traveller.shift(25 * 60)
        assert client.get(home).status_code == 200
    traveller.shift(25 * 60)  # 8 h 20 min
    assert _signed_out(client.get(home))
