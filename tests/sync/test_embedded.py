"""The embedded transport (no RabbitMQ: a PostgreSQL table) end to end, across separate relay
and consumer processes, including a consumer that dies between apply and ack."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django_tenants.utils import schema_context

from sync.models import Replica
from sync.transport import PostgresBus
from tenants.guidance.services import guidance_document_issue
from tenants.statistics.services import statistics_report_submit

from .conftest import WORLD_CODES, applied_twice, converged, inbox_outcomes, wait_for


def test_embedded_transport_end_to_end_with_a_crash_between_apply_and_ack(committed, embedded_processes, monkeypatch):
    world = committed
    monkeypatch.setenv("XUNCHA_SYNC_EMBEDDED_LEASE_SECONDS", "2")  # a crashed consumer's message returns fast
    embedded_processes.start("relay", WORLD_CODES)
    crashing = embedded_processes.start("consume", WORLD_CODES, failpoint="consumer-after-commit")
    with schema_context(world.city.schema_name):
        document = guidance_document_issue(
            title=f"模板-{uuid.uuid4().hex[:8]}", doc_type="template", issued_on=datetime.date(2026, 6, 1)
        )
    with schema_context(world.county_1.schema_name):
        statistics_report_submit(period="2026-08", findings=7)
    crashing.wait(timeout=60)
    assert crashing.returncode == 137  # applied and committed one message, then died before the ack
    embedded_processes.start("consume", WORLD_CODES)
    wait_for(lambda: converged(world), processes=embedded_processes, what="embedded convergence")
    bus = PostgresBus(settings.XUNCHA_SYNC_PREFIX)
    wait_for(lambda: sum(bus.queue_depth(code) for code in WORLD_CODES) == 0, what="queues drained")
    bus.close()
    for county in (world.county_1, world.county_2):
        with schema_context(county.schema_name):
            assert (
                Replica.objects.get(source=world.city.code, record_key=str(document.pk)).body["title"] == document.title
            )
        assert inbox_outcomes(county, str(document.pk)) == {"applied": 1}
    with schema_context(world.city.schema_name):
        assert Replica.objects.get(source=world.county_1.code, record_key="2026-08").body["findings"] == 7
    assert applied_twice(world) == []
