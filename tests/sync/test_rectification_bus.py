"""督办 over the real RabbitMQ: the city's rectification item reaches the county's ledger, the
county's progress comes back, the city sees it (relay with confirms, consumer in this thread)."""

import pytest
from django_tenants.utils import schema_context

from shared.accounts.selectors import organization_access
from sync import inbox
from sync.models import OutboxMessage
from tests.tenants.reports.test_filing_bus import _consume, _relay

pytestmark = pytest.mark.bus


def _pending(org, destination):
    with schema_context(org.schema_name):
        return OutboxMessage.objects.filter(sent_at__isnull=True, destination=destination).count()


def test_city_item_to_county_ledger_and_county_progress_back_to_the_city(orgs, bus, make_member, client):
    from tenants.ledger.services import ledger_progress_report
    from tenants.rectification.models import SupervisedItem
    from tests.tenants.workflow import supervised_item_add

    city, county = orgs["city"], orgs["county_a"]
    city_user, county_user = make_member(city, "office_admin", clearance=2), make_member(county, "office_staff")
    leading_user = make_member(city, "leading_group")
    with schema_context(city.schema_name):
        access = organization_access(person=city_user, organization_id=city.pk)
        item = supervised_item_add(
            office=city_user,
            office_access=access,
            leading=leading_user,
            leading_access=organization_access(person=leading_user, organization_id=city.pk),
            county_code="410621",
            target_name="浚县督办单位",
            round_name="督办总线轮次",
            problem="总线督办问题",
        )
    expected = _pending(city, "410621")
    assert _relay(city, bus) >= expected
    assert set(_consume(bus, county, expected)) == {inbox.APPLIED}
    with schema_context(county.schema_name):
        ledger = SupervisedItem.objects.get(source="410600", record_key=str(item.pk))
        county_access = organization_access(person=county_user, organization_id=county.pk)
        ledger_progress_report(
            actor=county_user,
            access=county_access,
            record=ledger,
            status="in_progress",
            progress_note="总线进展：已召开专题会",
        )
    assert _pending(county, "410600") == 1
    assert _relay(county, bus) == 1
    assert _consume(bus, city, 1) == [inbox.APPLIED]
    client.force_login(city_user)
    progress = client.get(f"/org/410600/api/rectification/items/{item.pk}/").json()["county_progress"]
    assert (progress["county"], progress["status"], progress["progress_note"]) == (
        "410621",
        "in_progress",
        "总线进展：已召开专题会",
    )
    assert "总线进展：已召开专题会" in client.get("/org/410600/rectification/").content.decode()
