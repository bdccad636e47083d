"""The demo's 督办 case over the real RabbitMQ (issue 10, point 3): the city's rectification item
reaches 浚县's ledger through relay and consumer; the city raises the round to 机密 on the round's
edit page; the tombstone travels the same way and the item, problem text included, is gone from
浚县's 督办整改事项 page, its cross-county page and its database."""

import pytest
from django_tenants.utils import schema_context

from sync import inbox
from sync.models import OutboxMessage, Replica
from tests.tenants.findings.conftest import marker_hits
from tests.tenants.reports.test_filing_bus import _consume, _relay

from .withdrawal_world import office, supervised_item, walked_round

pytestmark = pytest.mark.bus
PROBLEM = "对县级卫健系统医保基金使用监管指导不力（总线撤回）"


def _carry(city, county, bus) -> list[str]:
    """Relay the city's pending rows; consume what reached the county."""
    with schema_context(city.schema_name):
        expected = OutboxMessage.objects.filter(sent_at__isnull=True, destination=county.code).count()
    _relay(city, bus)
    return _consume(bus, county, expected) if expected else []


def _county_pages(client, county_admin) -> dict[str, str]:
    client.force_login(county_admin)
    pages = {}
    for path in ("/org/410621/rectification/supervised/", "/org/410621/crossorg/"):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()
    return pages


def test_raising_the_round_on_its_page_withdraws_the_item_from_the_county_over_rabbitmq(orgs, bus, make_member, client):
    from tenants.rectification.models import SupervisedItem

    city = office(orgs["city"], make_member, "office_admin", "leading_group", "team_leader")
    county = office(orgs["county_a"], make_member, "office_admin")
    with city.schema():
        round, team, target, _ = walked_round(city, name="市委巡察·督办示例（总线）", unit_county="410600")
        feedback, item = supervised_item(city, round=round, target=target, problem=PROBLEM)
    assert set(_carry(city.org, county.org, bus)) == {inbox.APPLIED}
    pages = _county_pages(client, county.users["office_admin"])
    assert all(PROBLEM in page for page in pages.values())  # positive control: it is there before

    client.force_login(city.users["office_admin"])
    response = client.post(
        f"/org/410600/rounds/{round.pk}/edit/",
        {
            "name": round.name,
            "kind": round.kind,
            "topic": round.topic,
            "annual_plan": "",
            "look_back_of": "",
            "onsite_start": round.onsite_start.isoformat(),
            "onsite_end": round.onsite_end.isoformat(),
            "classification": "3",
        },
    )
    assert response.status_code == 302
    with city.schema():
        round.refresh_from_db()
        assert round.classification == 3
    assert set(_carry(city.org, county.org, bus)) == {inbox.APPLIED}

    with county.schema():
        replica = Replica.objects.get(record_type="rectification.item", source="410600", record_key=str(item.pk))
        assert replica.tombstone and replica.body is None
        [ledger] = SupervisedItem.objects.filter(source="410600", record_key=str(item.pk))
        assert ledger.withdrawn_at is not None and ledger.title == "" and ledger.description == ""
    assert marker_hits(county.org.schema_name, PROBLEM) == []
    pages = _county_pages(client, county.users["office_admin"])
    assert 'data-testid="supervised-items"' in pages["/org/410621/rectification/supervised/"]
    assert 'data-testid="supervised-withdrawn"' in pages["/org/410621/rectification/supervised/"]
    assert 'data-testid="rectification-received"' in pages["/org/410621/crossorg/"]
    assert all(PROBLEM not in page for page in pages.values())
