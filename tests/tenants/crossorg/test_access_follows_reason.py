"""Access follows its reason (docs/DESIGN.md): a cross-county member's way into the city lasts only while the
round's current window, team, assigned targets and state justify it. Each change is made the way the city
office makes it (the rounds services, or the edit page), or is the mere passing of time (time travel); then
the member's pages (round, findings, 巡察了解, the card at home) and API are refused, after the same
member was shown, just before, the assigned target's content."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.models import Membership
from tenants.findings.services import finding_create
from tenants.inround.services import working_paper_create
from tenants.office.models import FindingCategory
from tenants.rounds.models import TeamMember, TeamTarget
from tenants.rounds.services import (
    round_transition,
    round_update,
    team_member_add,
    team_member_remove,
    team_target_remove,
)

from .conftest import TODAY

CITY = "/org/410600/"
HOME = "/org/410621/"  # 浚县, the team's home county
CARD = f'href="{CITY}crossorg/"'


@pytest.fixture
def on_site(orgs, cross_round, city_admin, city_access):
    """The fixture's cross-county round (浚县 team: a-leader, a-member; targets 淇县单位1 and 2) walked to
    进驻巡察, with a finding and a working paper on 淇县单位1, each titled with a marker."""
    mark = uuid.uuid4().hex[:8]
    round, target = cross_round["round"], cross_round["targets"][0]
    with schema_context(orgs["city"].schema_name):
        for state in ("announced", "on_site"):
            round = round_transition(round=round, to_state=state, actor=city_admin, access=city_access)
        finding = finding_create(
            actor=city_admin,
            access=city_access,
            round=round,
            target=target,
            category=FindingCategory.objects.get(code="work-discipline"),
            title=f"问题-{mark}",
            description="某局公务接待超标准",
            evidence="接待清单",
        )
        paper = working_paper_create(
            actor=city_admin, access=city_access, round=round, target=target, title=f"底稿-{mark}", content="底稿内容"
        )
    return {
        **cross_round,
        "round": round,
        "finding": f"问题-{mark}",
        "paper": f"底稿-{mark}",
        "finding_pk": finding.pk,
        "paper_pk": paper.pk,
    }


def _member_pages(world) -> dict[str, str]:
    round_pk = world["round"].pk
    return {
        "round page": f"{CITY}rounds/{round_pk}/",
        "findings": f"{CITY}findings/?round={round_pk}",
        "巡察了解": f"{CITY}inround/",
        "working paper": f"{CITY}inround/paper/{world['paper_pk']}/",
        "crossorg": f"{CITY}crossorg/",
        "api round": f"{CITY}api/rounds/{round_pk}/",
        "api findings": f"{CITY}api/findings/findings/",
        "api working papers": f"{CITY}api/inround/working-papers/",
        "api crossorg": f"{CITY}api/crossorg/",
    }


# What each page shows the member while access holds: the assigned target's content.
EXPECTED_CONTENT = {
    "round page": ("2026年交叉巡察", "淇县单位1"),
    "findings": ("finding",),
    "巡察了解": ("paper",),
    "working paper": ("paper",),
    "crossorg": ("淇县单位1", "淇县单位2"),
    "api round": ("2026年交叉巡察",),
    "api findings": ("finding",),
    "api working papers": ("paper",),
    "api crossorg": ("淇县单位1",),
}


def _expected(world, page) -> list[str]:
    return [world[item] if item in ("finding", "paper") else item for item in EXPECTED_CONTENT[page]]


def _visit(client, world, user) -> dict[str, tuple[int, str]]:
    """Every page and API of the member at the city, and the home page: status and text, signed in afresh
    (a session from before a time jump has ended by the platform's own session limits)."""
    client.logout()
    client.force_login(user)
    seen = {page: client.get(path) for page, path in _member_pages(world).items()}
    seen["home"] = client.get(HOME)
    return {page: (response.status_code, response.content.decode()) for page, response in seen.items()}


def assert_member_works(client, world, user) -> None:
    seen = _visit(client, world, user)
    for page in EXPECTED_CONTENT:
        status, body = seen[page]
        assert status == 200, (page, status)
        assert all(text in body for text in _expected(world, page)), page
    assert CARD in seen["home"][1] and "交叉巡察" in seen["home"][1]


def assert_member_refused(client, world, user) -> None:
    seen = _visit(client, world, user)
    for page in EXPECTED_CONTENT:
        status, body = seen[page]
        assert status == 403, (page, status)
        assert world["finding"] not in body and world["paper"] not in body and "淇县单位1" not in body, page
        if not page.startswith("api"):
            assert "您无权访问此页面" in body, page  # the site's refusal page, in Chinese
    status, home = seen["home"]
    assert status == 200 and "浚县" in home  # the home page itself, drawn
    assert CARD not in home


# --- the changes (each as the city office makes it) ------------------------------------------------


def shorten_to_yesterday(world, admin, access):
    round_update(round=world["round"], actor=admin, onsite_end=TODAY() - timedelta(days=1))


def clear_window(world, admin, access):
    round_update(round=world["round"], actor=admin, onsite_start=None, onsite_end=None)


def move_into_future(world, admin, access):
    round_update(
        round=world["round"],
        actor=admin,
        onsite_start=TODAY() + timedelta(days=10),
        onsite_end=TODAY() + timedelta(days=30),
    )


def remove_member(world, admin, access):
    team_member_remove(member=TeamMember.objects.get(expert=world["experts"]["member"]), actor=admin)


def unassign_targets(world, admin, access):
    for assignment in TeamTarget.objects.filter(team=world["team"]):
        team_target_remove(team_target=assignment, actor=admin)


def move_to_reporting(world, admin, access):
    round_transition(round=world["round"], to_state="reporting", actor=admin, access=access)


def move_to_hearing(world, admin, access):
    for state in ("reporting", "hearing"):
        round_transition(round=world["round"], to_state=state, actor=admin, access=access)


CHANGES = {
    "window shortened to end yesterday": shorten_to_yesterday,
    "window cleared": clear_window,
    "window moved into the future": move_into_future,
    "member removed from the team": remove_member,
    "targets unassigned": unassign_targets,
    "round moved to 撰写报告": move_to_reporting,
    "round moved on to 领导小组听取汇报": move_to_hearing,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_access_ends_with_its_reason(orgs, on_site, city_admin, city_access, client, change):
    assert_member_works(client, on_site, on_site["member"])
    with schema_context(orgs["city"].schema_name):
        CHANGES[change](on_site, city_admin, city_access)
    assert_member_refused(client, on_site, on_site["member"])
    if change == "member removed from the team":  # the rest of the team keeps its access
        assert_member_works(client, on_site, on_site["leader"])


def test_access_ends_the_day_after_the_window(on_site, client):
    """No change at all: the window simply ends (its last day is TODAY() + 20)."""
    assert_member_works(client, on_site, on_site["member"])
    last_day = on_site["round"].onsite_end
    with time_machine.travel(timezone.make_aware(datetime.combine(last_day, time(23, 0))), tick=False):
        assert_member_works(client, on_site, on_site["member"])
    with time_machine.travel(
        timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time(0, 30))), tick=False
    ):
        assert_member_refused(client, on_site, on_site["member"])


def test_edit_page_shortening_the_window_ends_access(orgs, on_site, city_admin, client):
    """The city office moves the on-site end to yesterday on the round's edit page."""
    assert_member_works(client, on_site, on_site["member"])
    round = on_site["round"]
    client.force_login(city_admin)
    edit = f"{CITY}rounds/{round.pk}/edit/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "name": round.name,
            "kind": round.kind,
            "topic": round.topic,
            "classification": round.classification,
            "onsite_start": (TODAY() - timedelta(days=1)).isoformat(),
            "onsite_end": (TODAY() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(orgs["city"].schema_name):
        round.refresh_from_db()
    assert round.onsite_end == TODAY() - timedelta(days=1)
    assert_member_refused(client, on_site, on_site["member"])


def test_window_reopened_or_member_added_on_site_gives_access_again(orgs, on_site, city_admin, client):
    """Re-derived both ways: the window moved back to include today, and a person put on the team on site."""
    with schema_context(orgs["city"].schema_name):
        clear_window(on_site, city_admin, None)
        round_update(
            round=on_site["round"], actor=city_admin, onsite_start=TODAY(), onsite_end=TODAY() + timedelta(days=5)
        )
        remove_member(on_site, city_admin, None)
    assert_member_works(client, on_site, on_site["leader"])
    assert_member_refused(client, on_site, on_site["member"])
    with schema_context(orgs["city"].schema_name):
        team_member_add(team=on_site["team"], expert=on_site["experts"]["member"], role="member", actor=city_admin)
    assert_member_works(client, on_site, on_site["member"])
    end = TODAY() + timedelta(days=5)
    assert f"可访问至{end.year}年{end.month}月{end.day}日" in client.get(HOME).content.decode()  # the new end


def test_one_target_unassigned_takes_away_that_target_only(orgs, on_site, city_admin, client):
    """The city office takes 淇县单位1 off the team on the round page while on site (its 移除 button)."""
    with schema_context(orgs["city"].schema_name):
        assignment = TeamTarget.objects.get(team=on_site["team"], target=on_site["targets"][0])
    remove = f"{CITY}rounds/{on_site['round'].pk}/teams/{on_site['team'].pk}/targets/{assignment.pk}/remove/"
    client.force_login(city_admin)
    page = client.get(f"{CITY}rounds/{on_site['round'].pk}/").content.decode()
    assert f'action="{remove}"' in page and "进驻巡察" in page
    assert client.post(remove).status_code == 302
    with schema_context(orgs["city"].schema_name):
        assert list(TeamTarget.objects.filter(team=on_site["team"]).values_list("target__name", flat=True)) == [
            "淇县单位2"
        ]
    client.force_login(on_site["member"])
    pages = _member_pages(on_site)
    for page in (
        "round page",
        "findings",
        "巡察了解",
        "crossorg",
        "api findings",
        "api working papers",
        "api crossorg",
    ):
        response = client.get(pages[page])
        body = response.content.decode()
        assert response.status_code == 200, page
        assert on_site["finding"] not in body and on_site["paper"] not in body, page
    crossorg = client.get(pages["crossorg"]).content.decode()
    assert "淇县单位2" in crossorg and "淇县单位1" not in crossorg
    assert client.get(pages["working paper"]).status_code == 404


def test_leaving_the_home_county_or_a_lower_level_there_follows_at_the_next_request(orgs, on_site, client):
    """The grant was given for the person's post in county A: it holds only while that post does, and never
    above the person's level there today."""
    member = on_site["member"]
    assert_member_works(client, on_site, member)
    # (no service changes a membership yet: the write the accounts administration makes)
    Membership.objects.filter(user=member, organization=orgs["county_a"]).update(clearance=0)  # 公开 only
    client.force_login(member)
    assert on_site["finding"] not in client.get(_member_pages(on_site)["api findings"]).content.decode()
    assert "淇县单位1" in client.get(f"{CITY}crossorg/").content.decode()
    Membership.objects.filter(user=member, organization=orgs["county_a"]).update(is_active=False)
    assert client.get(f"{CITY}crossorg/").status_code == 403
