"""The 提级、交叉、联动巡察 page and its API list the city's elevated and cross-county rounds only to the people
who may see those rounds (the office, the leading group, the rounds' own teams), never just their names to
everyone else (issue 10): each role's page and API on the same city, with the roles that may as controls."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tenants.crossorg.services import elevated_round_create

from .conftest import TODAY

ELEVATED, CROSS = "提级巡察浚县城关镇", "2026年交叉巡察"


@pytest.fixture
def city_rounds(orgs, cross_round, city_admin):
    with schema_context(orgs["city"].schema_name):
        elevated = elevated_round_create(
            name=ELEVATED, host_org_code="410621", actor=city_admin, onsite_start=TODAY(), onsite_end=TODAY()
        )
    return {"elevated": elevated, "cross": cross_round["round"]}


def _listed(client, user):
    client.force_login(user)
    page = client.get("/org/410600/crossorg/").content.decode()
    table = page.split('data-testid="organised-rounds"', 1)[1].split("</table>", 1)[0]
    api = client.get("/org/410600/api/crossorg/").json()
    return table, [row["name"] for row in api["rounds"]]


@pytest.mark.parametrize("role", ["office_admin", "office_staff", "leading_group"])
def test_the_office_and_the_leading_group_see_the_city_s_rounds(client, orgs, make_member, city_rounds, role):
    table, api_names = _listed(client, make_member(orgs["city"], role, clearance=2, username=f"city-{role}"))
    assert ELEVATED in table and CROSS in table
    for round in city_rounds.values():  # each name opens its round
        assert f'href="/org/410600/rounds/{round.pk}/"' in table
    assert sorted(api_names) == sorted([ELEVATED, CROSS])


@pytest.mark.parametrize("role", ["unit_liaison", "agency_receiver", "team_leader", "team_member"])
def test_people_who_may_not_open_the_rounds_are_not_told_their_names(client, orgs, make_member, city_rounds, role):
    """A liaison, an agency's desk, a team leader or member of none of these rounds: an empty list."""
    table, api_names = _listed(client, make_member(orgs["city"], role, clearance=3, username=f"city-{role}"))
    assert "无。" in table  # the list is there, and empty
    assert ELEVATED not in table and CROSS not in table
    assert api_names == []
