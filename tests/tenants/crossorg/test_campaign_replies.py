"""Issue 12 point 3: a county answers its city's campaign, by starting its linked round or by saying why it
cannot; the city's campaign view shows each county's answer (from the replicas)."""

from __future__ import annotations

from datetime import timedelta

from django_tenants.utils import schema_context

from sync.models import Replica
from sync.replicas import replica_view
from tenants.crossorg.models import CampaignReply
from tenants.crossorg.selectors import campaign_answers
from tenants.crossorg.services import campaign_launch

from .conftest import TODAY, deliver_all


def _launched(orgs, city_admin):
    with schema_context(orgs["city"].schema_name):
        campaign = campaign_launch(
            title="2026年乡村振兴专项联动巡察",
            county_codes=["410621", "410622"],
            start_date=TODAY(),
            end_date=TODAY() + timedelta(days=60),
            actor=city_admin,
        )
    deliver_all(orgs["city"], orgs)
    received = {}
    for county in ("county_a", "county_b"):
        with schema_context(orgs[county].schema_name):
            received[county] = replica_view(
                Replica.objects.get(record_type="planning.campaign", record_key=str(campaign.pk))
            )
    return campaign, received


def _city_table(client, city_admin) -> str:
    client.force_login(city_admin)
    page = client.get("/org/410600/crossorg/").content.decode()
    return page.split('data-testid="campaign-progress"', 1)[1].split("</table>", 1)[0]


def test_one_county_starts_its_round_another_declines_with_a_reason(orgs, make_member, client, city_admin):
    campaign, received = _launched(orgs, city_admin)
    a_admin = make_member(orgs["county_a"], "office_admin", clearance=3)
    b_admin = make_member(orgs["county_b"], "office_admin", clearance=3)

    client.force_login(a_admin)
    page = client.get("/org/410621/crossorg/").content.decode()
    assert 'data-testid="campaign-decline"' in page and "2026年乡村振兴专项联动巡察" in page
    received_row = page.split('data-testid="campaigns-received"', 1)[1].split("</table>", 1)[0]
    start = TODAY()
    assert f"{start.year}年{start.month}月{start.day}日" in received_row  # dates in the page's language
    assert start.isoformat() not in received_row
    client.post(f"/org/410621/crossorg/campaigns/{received['county_a'].pk}/instantiate/", {"name": "浚县联动巡察"})

    client.force_login(b_admin)
    refused = client.post(
        f"/org/410622/crossorg/campaigns/{received['county_b'].pk}/decline/", {"reason": " "}, follow=True
    )
    assert "请说明本县区不能开展该部署的原因" in refused.content.decode()
    with schema_context(orgs["county_b"].schema_name):
        assert not CampaignReply.objects.exists()  # nothing written
    client.post(
        f"/org/410622/crossorg/campaigns/{received['county_b'].pk}/decline/", {"reason": "本县正在开展换届工作"}
    )
    page = client.get("/org/410622/crossorg/").content.decode()
    assert 'data-testid="campaign-declined"' in page

    for county in ("county_a", "county_b"):
        deliver_all(orgs[county], orgs)
    table = _city_table(client, city_admin)
    assert "浚县联动巡察" in table and "计划" in table  # 浚县 started: its round and stage
    assert "不开展：本县正在开展换届工作" in table  # 淇县 declined, with its reason


def test_starting_the_round_after_declining_withdraws_the_refusal_at_the_city(orgs, make_member, client, city_admin):
    from tenants.crossorg.replies import campaign_decline
    from tenants.crossorg.services import campaign_instantiate

    campaign, received = _launched(orgs, city_admin)
    b_admin = make_member(orgs["county_b"], "office_admin", clearance=3)
    with schema_context(orgs["county_b"].schema_name):
        campaign_decline(replica=received["county_b"], reason="人手不足", actor=b_admin)
    deliver_all(orgs["county_b"], orgs)
    assert "不开展：人手不足" in _city_table(client, city_admin)
    with schema_context(orgs["county_b"].schema_name):
        campaign_instantiate(replica=received["county_b"], name="淇县联动巡察", actor=b_admin)
    deliver_all(orgs["county_b"], orgs)
    table = _city_table(client, city_admin)
    assert "人手不足" not in table and "淇县联动巡察" in table


def test_only_the_county_office_answers(orgs, make_member, client, city_admin):
    campaign, received = _launched(orgs, city_admin)
    member = make_member(orgs["county_b"], "team_member", clearance=2)
    client.force_login(member)
    path = f"/org/410622/crossorg/campaigns/{received['county_b'].pk}/decline/"
    assert client.post(path, {"reason": "不想开展"}).status_code == 403
    api = f"/org/410622/api/crossorg/campaigns/received/{received['county_b'].pk}/decline/"
    assert client.post(api, {"reason": "不想开展"}, content_type="application/json").status_code == 403
    with schema_context(orgs["county_b"].schema_name):
        assert not CampaignReply.objects.exists()
    admin = make_member(orgs["county_b"], "office_admin", clearance=3)
    client.force_login(admin)  # positive control: the office may, through the API too
    response = client.post(api, {"reason": "本县正在开展换届工作"}, content_type="application/json")
    assert response.status_code == 200


def test_the_answers_read_nothing_when_no_campaign_is_asked_about(
    orgs, make_member, client, city_admin, django_assert_num_queries
):
    """The county home's panel asks for its campaigns' answers on every page (issue 14): with none received it
    costs no statement; with one, the answer is there."""
    campaign, received = _launched(orgs, city_admin)
    client.force_login(make_member(orgs["county_a"], "office_admin", clearance=3))
    client.post(f"/org/410621/crossorg/campaigns/{received['county_a'].pk}/instantiate/", {"name": "浚县联动巡察"})
    with schema_context(orgs["county_a"].schema_name):
        assert campaign_answers(replicas=[received["county_a"]]) == {received["county_a"].pk: "started"}
        with django_assert_num_queries(0):
            assert campaign_answers(replicas=[]) == {}
