"""Outbox → envelope → inbox, in process, inside the test's rolled-back transaction
(the transports are tested against the real RabbitMQ / PostgreSQL in test_bus*.py)."""

import base64
import datetime
import json
import uuid

import pytest
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.buskeys.models import OrganizationBusKeys
from sync import inbox
from sync.envelope import MAX_MESSAGE_BYTES, canonical_json
from sync.keys import private_keys, public_keys
from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica, SharedCopy
from sync.relay import message_encode
from tenants.guidance.services import guidance_document_issue, guidance_document_revise, guidance_document_withdraw
from tenants.statistics.services import statistics_report_submit

TODAY = datetime.date(2026, 3, 1)


def _outbox(org, **filters):
    with schema_context(org.schema_name):
        return list(OutboxMessage.objects.filter(**filters).order_by("id"))


def _deliver(source, row, receiver):
    """What relay + consumer do, minus the transport."""
    with schema_context(source.schema_name):
        raw = message_encode(row=row, source_code=source.code)
    return inbox.message_receive(receiver=receiver, raw=raw)


def _issue(orgs, **extra):
    with schema_context(orgs["city"].schema_name):
        return guidance_document_issue(
            title="巡察工作底稿模板", doc_type="template", issued_on=TODAY, content="正文", **extra
        )


def test_a_change_writes_one_outbox_row_per_child_in_the_same_transaction(orgs):
    document = _issue(orgs)
    rows = _outbox(orgs["city"], record_key=str(document.pk), record_type="guidance.document")
    assert sorted(row.destination for row in rows) == ["410611", "410621", "410622"]
    assert {row.version for row in rows} == {1}
    assert all(row.sent_at is None and row.body["title"] == "巡察工作底稿模板" for row in rows)


def test_applied_once_duplicates_and_reordering_change_nothing(orgs):
    document = _issue(orgs)
    with schema_context(orgs["city"].schema_name):
        guidance_document_revise(document=document, title="修订版")
    v1, v2 = [row for row in _outbox(orgs["city"], record_key=str(document.pk), destination="410621")]
    county = orgs["county_a"]
    assert _deliver(orgs["city"], v2, county).outcome == inbox.APPLIED
    assert _deliver(orgs["city"], v1, county).outcome == inbox.STALE  # older arrives late
    assert _deliver(orgs["city"], v2, county).outcome == inbox.DUPLICATE  # same message again
    with schema_context(county.schema_name):
        replica = Replica.objects.get(source="410600", record_key=str(document.pk))
        assert (replica.version, replica.body["title"]) == (2, "修订版")
        applied = InboxMessage.objects.filter(record_key=str(document.pk), outcome="applied")
        assert applied.count() == 1


def test_withdrawal_when_classification_rises_to_confidential(orgs):
    document = _issue(orgs)
    with schema_context(orgs["city"].schema_name):
        guidance_document_revise(document=document, classification=Classification.CONFIDENTIAL)
        copies = SharedCopy.objects.filter(record_key=str(document.pk))
        assert copies.count() == 3 and all(copy.tombstone and copy.body is None for copy in copies)
    latest = _outbox(orgs["city"], record_key=str(document.pk), destination="410622")
    assert [(row.version, row.tombstone, row.body is None) for row in latest] == [(1, False, False), (2, True, True)]
    for row in latest:
        _deliver(orgs["city"], row, orgs["county_b"])
    with schema_context(orgs["county_b"].schema_name):
        replica = Replica.objects.get(source="410600", record_key=str(document.pk))
        assert replica.tombstone and replica.body is None and replica.version == 2


def test_deletion_is_a_tombstone_to_every_holder(orgs):
    document = _issue(orgs)
    key = str(document.pk)
    with schema_context(orgs["city"].schema_name):
        guidance_document_withdraw(document=document)
    rows = _outbox(orgs["city"], record_key=key, tombstone=True)
    assert sorted(row.destination for row in rows) == ["410611", "410621", "410622"]
    assert {row.version for row in rows} == {2}


def test_secret_bodies_are_sealed_and_open_only_for_the_destination(orgs):
    document = _issue(orgs, classification=Classification.SECRET)
    row = _outbox(orgs["city"], record_key=str(document.pk), destination="410621")[0]
    with schema_context(orgs["city"].schema_name):
        raw = message_encode(row=row, source_code="410600")
    assert "巡察工作底稿模板".encode() not in raw and b"sealed" in raw
    wire = json.loads(raw)
    assert wire["envelope"]["body"] is None
    # Re-addressed to another county (re-signed by the real source), the seal does not open there.
    assert inbox.message_receive(receiver=orgs["county_a"], raw=raw).outcome == inbox.APPLIED
    with schema_context(orgs["county_a"].schema_name):
        assert Replica.objects.get(record_key=str(document.pk)).body["title"] == "巡察工作底稿模板"
    wire["envelope"]["destination"] = "410622"
    resigned = canonical_json(
        {
            "envelope": wire["envelope"],
            "signature": base64.b64encode(
                private_keys("410600").signing.sign(canonical_json(wire["envelope"]))
            ).decode(),
        }
    )
    verdict = inbox.message_receive(receiver=orgs["county_b"], raw=resigned)
    assert (verdict.outcome, verdict.reason) == (inbox.DEAD, "unsealable")


@pytest.mark.parametrize("classification", [Classification.INTERNAL, Classification.SECRET])
def test_the_wire_bytes_are_the_canonical_json_of_the_signed_envelope(orgs, classification):
    """The relay serialises the envelope once and writes the wire around the signed bytes: they must be exactly
    what canonical JSON of {"envelope", "signature"} gives, clear body and sealed body alike."""
    document = _issue(orgs, classification=classification, summary='引号"、反斜杠\\和换行\n')
    row = _outbox(orgs["city"], record_key=str(document.pk), destination="410621")[0]
    with schema_context(orgs["city"].schema_name):
        raw = message_encode(row=row, source_code="410600")
    wire = json.loads(raw)
    assert raw == canonical_json(wire)
    public_keys("410600").signing.verify(base64.b64decode(wire["signature"]), canonical_json(wire["envelope"]))


def test_statistics_travel_up_to_the_city(orgs):
    with schema_context(orgs["county_a"].schema_name):
        statistics_report_submit(period="2026-Q1", rounds=2, findings=5, rectification_items=4, rectification_closed=1)
    rows = _outbox(orgs["county_a"], record_key="2026-Q1")
    assert [row.destination for row in rows] == ["410600"]
    assert _deliver(orgs["county_a"], rows[0], orgs["city"]).outcome == inbox.APPLIED
    with schema_context(orgs["city"].schema_name):
        assert Replica.objects.get(source="410621", record_key="2026-Q1").body["findings"] == 5


def _signed(fields: dict, signer="410600") -> bytes:
    return canonical_json(
        {
            "envelope": fields,
            "signature": base64.b64encode(private_keys(signer).signing.sign(canonical_json(fields))).decode(),
        }
    )


def _fields(**overrides):
    fields = {
        "format": 1,
        "id": str(uuid.uuid4()),
        "type": "guidance.document",
        "schema": 1,
        "source": "410600",
        "destination": "410621",
        "key": "999001",
        "version": 1,
        "classification": 1,
        "tombstone": False,
        "body": {"title": "t", "classification": 1},
        "sealed": None,
    }
    fields.update(overrides)
    return fields


BAD_MESSAGES = [
    ("malformed", lambda: b"\xff\xfe not json"),
    ("malformed", lambda: canonical_json({"envelope": {"format": 1}})),
    ("oversized", lambda: b"{" + b" " * (MAX_MESSAGE_BYTES + 1) + b"}"),
    ("unsigned", lambda: canonical_json({"envelope": _fields(), "signature": None})),
    ("forged", lambda: _signed(_fields(), signer="410622")),  # signed by someone else's key
    ("forged", lambda: _signed(_fields()).replace(b'"title":"t"', b'"title":"T"')),  # altered after signing
    ("misaddressed", lambda: _signed(_fields(destination="410622"))),
    ("unknown-type", lambda: _signed(_fields(type="clues.clue_v2"))),
    ("unknown-type", lambda: _signed(_fields(schema=9))),
    ("unknown-source", lambda: _signed(_fields(source="419999"))),
    ("policy", lambda: _signed(_fields(body={"title": "t", "classification": 1, "informant": "张三"}))),
    ("policy", lambda: _signed(_fields(classification=2, body={"title": "t", "classification": 2}))),  # unsealed
    ("policy", lambda: _signed(_fields(source="410622", destination="410621"), signer="410622")),  # sibling
]


@pytest.mark.parametrize("reason,make", BAD_MESSAGES, ids=[f"{i}-{r}" for i, (r, _) in enumerate(BAD_MESSAGES)])
def test_bad_messages_are_dead_lettered_with_their_reason_and_never_applied(orgs, reason, make):
    raw = make()
    verdict = inbox.message_receive(receiver=orgs["county_a"], raw=raw)
    assert (verdict.outcome, verdict.reason) == (inbox.DEAD, reason)
    with schema_context(orgs["county_a"].schema_name):
        assert not Replica.objects.filter(record_key="999001").exists()
        letter = DeadLetter.objects.get(reason=reason, size=len(raw))
        assert "张三" not in letter.detail  # no record content in what operators see
    # Delivered again, it is recorded once.
    inbox.message_receive(receiver=orgs["county_a"], raw=raw)
    with schema_context(orgs["county_a"].schema_name):
        assert DeadLetter.objects.filter(size=len(raw), reason=reason).count() == 1


def test_public_keys_are_per_organisation(orgs):
    assert public_keys("410600").signing != public_keys("410621").signing
    holders = set(OrganizationBusKeys.objects.values_list("organization__code", flat=True))
    assert holders >= {"410000", "410600", "410621", "410622", "410611"}
