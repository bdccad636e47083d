"""The consumer applies the messages that arrive together for one organisation in one transaction;
one message that fails cannot hold the others up (in process, inside the test's transaction)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from sync import inbox
from sync.models import DeadLetter, Replica
from sync.relay import message_encode
from tenants.guidance.services import guidance_document_issue, guidance_document_revise
from tests.sync.test_exchange import _fields, _outbox, _signed

TODAY = datetime.date(2026, 3, 1)


def _raw(source, row):
    with schema_context(source.schema_name):
        return message_encode(row=row, source_code=source.code)


def _documents(orgs, count):
    with schema_context(orgs["city"].schema_name):
        documents = [
            guidance_document_issue(title=f"批量文件{n}", doc_type="template", issued_on=TODAY, content="正文")
            for n in range(count)
        ]
    return [_raw(orgs["city"], _outbox(orgs["city"], record_key=str(d.pk), destination="410621")[0]) for d in documents]


def test_a_batch_gives_each_message_its_own_verdict_in_order(orgs):
    with schema_context(orgs["city"].schema_name):
        document = guidance_document_issue(title="批量初版", doc_type="template", issued_on=TODAY, content="正文")
        guidance_document_revise(document=document, title="批量修订版")
    v1, v2 = [
        _raw(orgs["city"], row) for row in _outbox(orgs["city"], record_key=str(document.pk), destination="410621")
    ]
    forged = _signed(_fields(), signer="410622")

    results = inbox.messages_receive(receiver=orgs["county_a"], raws=[v2, forged, v1, v2])

    assert [(r.outcome, r.reason) for r in results] == [
        ("applied", ""),
        ("dead", "forged"),
        ("stale", ""),
        ("duplicate", ""),
    ]
    with schema_context(orgs["county_a"].schema_name):
        replica = Replica.objects.get(source="410600", record_key=str(document.pk))
        assert (replica.version, replica.body["title"]) == (2, "批量修订版")
        assert DeadLetter.objects.filter(reason="forged", size=len(forged)).count() == 1


def test_a_batch_costs_fewer_statements_than_the_same_messages_one_by_one(orgs):
    one_by_one, together = _documents(orgs, 5), _documents(orgs, 5)
    with CaptureQueriesContext(connection) as single:
        for raw in one_by_one:
            assert inbox.message_receive(receiver=orgs["county_a"], raw=raw).outcome == "applied"
    with CaptureQueriesContext(connection) as batch:
        assert [r.outcome for r in inbox.messages_receive(receiver=orgs["county_a"], raws=together)] == ["applied"] * 5
    # One transaction for the five instead of one each (no savepoint or commit per message).
    assert len(batch) <= len(single) - 2 * 4, (len(batch), len(single))


def test_a_message_the_database_could_not_store_is_dead_and_the_others_are_applied(orgs):
    good_before, good_after = _documents(orgs, 2)
    # Signed by the real city key, but its record key cannot be stored (a NUL byte): refused before
    # any database work, so it is a dead letter with its reason, not an error put back again and again.
    poison = _signed(_fields(key="99\x0001"))

    results = inbox.messages_receive(receiver=orgs["county_a"], raws=[good_before, poison, good_after])

    assert results[0].outcome == "applied" and results[2].outcome == "applied"
    assert (results[1].outcome, results[1].reason) == ("dead", "malformed")
    with schema_context(orgs["county_a"].schema_name):
        assert Replica.objects.filter(source="410600", body__title__startswith="批量文件").count() == 2
