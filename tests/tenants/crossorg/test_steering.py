"""The city office steers a running cross-county or elevated round from its page (issue 12 point 4): the
grants in force and what each county received, in Chinese; changing the window, the team or the units
there changes the team's access at once (a removed person's next request is refused, pages and API);
other roles see no steering and are refused its actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tenants.utils import schema_context

from shared.grants.models import AccessGrant
from shared.grants.selectors import grants_active
from tenants.rounds.models import TeamMember, TeamTarget

from .conftest import TODAY

CITY = "/org/410600/"
NAME = "2026年交叉巡察（浚县→淇县）"


def _section(page: str) -> str:
    start = page.index('data-testid="steering"')
    return page[start : page.index("</section>", start)]


def _cross(orgs, ids, city_admin, *units):
    """A cross-county round set up through the city's set-up service: 浚县组长 leading, alone, on `units`
    of 淇县, on site from today for 25 days."""
    from tenants.crossorg.setup import cross_round_setup

    with schema_context(orgs["city"].schema_name):
        return cross_round_setup(
            name=NAME,
            home_org_code="410621",
            host_org_code="410622",
            onsite_start=TODAY(),
            onsite_end=TODAY() + timedelta(days=25),
            team_name="交叉巡察组",
            people=[ids["浚县组长"]],
            leader=ids["浚县组长"],
            units=[ids[unit] for unit in units],
            actor=city_admin,
        )


@pytest.fixture
def running(orgs, registries, city_admin, city_access):
    """The cross-county round on 淇县单位甲 and 乙, announced: its team's access runs from today for 25 days."""
    from tenants.rounds.services import round_transition

    round = _cross(orgs, registries["ids"], city_admin, "淇县单位甲", "淇县单位乙")
    with schema_context(orgs["city"].schema_name):
        for state in ("team_formed", "announced"):
            round = round_transition(round=round, to_state=state, actor=city_admin, access=city_access)
    return round


def _team(orgs, round):
    with schema_context(orgs["city"].schema_name):
        return round.teams.get()


def test_the_city_office_sees_the_grants_in_force_and_adds_a_person_whose_access_follows(
    orgs, registries, running, client, city_admin
):
    ids, users = registries["ids"], registries["users"]
    member = users["member"]
    page_url = f"{CITY}rounds/{running.pk}/"
    client.force_login(city_admin)
    section = _section(client.get(page_url).content.decode())
    assert "交叉巡察" in section and "浚县组长" in section and "淇县单位乙、淇县单位甲" in section  # by name
    assert "生效中" in section and TODAY().strftime("%Y") in section
    assert "浚县组员" in section  # offered in the add form (the pool of 浚县), not yet on the team
    assert "Steering" not in section and "in_force</td>" not in section  # Chinese labels, no codes shown

    member_client = client.__class__()
    member_client.force_login(member)
    assert member_client.get(f"{CITY}crossorg/").status_code == 403  # not on the team: no way in

    team = _team(orgs, running)
    response = client.post(
        f"{CITY}crossorg/rounds/{running.pk}/people/add/", {"team": team.pk, "person": ids["浚县组员"]}
    )
    assert response.status_code == 302 and response["Location"] == page_url
    section = _section(client.get(page_url).content.decode())
    assert section.count("生效中") == 2 and "浚县组员" in section
    assert member_client.get(f"{CITY}crossorg/").status_code == 200  # the very next request
    assert member_client.get(f"{CITY}api/rounds/{running.pk}/").status_code == 200

    # 郑专家 declared a relation with 淇县单位甲: refused by the avoidance rule, nothing written.
    with schema_context(orgs["city"].schema_name):
        before = TeamMember.objects.filter(round=running).count()
    page = client.post(
        f"{CITY}crossorg/rounds/{running.pk}/people/add/", {"team": team.pk, "person": ids["郑专家"]}, follow=True
    ).content.decode()
    assert "回避" in page
    with schema_context(orgs["city"].schema_name):
        assert TeamMember.objects.filter(round=running).count() == before
    # A 淇县 person (the inspected county) is not in the home county's pool: refused by the cross rule.
    page = client.post(
        f"{CITY}crossorg/rounds/{running.pk}/people/add/", {"team": team.pk, "person": ids["淇县人员"]}, follow=True
    ).content.decode()
    assert "交叉巡察" in page and "浚县" in page
    with schema_context(orgs["city"].schema_name):
        assert TeamMember.objects.filter(round=running).count() == before


def test_a_person_taken_off_the_team_is_refused_at_the_next_request_on_pages_and_api(
    orgs, registries, running, client, city_admin
):
    from tenants.crossorg.setup import organised_round_person_add

    member = registries["users"]["member"]
    with schema_context(orgs["city"].schema_name):
        added = organised_round_person_add(
            round=running, team=_team(orgs, running), person=registries["ids"]["浚县组员"], actor=city_admin
        )
    member_client = client.__class__()
    member_client.force_login(member)
    assert member_client.get(f"{CITY}crossorg/").status_code == 200  # positive control
    assert member_client.get(f"{CITY}api/rounds/{running.pk}/").status_code == 200

    client.force_login(city_admin)
    team = _team(orgs, running)
    response = client.post(f"{CITY}rounds/{running.pk}/teams/{team.pk}/members/{added.pk}/remove/")
    assert response.status_code == 302
    assert member_client.get(f"{CITY}crossorg/").status_code == 403
    assert member_client.get(f"{CITY}api/rounds/{running.pk}/").status_code == 403
    section = _section(client.get(f"{CITY}rounds/{running.pk}/").content.decode())
    assert "已撤销" in section and "生效中" in section  # the member's grant withdrawn, the leader's kept

    # The same through the API: the leader's grant ends when the office takes the leader off.
    leader_client = client.__class__()
    leader_client.force_login(registries["users"]["leader"])
    assert leader_client.get(f"{CITY}api/rounds/{running.pk}/").status_code == 200
    with schema_context(orgs["city"].schema_name):
        leader = TeamMember.objects.get(round=running, expert__name="浚县组长")
    response = client.delete(f"{CITY}api/crossorg/rounds/{running.pk}/people/{leader.pk}/")
    assert response.status_code == 204
    assert leader_client.get(f"{CITY}api/rounds/{running.pk}/").status_code == 403
    grants = client.get(f"{CITY}api/crossorg/rounds/{running.pk}/steering/").json()["grants"]
    assert sorted((grant["person"], grant["state"]) for grant in grants) == [
        ("浚县组员", "withdrawn"),
        ("浚县组长", "withdrawn"),
    ]


def test_a_shortened_window_ends_access_the_day_after_and_the_page_says_so(
    orgs, registries, running, client, city_admin
):
    leader = registries["users"]["leader"]
    leader_client = client.__class__()
    leader_client.force_login(leader)
    client.force_login(city_admin)
    edit = f"{CITY}crossorg/rounds/{running.pk}/edit/"
    form = {"name": NAME, "onsite_start": (TODAY() - timedelta(days=5)).isoformat(), "onsite_end": TODAY().isoformat()}
    assert client.post(edit, form).status_code == 302
    assert leader_client.get(f"{CITY}crossorg/").status_code == 200  # today is still inside
    assert grants_active(person=leader, organization=orgs["city"], day=TODAY()).count() == 1
    assert grants_active(person=leader, organization=orgs["city"], day=TODAY() + timedelta(days=1)).count() == 0
    section = _section(client.get(f"{CITY}rounds/{running.pk}/").content.decode())
    assert "生效中" in section

    form["onsite_end"] = (TODAY() - timedelta(days=1)).isoformat()
    assert client.post(edit, form).status_code == 302
    assert leader_client.get(f"{CITY}crossorg/").status_code == 403
    section = _section(client.get(f"{CITY}rounds/{running.pk}/").content.decode())
    assert "已结束" in section and "生效中" not in section


def test_units_are_added_from_the_inspected_county_before_the_announcement_and_removed_while_running(
    orgs, registries, client, city_admin, city_access
):
    from tenants.rounds.services import round_transition

    ids, leader = registries["ids"], registries["users"]["leader"]
    round = _cross(orgs, ids, city_admin, "淇县单位甲")
    team = _team(orgs, round)
    client.force_login(city_admin)
    page = client.get(f"{CITY}rounds/{round.pk}/").content.decode()
    assert 'data-testid="steering-unit-add"' in page and "鹤山区单位" not in _section(page)
    add = f"{CITY}crossorg/rounds/{round.pk}/units/add/"
    page = client.post(add, {"team": team.pk, "unit": ids["鹤山区单位"]}, follow=True).content.decode()
    assert "淇县" in page  # refused: not a unit of the inspected county
    assert client.post(add, {"team": team.pk, "unit": ids["淇县单位丙"]}).status_code == 302
    with schema_context(orgs["city"].schema_name):
        assert sorted(TeamTarget.objects.filter(round=round).values_list("target__name", flat=True)) == [
            "淇县单位丙",
            "淇县单位甲",
        ]
        for state in ("team_formed", "announced"):
            round = round_transition(round=round, to_state=state, actor=city_admin, access=city_access)
    grant = AccessGrant.objects.get(user=leader, round_key=str(round.pk), revoked_at__isnull=True)
    assert len(grant.target_keys) == 2
    page = client.get(f"{CITY}rounds/{round.pk}/").content.decode()
    assert 'data-testid="steering-unit-add"' not in page  # assigning stops at the announcement
    assert 'data-testid="steering-grants"' in page  # positive control on the same page

    with schema_context(orgs["city"].schema_name):
        assignment = TeamTarget.objects.get(round=round, target__name="淇县单位丙")
        kept = str(TeamTarget.objects.get(round=round, target__name="淇县单位甲").target_id)
    client.post(f"{CITY}rounds/{round.pk}/teams/{team.pk}/targets/{assignment.pk}/remove/")
    grant.refresh_from_db()
    assert grant.target_keys == [kept]
    assert "淇县单位丙" not in _section(client.get(f"{CITY}rounds/{round.pk}/").content.decode())


def test_other_roles_see_no_steering_and_are_refused_its_actions(
    orgs, registries, running, client, city_leading, make_member
):
    team = _team(orgs, running)
    client.force_login(city_leading)
    page = client.get(f"{CITY}rounds/{running.pk}/").content.decode()
    assert NAME in page and 'data-testid="steering"' not in page  # the round, without its steering
    assert (
        client.post(
            f"{CITY}crossorg/rounds/{running.pk}/people/add/",
            {"team": team.pk, "person": registries["ids"]["浚县组员"]},
        ).status_code
        == 403
    )
    assert client.get(f"{CITY}api/crossorg/rounds/{running.pk}/steering/").status_code == 403
    with schema_context(orgs["city"].schema_name):
        assert not TeamMember.objects.filter(round=running, expert__name="浚县组员").exists()

    leader_client = client.__class__()
    leader_client.force_login(registries["users"]["leader"])  # the granted team leader
    page = leader_client.get(f"{CITY}rounds/{running.pk}/").content.decode()
    assert NAME in page and 'data-testid="steering"' not in page
    assert leader_client.get(f"{CITY}api/crossorg/rounds/{running.pk}/steering/").status_code in (403, 404)

    county = client.__class__()
    county.force_login(make_member(orgs["county_a"], "office_admin", clearance=3))
    assert county.get(f"{CITY}api/crossorg/rounds/{running.pk}/steering/").status_code == 403


def _elevated(orgs, registries, city_admin):
    """An elevated round on 淇县单位甲, set up through the city's set-up service."""
    from tenants.crossorg.setup import elevated_round_setup

    with schema_context(orgs["city"].schema_name):
        return elevated_round_setup(
            name="2026年提级巡察（淇县）",
            host_org_code="410622",
            onsite_start=TODAY(),
            onsite_end=TODAY() + timedelta(days=20),
            cooperation="请淇县巡察办协助安排进驻",
            team_name="市委第一巡察组",
            units=[registries["ids"]["淇县单位甲"]],
            actor=city_admin,
        )


def test_the_elevated_round_shows_what_the_county_received_and_its_delivery(orgs, registries, client, city_admin):
    round = _elevated(orgs, registries, city_admin)
    client.force_login(city_admin)
    section = _section(client.get(f"{CITY}rounds/{round.pk}/").content.decode())
    assert "淇县" in section and "提级巡察通知" in section and "待发送" in section
    assert 'data-testid="steering-grants"' not in section  # the city's own team: no grants
    deliver_all_sent(orgs)
    section = _section(client.get(f"{CITY}rounds/{round.pk}/").content.decode())
    assert "已发出" in section and "待发送" not in section
    rows = client.get(f"{CITY}api/crossorg/rounds/{round.pk}/steering/").json()["deliveries"]
    assert [(row["county"], row["state"]) for row in rows] == [("淇县", "sent")]


def deliver_all_sent(orgs):
    from sync.testing import messages_deliver

    messages_deliver(source=orgs["city"], receivers=orgs)


def test_round_page_sections_are_only_for_organised_rounds(orgs, client, city_admin, city_access):
    from tenants.rounds.services import round_create

    with schema_context(orgs["city"].schema_name):
        regular = round_create(name="市本级常规巡察", kind="regular", actor=city_admin)
    client.force_login(city_admin)
    page = client.get(f"{CITY}rounds/{regular.pk}/").content.decode()
    assert "市本级常规巡察" in page and 'data-testid="steering"' not in page


def test_the_county_is_notified_of_an_elevated_round_and_of_each_change_and_a_withdrawal_removes_it(
    orgs, registries, client, city_admin, make_member
):
    from sync.testing import messages_deliver
    from tenants.crossorg.services import round_reclassify
    from tenants.reminders.models import Notification

    round = _elevated(orgs, registries, city_admin)
    messages_deliver(source=orgs["city"], receivers=orgs)
    county = client.__class__()
    county.force_login(make_member(orgs["county_b"], "office_admin", clearance=3))
    page = county.get("/org/410622/reminders/").content.decode()
    assert "市里将对本县区单位开展提级巡察：2026年提级巡察（淇县）" in page and "请淇县巡察办协助安排进驻" in page
    with schema_context(orgs["county_c"].schema_name):
        assert not Notification.objects.filter(kind="elevated_notice").exists()  # only the county concerned

    client.force_login(city_admin)
    later = TODAY() + timedelta(days=30)
    edit = {"name": "2026年提级巡察（淇县）", "onsite_start": TODAY().isoformat(), "onsite_end": later.isoformat()}
    assert client.post(f"{CITY}crossorg/rounds/{round.pk}/edit/", {**edit, "cooperation": "请协助"}).status_code == 302
    messages_deliver(source=orgs["city"], receivers=orgs)
    page = county.get("/org/410622/reminders/").content.decode()
    assert f"市里调整了提级巡察“2026年提级巡察（淇县）”的安排：进驻期{TODAY().year}年" in page
    assert f"{later.month}月{later.day}日" in page and "请协助" in page

    with schema_context(orgs["city"].schema_name):
        round_reclassify(round=round, classification=3, actor=city_admin)
    messages_deliver(source=orgs["city"], receivers=orgs)
    with schema_context(orgs["county_b"].schema_name):
        assert not Notification.objects.filter(kind="elevated_notice").exists()
    assert "2026年提级巡察（淇县）" not in county.get("/org/410622/reminders/").content.decode()


def test_a_grant_lapses_when_its_holder_leaves_their_post_at_home(
    orgs, registries, running, client, city_admin, make_member
):
    from shared.accounts.models import Membership
    from tenants.administration.services import membership_update

    leader = registries["users"]["leader"]
    leader_client = client.__class__()
    leader_client.force_login(leader)
    assert leader_client.get(f"{CITY}crossorg/").status_code == 200  # positive control
    client.force_login(city_admin)
    assert "生效中" in _section(client.get(f"{CITY}rounds/{running.pk}/").content.decode())

    with schema_context(orgs["county_a"].schema_name):
        membership_update(
            actor=make_member(orgs["county_a"], "system_admin", clearance=1),
            organization=orgs["county_a"],
            membership=Membership.objects.get(user=leader, organization=orgs["county_a"]),
            clearance=3,
            is_active=False,
        )
    assert leader_client.get(f"{CITY}crossorg/").status_code in (302, 403)
    section = _section(client.get(f"{CITY}rounds/{running.pk}/").content.decode())
    assert "已失效（已不在本单位任职）" in section and "生效中" not in section
