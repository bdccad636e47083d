"""Bundles (issue 16 point 4), in one database: this deployment exports to a remote county whose keys the test
holds (so it can open what only that county could), and imports bundles the test signs as the county's
deployment would. What the far side does is the same code (`bundle_import`); the two-database round trip is
tests/deployments/."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from shared.orgs.models import BundleRecord
from sync.bundles import BundleError, bundle_backlog, bundle_export, bundle_import
from sync.envelope import EnvelopeError, canonical_json, digest, envelope_parse, payload_open
from sync.keys import keys_cache_clear
from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica
from sync.peers import peer_import
from tenants.guidance.services import guidance_document_issue
from tests.sync.farside import PEER, REMOTE, REMOTE_CITY, FarSide


@pytest.fixture
def far(orgs):
    return FarSide()


def _record(version, body):
    return ("statistics.report", "2026-08", version, digest(version=version, tombstone=False, body=body), False)


def _city_replica(orgs):
    with schema_context(orgs["city"].schema_name):
        return Replica.objects.filter(source=REMOTE, record_type="statistics.report").first()


def test_the_export_holds_every_waiting_message_sealed_to_the_destination_and_acks_mark_them_delivered(orgs, far):
    with schema_context(orgs["city"].schema_name):
        document = guidance_document_issue(
            title="远端模板", doc_type="template", issued_on=datetime.date(2026, 3, 1), content="正文"
        )
        waiting = OutboxMessage.objects.get(record_key=str(document.pk), destination=REMOTE)
    (backlog,) = bundle_backlog()
    assert (backlog.code, backlog.peer, backlog.waiting, backlog.last_exported) == (REMOTE, PEER, 1, None)
    assert backlog.oldest is not None
    raw = bundle_export(to=REMOTE)
    outer = json.loads(raw)
    assert (outer["header"]["kind"], outer["header"]["to"]) == ("messages", REMOTE)
    assert "远端模板".encode() not in raw and b"guidance.document" not in raw  # nothing readable in the file
    contents = payload_open(
        sealed=outer["payload"]["sealed"], recipient=far.sealing, aad=canonical_json(outer["header"])
    )
    (message,) = [base64.b64decode(item) for item in contents["messages"]]
    fields, header, _signature = envelope_parse(message)
    assert (header.source, header.destination, header.message_id) == ("410600", REMOTE, str(waiting.message_id))
    assert fields["body"]["title"] == "远端模板"
    (pair,) = contents["expected"]["pairs"]
    assert (pair["owner"], pair["destination"], pair["records"][0][:3]) == (
        "410600",
        REMOTE,
        ["guidance.document", str(document.pk), 1],
    )
    with pytest.raises(BundleError, match="不是其他部署"):
        bundle_export(to="410621")  # a hosted county gets its messages over the bus
    # Until the far side acknowledges, the next export carries it again; the ack marks it delivered.
    assert len(json.loads(bundle_export(to=REMOTE))["payload"]["sealed"]["ct"]) > 0
    with pytest.raises(BundleError, match="签名"):
        bundle_import(raw=far.ack([str(waiting.message_id)], key=Ed25519PrivateKey.generate()))
    result = bundle_import(raw=far.ack([str(waiting.message_id)]))
    assert (result.kind, result.acknowledged, result.repeated) == ("ack", 1, False)
    with schema_context(orgs["city"].schema_name):
        assert OutboxMessage.objects.get(pk=waiting.pk).sent_at is not None
    (backlog,) = bundle_backlog()
    assert (backlog.waiting, backlog.oldest) == (0, None)
    assert backlog.last_exported is not None and backlog.last_acknowledged is not None
    again = bundle_import(raw=far.ack([str(waiting.message_id)]))
    assert (again.acknowledged, again.repeated) == (0, True)
    assert list(BundleRecord.objects.order_by("id").values_list("kind", flat=True)) == [
        "exported",
        "exported",
        "ack",
        "ack",
    ]


def test_an_imported_bundle_is_applied_through_the_inbox_and_answered_with_a_signed_ack(orgs, far):
    raw, body = far.statistics(version=1, findings=7)
    result = bundle_import(raw=far.bundle([raw], expected_records=[_record(1, body)]))
    assert (result.outcomes, result.missing, result.repeated) == ({"applied": 1}, 0, False)
    assert _city_replica(orgs).body["findings"] == 7
    ack = json.loads(result.ack)
    message_id = envelope_parse(raw)[1].message_id
    acknowledged = far.open_ack(result.ack)["acknowledged"]
    assert (ack["header"]["kind"], ack["header"]["to"], acknowledged) == ("ack", "410600", [message_id])
    # Twice: the inbox knows the message; nothing changes, and the result says it was imported before.
    bundle = far.bundle([raw], expected_records=[_record(1, body)], sequence=9)
    bundle_import(raw=bundle)
    twice = bundle_import(raw=bundle)
    assert (twice.outcomes, twice.repeated) == ({"duplicate": 1}, True)
    with schema_context(orgs["city"].schema_name):
        assert InboxMessage.objects.filter(message_id=message_id).count() == 1


def test_an_older_bundle_after_a_newer_one_leaves_the_newer_version(orgs, far):
    old, _ = far.statistics(version=1, findings=3)
    new, body = far.statistics(version=2, findings=5)
    older_bundle = far.bundle([old])
    newer_bundle = far.bundle([new], expected_records=[_record(2, body)])
    assert bundle_import(raw=newer_bundle).outcomes == {"applied": 1}
    assert bundle_import(raw=older_bundle).outcomes == {"stale": 1}
    replica = _city_replica(orgs)
    assert (replica.version, replica.body["findings"]) == (2, 5)


def test_a_record_the_destination_lacks_is_asked_for_again_in_the_ack(orgs, far):
    _raw, body = far.statistics(version=4, findings=1)  # expected, but its message was never carried
    result = bundle_import(raw=far.bundle([], expected_records=[_record(4, body)]))
    assert result.missing == 1
    (pair,) = far.open_ack(result.ack)["differences"]["pairs"]
    assert (pair["owner"], pair["destination"], pair["resend"]) == (
        REMOTE,
        "410600",
        [["statistics.report", "2026-08"]],
    )


def test_a_forged_envelope_inside_a_genuine_bundle_is_dead_lettered_and_the_rest_applied(orgs, far):
    good, _ = far.statistics(version=1, findings=7)
    forged, _ = far.statistics(version=2, findings=99, key=Ed25519PrivateKey.generate())
    result = bundle_import(raw=far.bundle([good, forged]))
    assert result.outcomes == {"applied": 1, "dead": 1}
    assert _city_replica(orgs).body["findings"] == 7


def _spoil_byte(raw):
    document = json.loads(raw)
    ct = document["payload"]["sealed"]["ct"]
    document["payload"]["sealed"]["ct"] = ("A" if ct[0] != "A" else "B") + ct[1:]
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda far, raw: _spoil_byte(far.bundle([raw])), "签名"),
        (lambda far, raw: far.bundle([raw])[:-40], "截断"),
        (lambda far, raw: far.bundle([raw], key=Ed25519PrivateKey.generate()), "签名"),
        (lambda far, raw: far.bundle([raw], name="stranger-site"), "不信任"),
        (lambda far, raw: far.bundle([raw], sealed_to=X25519PrivateKey.generate().public_key()), "无法用"),
        (lambda far, raw: far.bundle([raw], to=REMOTE), "不在本部署"),  # a remote organisation
    ],
    ids=["altered", "truncated", "forged", "unknown-signer", "sealed-for-another", "not-hosted-here"],
)
def test_bad_bundles_are_refused_in_chinese_before_anything_is_applied(orgs, far, make, reason):
    raw, _ = far.statistics(version=1, findings=7)
    with pytest.raises(BundleError, match=reason):
        bundle_import(raw=make(far, raw))
    assert _city_replica(orgs) is None
    with schema_context(orgs["city"].schema_name):
        assert not InboxMessage.objects.exists()
    assert not BundleRecord.objects.exists()


def test_the_command_writes_the_ack_and_refuses_in_chinese(orgs, far, tmp_path, capsys):
    raw, _ = far.statistics(version=1, findings=7)
    path = tmp_path / "bundle.json"
    path.write_bytes(far.bundle([raw]))
    call_command("sync", "bundle", "import", str(path))
    out = capsys.readouterr().out
    assert "410600" in out and (tmp_path / "bundle.json.ack.json").exists()
    assert json.loads((tmp_path / "bundle.json.ack.json").read_bytes())["header"]["kind"] == "ack"
    path.write_bytes(far.bundle([raw])[:100])
    with pytest.raises(CommandError, match="截断"):
        call_command("sync", "bundle", "import", str(path))
    with schema_context(orgs["city"].schema_name):
        guidance_document_issue(title="命令导出", doc_type="template", issued_on=datetime.date(2026, 3, 1))
    call_command("sync", "bundle", "export", "--to", REMOTE, str(tmp_path / "out.json"))
    assert json.loads((tmp_path / "out.json").read_bytes())["header"]["to"] == REMOTE


def test_the_acknowledgement_is_sealed_to_the_exporter_and_names_no_record_in_clear(orgs, far):
    carried, body = far.statistics(version=1, findings=2)
    _lacking, lacking_body = far.statistics(version=3, findings=9)  # expected, never carried: the ack asks for it
    result = bundle_import(raw=far.bundle([carried], expected_records=[_record(3, lacking_body)]))
    message_id = envelope_parse(carried)[1].message_id
    opened = far.open_ack(result.ack)  # the exporter (the remote county) reads it with its own key
    assert opened["acknowledged"] == [message_id]
    assert opened["differences"]["pairs"][0]["resend"] == [["statistics.report", "2026-08"]]
    for clear in (b"statistics.report", b"2026-08", message_id.encode(), b"resend"):
        assert clear not in result.ack, clear
    assert json.loads(result.ack)["header"]["sealed_to"] == REMOTE
    document = json.loads(result.ack)
    with pytest.raises(EnvelopeError):  # sealed to the exporter: another key cannot open it
        payload_open(
            sealed=document["payload"]["sealed"],
            recipient=X25519PrivateKey.generate(),
            aad=canonical_json(document["header"]),
        )


def test_an_office_exports_only_its_own_messages_and_takes_only_its_own_acks(orgs):
    far = FarSide(with_city=True)
    with schema_context(orgs["province"].schema_name):
        guidance_document_issue(title="省级模板", doc_type="template", issued_on=datetime.date(2026, 3, 1))
    with schema_context(orgs["city"].schema_name):
        guidance_document_issue(title="市级模板", doc_type="template", issued_on=datetime.date(2026, 3, 1))
    waiting = {row.code: row.waiting for row in bundle_backlog(office="410600")}
    assert waiting == {REMOTE: 1, REMOTE_CITY: 0}
    assert {row.code: row.waiting for row in bundle_backlog()} == {REMOTE: 1, REMOTE_CITY: 1}
    # The city's bundle for the remote city holds none of the province's messages; the command's holds it.
    own = far.open_bundle(bundle_export(to=REMOTE_CITY, office="410600"), sealing=far.city_sealing)
    assert own["messages"] == [] and own["expected"]["pairs"] == []
    everyone = far.open_bundle(bundle_export(to=REMOTE_CITY), sealing=far.city_sealing)
    (message,) = [envelope_parse(base64.b64decode(item))[1] for item in everyone["messages"]]
    assert (message.source, message.destination) == ("410000", REMOTE_CITY)
    # An ack answering the city's bundle is refused on the province's behalf, and taken on the city's.
    raw = bundle_export(to=REMOTE, office="410600")
    assert json.loads(raw)["header"]["reply_to"] == "410600"
    (city_message,) = [envelope_parse(base64.b64decode(item))[1] for item in far.open_bundle(raw)["messages"]]
    ack = far.ack([city_message.message_id], sealed_to="410600")
    with pytest.raises(BundleError, match="不是本单位"):
        bundle_import(raw=ack, office="410000")
    assert bundle_import(raw=ack, office="410600").acknowledged == 1
    assert {row.code: row.waiting for row in bundle_backlog(office="410600")} == {REMOTE: 0, REMOTE_CITY: 0}


def test_messages_signed_with_a_rotated_key_are_refused_until_the_rotation_is_imported_then_sent_again(orgs, far):
    """deploy/README.md "A key rotated while a bundle or a link is in transit": the receiver cannot tell a message
    signed with a key it has not been told of from a forgery, so it dead-letters it (never holds it); the
    expected-replica digests in the same bundle make the ack ask for the record again, and once the rotation is
    imported the re-sent message applies."""
    rotation = far.rotate()
    carried, body = far.statistics(version=1, findings=4)
    first = bundle_import(raw=far.bundle([carried], expected_records=[_record(1, body)]))
    assert (first.outcomes, first.missing) == ({"dead": 1}, 1)
    assert far.open_ack(first.ack)["differences"]["pairs"][0]["resend"] == [["statistics.report", "2026-08"]]
    with schema_context(orgs["city"].schema_name):
        assert DeadLetter.objects.get(message_id=envelope_parse(carried)[1].message_id).reason == "forged"
    assert _city_replica(orgs) is None
    peer_import(raw=rotation)
    keys_cache_clear()
    # The far side re-sends what the ack asked for (sync.verify.differences_resend: a new message, same version).
    resent, _ = far.statistics(version=1, findings=4)
    second = bundle_import(raw=far.bundle([resent], expected_records=[_record(1, body)]))
    assert (second.outcomes, second.missing) == ({"applied": 1}, 0)
    assert _city_replica(orgs).body["findings"] == 4
