"""Routing /org/<code>/ to an organisation: one urlconf per organisation, reused across requests."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_each_organisation_keeps_one_urlconf_and_links_carry_its_own_prefix(client, orgs, make_member):
    user = make_member(orgs["county_a"], "office_staff")
    client.force_login(user)

    first = client.get("/org/410621/")
    second = client.get("/org/410621/")
    assert first.status_code == 200 and second.status_code == 200
    # The same organisation is served by the same urlconf object, so Django's resolver cache is reused.
    assert first.wsgi_request.urlconf is second.wsgi_request.urlconf
    assert 'href="/org/410621/rounds/' in first.content.decode()

    other_user = make_member(orgs["county_b"], "office_staff")
    client.force_login(other_user)
    other = client.get("/org/410622/")
    assert other.status_code == 200
    assert other.wsgi_request.urlconf is not first.wsgi_request.urlconf
    page = other.content.decode()
    assert 'href="/org/410622/rounds/' in page
    assert "/org/410621/" not in page
