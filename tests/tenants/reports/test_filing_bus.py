"""The filing's round trip over the real RabbitMQ: the city's relay publishes with confirms, the
province's consumer applies it and answers, the city's consumer applies the answer."""

import os
import threading
import uuid

import pytest
from django_tenants.utils import schema_context

from sync import inbox
from sync.models import OutboxMessage
from sync.relay import outbox_relay_batch
from sync.testing import queue_consume
from sync.transport import AmqpBus
from tenants.reports.models import Filing, FilingReceipt
from tenants.reports.services import filing_decide, filing_refile, filing_submit

from .helpers import approved_annual_plan

pytestmark = pytest.mark.bus


@pytest.fixture
def bus(orgs):
    """A private exchange and queues on the real broker, deleted afterwards."""
    amqp = AmqpBus(os.environ["BROKER_URL"], prefix=f"xuncha.test.reports.{uuid.uuid4().hex[:8]}")
    amqp.declare(["410000", "410600"])
    try:
        yield amqp
    finally:
        amqp.delete_everything(["410000", "410600"])
        amqp.close()


def _relay(organization, bus) -> int:
    return outbox_relay_batch(organization=organization, bus=bus)


def _consume(bus, receiver, expected: int) -> list[str]:
    """Consume `receiver`'s queue until `expected` messages were handled (in this thread, so inside
    the test's transaction); every outcome is returned."""
    outcomes, stop = [], threading.Event()

    def handle(organization, raw):
        verdict = inbox.message_receive(receiver=organization, raw=raw)
        outcomes.append(verdict.outcome)
        if len(outcomes) >= expected:
            stop.set()
        return (verdict.reason, verdict.detail) if verdict.outcome == inbox.DEAD else None

    # Its own connection, closed after: nothing stays subscribed.
    queue_consume(consumer=AmqpBus(bus.url, prefix=bus.prefix), receiver=receiver, handle=handle, stop=stop)
    return outcomes


def test_a_filing_travels_to_the_province_and_its_status_comes_back(orgs, bus, make_member):
    city, province = orgs["city"], orgs["province"]
    city_user = make_member(city, "office_admin")
    province_user = make_member(province, "office_admin")
    with schema_context(city.schema_name):
        plan = approved_annual_plan(city_user, year=2034)
        filing = filing_submit(kind="annual_plan", subject_id=plan.pk, actor=city_user, organization=city)
    assert _relay(city, bus) == 1
    assert _consume(bus, province, 1) == [inbox.APPLIED]
    with schema_context(province.schema_name):
        receipt = FilingReceipt.objects.get(filing_key=filing.key)
        assert receipt.status == "received"

    assert _relay(province, bus) == 1  # "received" goes back
    assert _consume(bus, city, 1) == [inbox.APPLIED]
    with schema_context(city.schema_name):
        assert Filing.objects.get(pk=filing.pk).status == "received"

    with schema_context(province.schema_name):
        filing_decide(receipt=receipt, status="returned", comment="请补充轮次安排", actor=province_user)
    _relay(province, bus)
    _consume(bus, city, 1)
    with schema_context(city.schema_name):
        returned = Filing.objects.get(pk=filing.pk)
        assert (returned.status, returned.status_comment) == ("returned", "请补充轮次安排")
        filing_refile(filing=returned, actor=city_user, organization=city, note="已补充")
    _relay(city, bus)
    _consume(bus, province, 1)
    with schema_context(province.schema_name):
        receipt = FilingReceipt.objects.get(filing_key=filing.key)
        assert (receipt.filing_revision, receipt.status) == (2, "received")
        filing_decide(receipt=receipt, status="acknowledged", comment="", actor=province_user)
    assert _relay(province, bus) == 2  # received (v2), then acknowledged
    assert _consume(bus, city, 2) == [inbox.APPLIED, inbox.APPLIED]
    with schema_context(city.schema_name):
        assert Filing.objects.get(pk=filing.pk).status == "acknowledged"
        assert not OutboxMessage.objects.filter(sent_at__isnull=True, record_key=str(filing.key)).exists()
