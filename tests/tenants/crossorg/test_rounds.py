"""Elevated, cross-county and linked rounds: who is told what, avoidance, grants, withdrawal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.grants.models import AccessGrant
from sync.models import OutboxMessage, Replica
from sync.replicas import replicas_of
from tenants.audit.models import AuditEvent
from tenants.crossorg.selectors import campaign_progress
from tenants.crossorg.services import (
    campaign_instantiate,
    campaign_launch,
    cross_round_create,
    elevated_round_create,
    round_reclassify,
)
from tenants.rounds.models import TeamTarget
from tenants.rounds.services import round_transition, team_create, team_target_add
from tenants.targets.services import target_create, target_update

from .conftest import TODAY, deliver_all


def _outbox(org, **filters):
    with schema_context(org.schema_name):
        return list(OutboxMessage.objects.filter(**filters).order_by("id"))


def _elevated(orgs, city_admin, **extra):
    with schema_context(orgs["city"].schema_name):
        return elevated_round_create(
            name="提级巡察浚县城关镇",
            host_org_code="410621",
            actor=city_admin,
            cooperation="请协调提供会议室并通知班子成员",
            onsite_start=TODAY(),
            onsite_end=TODAY() + timedelta(days=30),
            **extra,
        )


# --- elevated (提级) -------------------------------------------------------------------------


def test_elevated_round_tells_only_the_managing_county_existence_dates_and_cooperation(
    orgs, city_admin, client, make_member
):
    round = _elevated(orgs, city_admin)
    rows = _outbox(orgs["city"], record_type="rounds.round")
    assert [row.destination for row in rows] == ["410621"]
    # Existence, dates and cooperation, nothing else (no state, counts, classification, campaign or batch).
    assert rows[0].body == {
        "name": "提级巡察浚县城关镇",
        "kind": "elevated",
        "start_date": TODAY().isoformat(),
        "end_date": (TODAY() + timedelta(days=30)).isoformat(),
        "cooperation": "请协调提供会议室并通知班子成员",
        "target_managing_org_code": "410621",
    }
    assert all(v.outcome == "applied" for v in deliver_all(orgs["city"], orgs, record_type="rounds.round"))
    with schema_context(orgs["county_a"].schema_name):
        replica = Replica.objects.get(record_type="rounds.round", source="410600", record_key=str(round.pk))
        assert replica.body["name"] == "提级巡察浚县城关镇"
    for code in ("county_b", "county_c", "province"):
        with schema_context(orgs[code].schema_name):
            assert not Replica.objects.filter(record_type="rounds.round").exists()
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    response = client.get("/org/410621/crossorg/")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="elevated-notices"' in page
    assert "提级巡察浚县城关镇" in page and "请协调提供会议室" in page
    api = client.get("/org/410621/api/crossorg/")
    assert api.status_code == 200 and [n["name"] for n in api.json()["notices"]] == ["提级巡察浚县城关镇"]


def test_elevated_round_refuses_targets_of_another_county(orgs, city_admin, city_access, make_member):
    from tenants.experts.services import expert_create
    from tenants.rounds.services import round_expert_authorise, team_member_add

    round = _elevated(orgs, city_admin)
    with schema_context(orgs["city"].schema_name):
        team = team_create(round=round, name="提级组")
        leader = expert_create(name="市组长", home_region_code="410600")
        round_expert_authorise(round=round, expert=leader, actor=city_admin)
        team_member_add(team=team, expert=leader, role="leader", actor=city_admin)
        with pytest.raises(ValidationError, match="淇县某局"):  # refused when assigned, naming the unit
            team_target_add(
                team=team, target=target_create(name="淇县某局", level="county", managing_org_code="410622")
            )
        assert not TeamTarget.objects.filter(team=team).exists()
        # A unit whose managing county is changed after it was assigned is still caught at the transition.
        own = target_create(name="浚县某局", level="county", managing_org_code="410621")
        team_target_add(team=team, target=own)
        target_update(target=own, managing_org_code="410622")  # as the unit's edit page does
        with pytest.raises(ValidationError, match="浚县某局"):
            round_transition(round=round, to_state="team_formed", actor=city_admin, access=city_access)


def test_only_a_city_creates_them_and_only_for_its_own_counties(orgs, city_admin, make_member):
    with pytest.raises(ValidationError, match="not a county of this city"), schema_context(orgs["city"].schema_name):
        elevated_round_create(name="x", host_org_code="410000", actor=city_admin)
    county_user = make_member(orgs["county_a"], "office_admin")
    with pytest.raises(ValidationError, match="Only a city"), schema_context(orgs["county_a"].schema_name):
        cross_round_create(name="x", home_org_code="410621", host_org_code="410622", actor=county_user)
    with pytest.raises(ValidationError, match="own county"), schema_context(orgs["city"].schema_name):
        cross_round_create(name="x", home_org_code="410622", host_org_code="410622", actor=city_admin)


def test_raising_an_elevated_round_to_confidential_withdraws_the_county_replica(orgs, city_admin, client, make_member):
    round = _elevated(orgs, city_admin)
    with schema_context(orgs["city"].schema_name):  # a second one, left as it is: the county keeps seeing it
        elevated_round_create(
            name="提级巡察浚县卫健委",
            host_org_code="410621",
            actor=city_admin,
            cooperation="请通知卫健委党组",
            onsite_start=TODAY(),
            onsite_end=TODAY() + timedelta(days=20),
        )
    deliver_all(orgs["city"], orgs, record_type="rounds.round")
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    before = client.get("/org/410621/crossorg/").content.decode()
    assert "提级巡察浚县城关镇" in before and "提级巡察浚县卫健委" in before  # both shown before the change
    with schema_context(orgs["city"].schema_name):
        round_reclassify(round=round, classification=Classification.CONFIDENTIAL, actor=city_admin)
        assert AuditEvent.objects.filter(action="reclassify", record_key=str(round.pk)).exists()
    last = _outbox(orgs["city"], record_type="rounds.round")[-1]
    assert last.tombstone and last.body is None and last.destination == "410621" and last.record_key == str(round.pk)
    deliver_all(orgs["city"], orgs, record_type="rounds.round")
    with schema_context(orgs["county_a"].schema_name):
        replica = Replica.objects.get(record_type="rounds.round", record_key=str(round.pk))
        assert replica.tombstone and replica.body is None
    response = client.get("/org/410621/crossorg/")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="elevated-notices"' in page
    assert "提级巡察浚县卫健委" in page and "请通知卫健委党组" in page  # the other notice is still there
    assert "提级巡察浚县城关镇" not in page and "请协调提供会议室" not in page  # the raised one is gone
    api = client.get("/org/410621/api/crossorg/")
    assert api.status_code == 200 and [n["name"] for n in api.json()["notices"]] == ["提级巡察浚县卫健委"]


# --- cross-county (交叉) -----------------------------------------------------------------------


def test_cross_round_tells_no_county_anything(orgs, cross_round, city_admin):
    """Beside the cross round (team formed), a regular round of the city made at the same time: that one
    reaches every county and the province, the cross round none."""
    from tenants.rounds.services import round_create

    with schema_context(orgs["city"].schema_name):
        regular = round_create(name="市委常规巡察", kind="regular", actor=city_admin)
    sent = _outbox(orgs["city"], record_type="rounds.round")
    assert {row.record_key for row in sent} == {str(regular.pk)}
    assert sorted(row.destination for row in sent) == ["410000", "410611", "410621", "410622"]
    assert all(v.outcome == "applied" for v in deliver_all(orgs["city"], orgs, record_type="rounds.round"))
    for code in ("county_a", "county_b"):
        with schema_context(orgs[code].schema_name):
            held = Replica.objects.filter(record_type="rounds.round", source="410600")
            assert [(r.record_key, r.body["name"]) for r in held] == [(str(regular.pk), "市委常规巡察")]


def test_cross_round_avoidance_no_member_from_the_inspected_county(orgs, cross_round, city_admin, city_access):
    from tenants.experts.services import expert_create, expert_update
    from tenants.rounds.models import Round
    from tenants.rounds.services import round_expert_authorise, team_member_add

    with schema_context(orgs["city"].schema_name):
        round = Round.objects.get(pk=cross_round["round"].pk)
        local = expert_create(name="淇县干部", home_region_code="410622001")
        outsider = expert_create(name="鹤山干部", home_region_code="410611")
        for expert, rule in ((local, "地域回避"), (outsider, "home county")):
            round_expert_authorise(round=round, expert=expert, actor=city_admin)
            with pytest.raises(ValidationError) as refused:  # refused when put on the team, naming the rule
                team_member_add(team=cross_round["team"], expert=expert, actor=city_admin)
            assert rule in " ".join(refused.value.messages) and expert.name in " ".join(refused.value.messages)
        assert not cross_round["team"].members.filter(expert__in=[local, outsider]).exists()
        # A member from county A whose home region is later edited to county B is caught at the transition.
        moved = cross_round["experts"]["member"]
        expert_update(expert=moved, home_region_code="410622002", actor=city_admin)  # as the pool's edit page does
        with pytest.raises(ValidationError) as refused:
            round_transition(round=round, to_state="announced", actor=city_admin, access=city_access)
        text = " ".join(refused.value.messages)
        assert "地域回避" in text and moved.name in text
        assert not AccessGrant.objects.filter(round_key=str(round.pk)).exists()


def test_cross_round_refuses_targets_outside_county_b(orgs, make_member, city_admin, city_access):
    with schema_context(orgs["city"].schema_name):
        round = cross_round_create(
            name="交叉2",
            home_org_code="410621",
            host_org_code="410622",
            actor=city_admin,
            onsite_start=TODAY(),
            onsite_end=TODAY(),
        )
        team = team_create(round=round, name="组")
        with pytest.raises(ValidationError, match="浚县某局"):
            team_target_add(
                team=team, target=target_create(name="浚县某局", level="county", managing_org_code="410621")
            )
        assert not TeamTarget.objects.filter(team=team).exists()


def test_announcing_grants_county_a_members_their_targets_for_the_window(
    orgs, cross_round, city_admin, city_access, client
):
    round, targets = cross_round["round"], cross_round["targets"]
    with schema_context(orgs["city"].schema_name):
        round_transition(round=round, to_state="announced", actor=city_admin, access=city_access)
    grants = AccessGrant.objects.filter(round_key=str(round.pk), revoked_at__isnull=True).order_by("role")
    assert [(g.user.username, g.role) for g in grants] == [("a-leader", "team_leader"), ("a-member", "team_member")]
    assert all(g.target_keys == sorted(str(t.pk) for t in targets) for g in grants)
    assert all((g.starts_on, g.ends_on) == (round.onsite_start, round.onsite_end) for g in grants)
    assert {g.clearance for g in grants} == {3, 2}  # their vetted level at home

    client.force_login(cross_round["member"])
    response = client.get("/org/410600/crossorg/")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="granted-targets"' in page
    assert "淇县单位1" in page and "淇县单位2" in page and "淇县单位3" not in page
    api = client.get("/org/410600/api/crossorg/")
    assert api.status_code == 200 and api.json()["granted"] is True
    assert sorted(t["name"] for t in api.json()["targets"]) == ["淇县单位1", "淇县单位2"]
    rounds = client.get("/org/410600/api/rounds/")
    assert rounds.status_code == 200 and [r["name"] for r in rounds.json()["results"]] == ["2026年交叉巡察"]
    # Home county A learns nothing: no replica, no outbox row about the round.
    with schema_context(orgs["county_a"].schema_name):
        assert not Replica.objects.exists()

    with schema_context(orgs["city"].schema_name):
        round_transition(round=round, to_state="on_site", actor=city_admin, access=city_access)
        round_transition(round=round, to_state="reporting", actor=city_admin, access=city_access)
    assert not AccessGrant.objects.filter(round_key=str(round.pk), revoked_at__isnull=True).exists()
    refused = client.get("/org/410600/crossorg/")
    assert refused.status_code == 403 and "无权访问" in refused.content.decode()
    assert "淇县单位1" not in refused.content.decode()


def test_granted_member_does_not_see_other_city_rounds(orgs, cross_round, city_admin, city_access, client):
    with schema_context(orgs["city"].schema_name):
        _other = elevated_round_create(name="另一轮提级", host_org_code="410621", actor=city_admin)
        round_transition(round=cross_round["round"], to_state="announced", actor=city_admin, access=city_access)
    client.force_login(cross_round["member"])
    response = client.get("/org/410600/rounds/")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="round-list"' in body
    assert "2026年交叉巡察" in body and "另一轮提级" not in body
    own = client.get(f"/org/410600/rounds/{cross_round['round'].pk}/")
    assert own.status_code == 200 and "2026年交叉巡察" in own.content.decode()
    other = client.get(f"/org/410600/rounds/{_other.pk}/")
    assert other.status_code == 404 and "另一轮提级" not in other.content.decode()


# --- linked / unified campaign (联动/统一部署) -----------------------------------------------


def test_campaign_goes_to_selected_counties_and_their_rounds_roll_up(orgs, city_admin, make_member, client):
    with schema_context(orgs["city"].schema_name):
        campaign = campaign_launch(
            title="2026年惠民资金专项联动巡察",
            topic="惠民资金",
            county_codes=["410621", "410622"],
            start_date=TODAY(),
            end_date=TODAY() + timedelta(days=60),
            actor=city_admin,
        )
    assert sorted(r.destination for r in _outbox(orgs["city"], record_type="planning.campaign")) == ["410621", "410622"]
    deliver_all(orgs["city"], orgs, record_type="planning.campaign")
    with schema_context(orgs["county_c"].schema_name):
        assert not Replica.objects.filter(record_type="planning.campaign").exists()

    county_office = make_member(orgs["county_a"], "office_staff")
    client.force_login(county_office)
    with schema_context(orgs["county_a"].schema_name):
        [replica] = replicas_of(record_type="planning.campaign")
    assert "2026年惠民资金专项联动巡察" in client.get("/org/410621/crossorg/").content.decode()
    response = client.post(f"/org/410621/crossorg/campaigns/{replica.pk}/instantiate/", {"name": "浚县惠民资金巡察"})
    assert response.status_code == 302
    with (
        schema_context(orgs["county_a"].schema_name),
        pytest.raises(ValidationError, match="already has its round|已按该统一部署启动"),
    ):
        campaign_instantiate(replica=replica, name="again", actor=county_office)
    up = _outbox(orgs["county_a"], record_type="rounds.round")
    # Instantiating may share the round more than once (creation, then its first transition): each is a
    # newer version of the same record, to the city only; the newest (what the city keeps) names the campaign.
    assert {r.destination for r in up} == {"410600"} and len({r.record_key for r in up}) == 1
    assert max(up, key=lambda r: r.version).body["campaign_key"] == str(campaign.pk)
    deliver_all(orgs["county_a"], orgs, record_type="rounds.round")
    with schema_context(orgs["city"].schema_name):
        progress = {row.code: row for row in campaign_progress(campaign=campaign)}
    assert progress["410621"].started and progress["410621"].round_name == "浚县惠民资金巡察"
    assert not progress["410622"].started
    client.force_login(city_admin)
    api = client.get("/org/410600/api/crossorg/").json()
    counties = api["campaigns"][0]["counties"]
    assert [(c["code"], c["started"]) for c in counties] == [("410621", True), ("410622", False)]


def test_campaign_refuses_bad_input_and_leaves_nothing(orgs, city_admin):
    from tenants.crossorg.models import Campaign

    with schema_context(orgs["city"].schema_name):
        for kwargs, message in [
            ({"county_codes": []}, "at least one"),
            ({"county_codes": ["410000"]}, "not a county"),
            ({"end_date": TODAY() - timedelta(days=1)}, "end before"),
        ]:
            args = {
                "title": "t",
                "county_codes": ["410621"],
                "start_date": TODAY(),
                "end_date": TODAY(),
                "actor": city_admin,
                **kwargs,
            }
            with pytest.raises(ValidationError, match=message):
                campaign_launch(**args)
        assert not Campaign.objects.exists()
        assert not OutboxMessage.objects.filter(record_type="planning.campaign").exists()


def test_reading_a_secret_round_page_or_api_is_audited(orgs, city_admin, client):
    round = _elevated(orgs, city_admin, classification=Classification.SECRET)
    client.force_login(city_admin)
    assert client.get(f"/org/410600/rounds/{round.pk}/").status_code == 200
    assert client.get(f"/org/410600/api/rounds/{round.pk}/").status_code == 200
    with schema_context(orgs["city"].schema_name):
        events = AuditEvent.objects.filter(record_type="rounds.round", record_key=str(round.pk), action="read")
        assert [e.username for e in events] == ["city-admin", "city-admin"]


def test_the_received_campaign_links_our_round_only_for_whoever_may_open_it(orgs, city_admin, make_member, client):
    """The county's page of a received campaign names its linked round with a link for the office (positive
    control), and neither names nor links it for the discipline agency's receiver, whom the round's page
    refuses (the role crawl found that dead link once the demo answered its campaign on the first start)."""
    with schema_context(orgs["city"].schema_name):
        campaign_launch(
            title="2026年惠民资金专项联动巡察",
            topic="惠民资金",
            county_codes=["410621"],
            start_date=TODAY(),
            end_date=TODAY() + timedelta(days=60),
            actor=city_admin,
        )
    deliver_all(orgs["city"], orgs, record_type="planning.campaign")
    office = make_member(orgs["county_a"], "office_staff")
    with schema_context(orgs["county_a"].schema_name):
        [replica] = replicas_of(record_type="planning.campaign")
        round = campaign_instantiate(replica=replica, name="浚县惠民资金巡察", actor=office)
    url = f"/org/410621/crossorg/campaigns/received/{replica.pk}/"
    link = f'href="/org/410621/rounds/{round.pk}/"'

    client.force_login(office)
    answer = client.get(url).content.decode().split('data-testid="campaign-answer"', 1)[1].split("</div>", 1)[0]
    assert link in answer and "浚县惠民资金巡察" in answer
    assert client.get(f"/org/410621/rounds/{round.pk}/").status_code == 200

    agency = make_member(orgs["county_a"], "agency_receiver")
    client.force_login(agency)
    page = client.get(url)
    assert page.status_code == 200
    answer = page.content.decode().split('data-testid="campaign-answer"', 1)[1].split("</div>", 1)[0]
    assert "本级联动巡察轮次已启动" in answer  # the answer itself is shown
    assert link not in answer and "浚县惠民资金巡察" not in answer
    assert client.get(f"/org/410621/rounds/{round.pk}/").status_code in (403, 404)
