"""The consumer applies the messages that arrive together for one organisation in one transaction;
one message that fails cannot hold the others up (in process, inside the test's transaction)."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from sync import inbox, transport
from sync.models import DeadLetter, InboxMessage, Replica
from sync.relay import message_encode
from sync.transport import batch_handle_in_worker
from tenants.guidance.services import guidance_document_issue, guidance_document_revise
from tenants.statistics.services import statistics_report_submit
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


def _two_versions(orgs, first_title, revised_title):
    """A document issued and revised by the city: the document and its two messages to county_a."""
    with schema_context(orgs["city"].schema_name):
        document = guidance_document_issue(title=first_title, doc_type="template", issued_on=TODAY, content="正文")
        guidance_document_revise(document=document, title=revised_title)
    v1, v2 = [
        _raw(orgs["city"], row) for row in _outbox(orgs["city"], record_key=str(document.pk), destination="410621")
    ]
    return document, v1, v2


def test_a_batch_gives_each_message_its_own_verdict_in_order(orgs):
    document, v1, v2 = _two_versions(orgs, "批量初版", "批量修订版")
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


def _reports(orgs, county_names, period):
    """One statistics report per county (up to the city: a type without on_receive), as the relay sends it."""
    raws = []
    for name in county_names:
        county = orgs[name]
        with schema_context(county.schema_name):
            statistics_report_submit(period=period, findings=2, rounds=1)
        raws.append(_raw(county, _outbox(county, record_type="statistics.report", record_key=period)[-1]))
    return raws


def test_a_batch_of_plain_messages_costs_the_same_statements_whatever_its_size(orgs):
    two, ten = _documents(orgs, 2), _documents(orgs, 10)
    with CaptureQueriesContext(connection) as small:
        assert [r.outcome for r in inbox.messages_receive(receiver=orgs["county_a"], raws=two)] == ["applied"] * 2
    with CaptureQueriesContext(connection) as large:
        assert [r.outcome for r in inbox.messages_receive(receiver=orgs["county_a"], raws=ten)] == ["applied"] * 10
    # Multi-row statements: the inbox rows, the replicas and the outcomes of a batch of ten in as many
    # statements as for two (it was three per message).
    assert len(large) == len(small), [query["sql"][:60] for query in large.captured_queries]
    with schema_context(orgs["county_a"].schema_name):
        assert Replica.objects.filter(source="410600", body__title__startswith="批量文件").count() == 12


def test_two_versions_and_a_repeat_of_one_record_in_one_batch(orgs):
    document, v1, v2 = _two_versions(orgs, "同批初版", "同批修订版")

    results = inbox.messages_receive(receiver=orgs["county_a"], raws=[v1, v2, v1])

    # Receivers trust versions: the newer of the two is what is held, the older one is stale, the repeat is
    # a duplicate (its message id was seen), and each message id has one inbox row.
    assert [r.outcome for r in results] == ["stale", "applied", "duplicate"]
    with schema_context(orgs["county_a"].schema_name):
        replica = Replica.objects.get(source="410600", record_key=str(document.pk))
        assert (replica.version, replica.body["title"]) == (2, "同批修订版")
        assert sorted(
            InboxMessage.objects.filter(source="410600", record_key=str(document.pk)).values_list("version", "outcome")
        ) == [(1, "stale"), (2, "applied")]


def test_a_receiver_failing_on_one_message_dead_letters_only_it_and_applies_the_rest(orgs):
    county_a_report, county_b_report = _reports(orgs, ["county_a", "county_b"], "2031-07")
    # Signed by the province, allowed by the policy, but the city's receiver cannot read its revision (not a
    # number): it fails inside the batch's transaction, which is then done message by message.
    receipt = _signed(
        _fields(
            type="reports.filing_receipt",
            source="410000",
            destination="410600",
            key="receipt-2031",
            body={"filing_key": "1", "filing_revision": "第二版", "status": "received", "classification": 1},
        ),
        signer="410000",
    )

    results = inbox.messages_receive(receiver=orgs["city"], raws=[county_a_report, receipt, county_b_report])

    assert [(r.outcome, r.reason) for r in results] == [("applied", ""), ("dead", "refused"), ("applied", "")]
    with schema_context(orgs["city"].schema_name):
        assert sorted(
            Replica.objects.filter(record_type="statistics.report", record_key="2031-07").values_list(
                "source", flat=True
            )
        ) == ["410621", "410622"]
        assert not Replica.objects.filter(record_type="reports.filing_receipt", record_key="receipt-2031").exists()
        assert list(DeadLetter.objects.filter(record_key="receipt-2031").values_list("reason", flat=True)) == [
            "refused"
        ]


def test_a_worker_health_checks_its_connection_only_after_it_was_idle(db, monkeypatch):
    """The consumer's worker thread does not send SELECT 1 before every batch (Django's health check after
    close_old_connections): a connection the previous batch used a moment ago is known to work; one idle
    for HEALTH_CHECK_IDLE_SECONDS is checked again."""
    checks: list[int] = []
    wrapper = type(connections["default"])
    is_usable = wrapper.is_usable

    def counting(self):
        checks.append(threading.get_ident())
        return is_usable(self)

    monkeypatch.setattr(wrapper, "is_usable", counting)

    def handle(receiver, bodies):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return [None] * len(bodies)

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        for _batch in range(3):  # the first opens the connection, the next two reuse it at once
            assert pool.submit(batch_handle_in_worker, handle, None, [b"x"]).result() == [None]
        assert checks == []
        monkeypatch.setattr(transport, "HEALTH_CHECK_IDLE_SECONDS", 0.0)  # as if the worker had been idle
        assert pool.submit(batch_handle_in_worker, handle, None, [b"x"]).result() == [None]
        assert len(checks) == 1  # checked once, before that batch
    finally:
        pool.submit(connections.close_all).result()
        pool.shutdown()
