"""One slow organisation does not hold up the others: `xuncha sync consume` consumes each organisation's
queue on its own and applies their batches on worker threads. The slow path is real: the test holds a
row lock on a replica in one county's schema, so that county's apply waits on it."""

from __future__ import annotations

import datetime
import uuid

import psycopg2
import pytest
from django_tenants.utils import schema_context

from sync.models import Replica
from tenants.guidance.models import GuidanceDocument
from tenants.guidance.services import guidance_document_issue, guidance_document_revise

from .conftest import WORLD_CODES, database_url_for_children, wait_for

pytestmark = pytest.mark.bus
TODAY = datetime.date(2026, 7, 1)


def _issue(world, title: str) -> GuidanceDocument:
    with schema_context(world.city.schema_name):
        return guidance_document_issue(title=title, doc_type="guidance", issued_on=TODAY, content="正文")


def _version(county, document) -> int | None:
    with schema_context(county.schema_name):
        replica = Replica.objects.filter(record_type="guidance.document", record_key=str(document.pk)).first()
        return replica.version if replica else None


def _waiting_on_a_lock(database) -> bool:
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_county_whose_apply_waits_on_a_lock_does_not_hold_up_the_other(committed, amqp_processes):
    world = committed
    slow, other = world.county_1, world.county_2
    amqp_processes.start("relay", WORLD_CODES)
    amqp_processes.start("consume", WORLD_CODES)
    first = _issue(world, f"锁前-{uuid.uuid4().hex[:6]}")
    wait_for(lambda: _version(slow, first) == 1 and _version(other, first) == 1, processes=amqp_processes)

    locker = psycopg2.connect(database_url_for_children())
    try:
        with locker.cursor() as cursor:  # a transaction holding the slow county's replica row
            cursor.execute(
                f'SELECT id FROM "{slow.schema_name}".sync_replica WHERE record_key = %s FOR UPDATE', [str(first.pk)]
            )
            assert cursor.rowcount == 1
        with schema_context(world.city.schema_name):
            guidance_document_revise(document=GuidanceDocument.objects.get(pk=first.pk), title="锁中修订")
        watcher = psycopg2.connect(database_url_for_children())
        watcher.autocommit = True
        try:
            wait_for(lambda: _waiting_on_a_lock(watcher), processes=amqp_processes, what="the slow county's apply")
        finally:
            watcher.close()
        second = _issue(world, f"锁后-{uuid.uuid4().hex[:6]}")

        # The other county gets the revision and the next document while the slow one is still held up.
        wait_for(
            lambda: _version(other, first) == 2 and _version(other, second) == 1,
            processes=amqp_processes,
            what="the other county's messages while the lock is held",
        )
        assert (_version(slow, first), _version(slow, second)) == (1, None)
    finally:
        locker.rollback()
        locker.close()
    wait_for(lambda: _version(slow, first) == 2 and _version(slow, second) == 1, processes=amqp_processes)
