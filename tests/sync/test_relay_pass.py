"""The relay's pass (issue 14: commit->visible was bound by the relay's statements per batch): the remote routes are
read once per sweep and handed to each batch, a batch of the schema the connection is already in sets no search path,
and a changed route wakes the relays to read the routes again."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared.orgs.services import organization_remote_route_set
from sync.models import OutboxMessage
from sync.orgs import remote_routes
from sync.relay import ROUTES_CHANGED, notified, outbox_relay_batch, relay_pass
from tenants.guidance.services import guidance_document_issue
from tests.shared.test_remote_organizations import REMOTE_COUNTY, RecordingBus, _register


def _issue(city, title: str) -> None:
    with schema_context(city.schema_name):
        guidance_document_issue(title=title, doc_type="template", issued_on=datetime.date(2026, 3, 1), content="正文")


def _statements(context: CaptureQueriesContext, fragment: str) -> int:
    return sum(fragment in query["sql"] for query in context.captured_queries)


@pytest.fixture
def back_to_public():
    yield
    connection.set_schema_to_public()


def test_a_pass_reads_no_routes_and_a_second_batch_of_the_same_schema_sets_no_search_path(orgs, back_to_public):
    city = orgs["city"]
    with schema_context(city.schema_name):
        while outbox_relay_batch(organization=city, bus=RecordingBus()):  # whatever the session left pending
            pass
    _issue(city, "第一份")
    _issue(city, "第二份")  # three rows each, one per county: two batches of three
    remote = remote_routes()
    bus = RecordingBus()
    with CaptureQueriesContext(connection) as first:
        assert relay_pass(targets=[city], bus=bus, batch=3, remote=remote) == {city.schema_name}  # more waiting
    with CaptureQueriesContext(connection) as second:  # the relay's next pass, or its next wake-up
        assert relay_pass(targets=[city], bus=bus, batch=3, remote=remote) == {city.schema_name}
    assert sorted(item.destination for item in bus.published) == ["410611", "410611", "410621", "410621"] + [
        "410622",
        "410622",
    ]
    # The first pass comes from public: one SET; the second finds the connection in the city's schema: none.
    assert (_statements(first, "SET search_path"), _statements(second, "SET search_path")) == (1, 0)
    # Neither reads the routes itself: the relay read them once for its sweep.
    assert (_statements(first, "\"orgs_peer\".\"name\""), _statements(second, "\"orgs_peer\".\"name\"")) == (0, 0)
    assert _statements(second, "sync_outboxmessage") == 2  # the rows locked, then marked sent
    assert connection.schema_name == city.schema_name


def test_a_pass_uses_the_routes_it_is_given(orgs, back_to_public):
    """Positive control of the routes handed over: a county reached by bundles waits in the outbox."""
    city = orgs["city"]
    _register(route="bundle")
    with schema_context(city.schema_name):
        while outbox_relay_batch(organization=city, bus=RecordingBus()):
            pass
    _issue(city, "远端模板")
    bus = RecordingBus()
    relay_pass(targets=[city], bus=bus, batch=500, remote=remote_routes())
    assert sorted(item.destination for item in bus.published) == ["410611", "410621", "410622"]
    with schema_context(city.schema_name):
        assert OutboxMessage.objects.filter(destination=REMOTE_COUNTY, sent_at__isnull=True).count() == 1


def test_a_changed_route_notifies_the_relays(orgs):
    _register(route="bundle")
    with CaptureQueriesContext(connection) as changed:
        organization_remote_route_set(code=REMOTE_COUNTY, route="link")
    assert [query["sql"] for query in changed.captured_queries if "pg_notify" in query["sql"]] == [
        f"SELECT pg_notify('xuncha_sync_outbox', '{ROUTES_CHANGED}')"
    ]


class _Listener:
    def __init__(self, *payloads: str) -> None:
        self.notifies = [SimpleNamespace(payload=payload) for payload in payloads]

    def poll(self) -> None:
        pass


def test_a_route_change_notified_makes_the_relay_sweep_and_read_the_routes_again():
    assert notified(_Listener("org_410621", "org_410622"), {"org_410600"}) == {"org_410600", "org_410621", "org_410622"}
    assert notified(_Listener("org_410621", ROUTES_CHANGED), {"org_410600"}) is None  # None: sweep, routes re-read
    assert notified(_Listener(), set()) == set()
