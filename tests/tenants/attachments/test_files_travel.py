"""Files on the bus with their record (issue 15 point 4; docs/SYNC.md "Files with their record"), in process
(each outbox row encoded as the relay sends it, received as a consumer does): a file goes only where its record
is held, in pieces, sealed with the record from 秘密; the receiver shows it only once every piece arrived and the
content's digest is the manifest's; a withdrawn record withdraws its files. Guidance documents (city → its
counties) are the owner here; the rectification evidence going up is in test_evidence_travel.py."""

from __future__ import annotations

import datetime
import json

from django.test import override_settings
from django_tenants.utils import schema_context

from sync import inbox
from sync.models import OutboxMessage
from sync.relay import message_encode
from sync.replicas import replicas_of
from sync.testing import messages_deliver
from tenants.attachments.models import ReceivedChunk, ReceivedFile
from tenants.attachments.travel import received_files
from tenants.audit.models import AuditEvent
from tenants.guidance.services import guidance_document_issue, guidance_document_revise, guidance_document_withdraw
from tests.tenants.attachments.test_evidence_files import pdf_bytes, png_bytes, upload

TODAY = datetime.date(2026, 3, 1)
FILE_TYPES = ("guidance.document", "attachments.file", "attachments.chunk")


def _issue(city, *, classification=1, files=()):
    with schema_context(city.schema_name):
        return guidance_document_issue(
            title="巡察底稿模板",
            doc_type="template",
            issued_on=TODAY,
            content="正文",
            classification=classification,
            files=files,
        )


def _rows(org, destination, record_type):
    with schema_context(org.schema_name):
        return list(
            OutboxMessage.objects.filter(
                destination=destination, record_type=record_type, sent_at__isnull=True
            ).order_by("id")
        )


def _deliver_rows(source, rows, receiver):
    with schema_context(source.schema_name):
        encoded = [message_encode(row=row, source_code=source.code) for row in rows]
        OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
            sent_at=datetime.datetime.now(datetime.UTC)
        )
    return [inbox.message_receive(receiver=receiver, raw=raw).outcome for raw in encoded]


def _deliver(city, county):
    outcomes = []
    for record_type in FILE_TYPES:
        outcomes += [v.outcome for v in messages_deliver(source=city, receivers=[county], record_type=record_type)]
    return outcomes


def _received(county, document, clearance=1):
    with schema_context(county.schema_name):
        replicas = replicas_of(record_type="guidance.document", keys=[str(document.pk)])
        return received_files(replicas=replicas, clearance=clearance).get(("410600", str(document.pk)), [])


@override_settings(XUNCHA_ATTACHMENT_CHUNK_BYTES=400)
def test_a_file_goes_in_pieces_and_is_shown_only_once_every_piece_arrived(orgs, make_member, client):
    city, county = orgs["city"], orgs["county_a"]
    content = png_bytes((10, 120, 200))
    document = _issue(city, files=[upload("底稿模板.png", content)])
    pieces = _rows(city, "410621", "attachments.chunk")
    assert len(pieces) == -(-len(content) // 400) >= 3  # one message a piece of at most 400 bytes
    # to each county the city's document reaches, and nowhere else
    with schema_context(city.schema_name):
        assert set(
            OutboxMessage.objects.filter(record_type="attachments.file").values_list("destination", flat=True)
        ) == {"410611", "410621", "410622"}

    assert _deliver_rows(city, _rows(city, "410621", "guidance.document"), county) == ["applied"]
    assert _deliver_rows(city, _rows(city, "410621", "attachments.file"), county) == ["applied"]
    assert _deliver_rows(city, pieces[:-1], county) == ["applied"] * (len(pieces) - 1)
    assert _received(county, document) == []  # not whole yet: nothing shown
    with schema_context(county.schema_name):
        assert ReceivedChunk.objects.filter(source="410600").count() == len(pieces) - 1

    assert _deliver_rows(city, pieces[-1:], county) == ["applied"]
    [received] = _received(county, document)
    assert (received.name, received.size, received.content_type) == ("底稿模板.png", len(content), "image/png")
    with schema_context(county.schema_name):
        assert ReceivedChunk.objects.filter(source="410600").count() == 0  # the pieces make the file now

    reader = make_member(county, "office_staff")
    client.force_login(reader)
    page = client.get(f"/org/410621/attachments/received/{received.pk}/")
    assert page.status_code == 200
    assert page.content == content  # the same bytes
    with schema_context(county.schema_name):
        event = AuditEvent.objects.filter(record_type="attachments.receivedfile", record_key=str(received.pk)).get()
        assert json.loads(event.detail) == {"sha256": received.sha256, "watermarked": False}


@override_settings(XUNCHA_ATTACHMENT_CHUNK_BYTES=300)
def test_pieces_arriving_in_any_order_and_twice_make_the_file_once(orgs):
    city, county = orgs["city"], orgs["county_a"]
    content = pdf_bytes(3)
    document = _issue(city, files=[upload("指引.pdf", content)])
    pieces = _rows(city, "410621", "attachments.chunk")
    assert len(pieces) >= 2
    with schema_context(city.schema_name):
        encoded = [message_encode(row=row, source_code=city.code) for row in reversed(pieces)]
    for raw in encoded:  # pieces first, in reverse, before the record and its manifest
        assert inbox.message_receive(receiver=county, raw=raw).outcome == "applied"
    assert _received(county, document) == []
    assert _deliver(city, county).count("applied") == 2  # the document and the manifest
    [received] = _received(county, document)
    assert received.sha256 and received.size == len(content)
    assert inbox.message_receive(receiver=county, raw=encoded[0]).outcome == "duplicate"
    assert len(_received(county, document)) == 1


@override_settings(XUNCHA_ATTACHMENT_CHUNK_BYTES=500)
def test_a_file_whose_pieces_do_not_match_its_digest_is_never_shown(orgs):
    city, county = orgs["city"], orgs["county_a"]
    document = _issue(city, files=[upload("样表.png", png_bytes((1, 2, 3)))])
    with schema_context(city.schema_name):
        # a sender whose piece is not what its manifest announced (signed as sent: only the digest tells)
        piece = OutboxMessage.objects.filter(destination="410621", record_type="attachments.chunk").order_by("id")[0]
        piece.body = {**piece.body, "data": "AAAA" + piece.body["data"][4:]}
        piece.save(update_fields=["body"])
    assert set(_deliver(city, county)) == {"applied"}
    assert _received(county, document) == []


def test_a_secret_document_s_files_travel_sealed_and_open_only_to_who_is_cleared(orgs, make_member, client):
    city, county = orgs["city"], orgs["county_a"]
    content = png_bytes((200, 200, 200))
    document = _issue(city, classification=2, files=[upload("秘密附件.png", content)])
    with schema_context(city.schema_name):
        rows = OutboxMessage.objects.filter(destination="410621", record_type__startswith="attachments.")
        raws = [message_encode(row=row, source_code=city.code) for row in rows]
        clear = [row.body["data"][:40] for row in rows if row.record_type == "attachments.chunk"] + ["秘密附件"]
    wire = [json.loads(raw)["envelope"] for raw in raws]
    assert wire and all(envelope["sealed"] and envelope["body"] is None for envelope in wire)
    assert not any(text.encode() in raw or json.dumps(text)[1:-1].encode() in raw for text in clear for raw in raws)
    assert {envelope["classification"] for envelope in wire} == {2}
    assert set(_deliver(city, county)) == {"applied"}
    assert _received(county, document, clearance=1) == []  # above an internal reader's clearance
    [received] = _received(county, document, clearance=2)
    assert received.classification == 2

    internal = make_member(county, "office_staff", clearance=1)
    client.force_login(internal)
    assert client.get(f"/org/410621/attachments/received/{received.pk}/").status_code == 403
    cleared = make_member(county, "office_staff", clearance=2)
    client.force_login(cleared)
    page = client.get(f"/org/410621/attachments/received/{received.pk}/")
    assert page.status_code == 200
    assert page.content != content and page.content[:8] == content[:8]  # a PNG still, watermarked for the reader
    with schema_context(county.schema_name):
        event = AuditEvent.objects.filter(record_type="attachments.receivedfile", record_key=str(received.pk)).get()
        assert json.loads(event.detail)["watermarked"] is True


@override_settings(XUNCHA_ATTACHMENT_CHUNK_BYTES=600)
def test_a_withdrawn_document_withdraws_its_files(orgs):
    city, county = orgs["city"], orgs["county_a"]
    document = _issue(city, files=[upload("模板.pdf", pdf_bytes(2))])
    assert set(_deliver(city, county)) == {"applied"}
    assert len(_received(county, document)) == 1
    with schema_context(city.schema_name):
        guidance_document_revise(document=document, classification=3)  # 机密 never leaves: withdrawn
        tombstones = OutboxMessage.objects.filter(destination="410621", sent_at__isnull=True)
        assert set(tombstones.values_list("record_type", "tombstone")) == {
            ("guidance.document", True),
            ("attachments.file", True),
            ("attachments.chunk", True),
        }
    assert set(_deliver(city, county)) == {"applied"}
    with schema_context(county.schema_name):
        assert not ReceivedFile.objects.filter(source="410600").exists()
        assert not ReceivedChunk.objects.filter(source="410600").exists()

    with schema_context(city.schema_name):  # lowered again: the record and its files go again
        guidance_document_revise(document=document, classification=1)
    assert set(_deliver(city, county)) == {"applied"}
    assert len(_received(county, document)) == 1
    with schema_context(city.schema_name):
        guidance_document_withdraw(document=document)
    assert set(_deliver(city, county)) == {"applied"}
    with schema_context(county.schema_name):
        assert not ReceivedFile.objects.filter(source="410600").exists()


@override_settings(XUNCHA_ATTACHMENT_CHUNK_BYTES=700)
def test_a_record_raised_to_secret_re_sends_its_files_sealed_at_its_level(orgs):
    city, county = orgs["city"], orgs["county_a"]
    document = _issue(city, files=[upload("附件.pdf", pdf_bytes(2))])
    assert set(_deliver(city, county)) == {"applied"}
    assert [f.classification for f in _received(county, document)] == [1]
    with schema_context(city.schema_name):
        guidance_document_revise(document=document, classification=2)
        again = OutboxMessage.objects.filter(destination="410621", sent_at__isnull=True)
        assert set(again.values_list("record_type", "classification", "tombstone")) == {
            ("guidance.document", 2, False),
            ("attachments.file", 2, False),
            ("attachments.chunk", 2, False),
        }
        raws = [message_encode(row=row, source_code=city.code) for row in again]
    assert all(json.loads(raw)["envelope"]["sealed"] for raw in raws)
    assert set(_deliver(city, county)) == {"applied"}
    assert _received(county, document, clearance=1) == []
    assert [f.classification for f in _received(county, document, clearance=2)] == [2]
