"""Trust between deployments (issue 16 point 2): `xuncha peer export` writes a signed list of the hosted
organisations and their PUBLIC keys; `peer import` shows fingerprints, asks, and adds them as remote
organisations; rotations and revocations travel the same way, signed, numbered and audited; forged, altered,
truncated, replayed and unknown-signer files are refused with Chinese reasons.

The "other deployment" here is played in one database: an export is taken, then this deployment's identity
and the exported organisations are renamed away so the same file reads as a stranger's (the two-database
round trip is tests/deployments/test_bundles.py)."""

from __future__ import annotations

import base64
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from shared.buskeys.keys import NO_ENCRYPTION, RAW, RAW_PRIVATE, RAW_PUBLIC
from shared.buskeys.models import DeploymentIdentity, OrganizationBusKeys
from shared.orgs.models import Organization, Peer, PeerKeyEvent
from sync.envelope import canonical_json
from sync.keys import KeyUnavailable, keys_cache_clear, private_keys, public_keys
from sync.peers import PeerDocumentError, fingerprint, peer_export, peer_import, peer_key_revoke, peer_key_rotate

# A stranger's file for this deployment: a province and a city that do not exist here.
STRANGER = "province-site"


def _stranger_file(*, sequence=1, kind="organizations", extra=None, key=None, organizations=None):
    """A peer document as another deployment would sign it (its own key, kept by the test)."""
    key = key or Ed25519PrivateKey.generate()
    document = {
        "format": "xuncha-peer/1",
        "kind": kind,
        "deployment": STRANGER,
        "deployment_key": base64.b64encode(key.public_key().public_bytes(RAW, RAW_PUBLIC)).decode(),
        "sequence": sequence,
        "issued_at": "2026-12-02T08:00:00+00:00",
        **(extra or {}),
    }
    if kind == "organizations":
        document["organizations"] = organizations or [
            _entry("420000", "province", "远端省", None),
            _entry("420100", "city", "远端市", "420000"),
        ]
    signature = key.sign(canonical_json(document))
    text = json.dumps({"document": document, "signature": base64.b64encode(signature).decode()}, ensure_ascii=False)
    return text.encode(), key


def _entry(code, kind, name, parent):
    return {
        "code": code,
        "kind": kind,
        "name": name,
        "parent": parent,
        "signing_public": base64.b64encode(
            Ed25519PrivateKey.generate().public_key().public_bytes(RAW, RAW_PUBLIC)
        ).decode(),
        "sealing_public": base64.b64encode(b"\x09" * 32).decode(),
    }


def _key_event(key, *, sequence, event, code="420100", signing=None):
    extra = {"event": event, "code": code}
    if event == "rotate":
        extra["signing_public"] = base64.b64encode(
            (signing or Ed25519PrivateKey.generate()).public_key().public_bytes(RAW, RAW_PUBLIC)
        ).decode()
        extra["sealing_public"] = base64.b64encode(b"\x0a" * 32).decode()
    return _stranger_file(sequence=sequence, kind="key-event", extra=extra, key=key)[0]


def test_the_export_is_signed_lists_every_hosted_organisation_and_holds_no_private_key(orgs):
    raw = peer_export(name="city-site")
    outer = json.loads(raw)
    document = outer["document"]
    assert (document["deployment"], document["kind"], document["sequence"]) == ("city-site", "organizations", 1)
    assert [entry["code"] for entry in document["organizations"]] == ["410000", "410600", "410611", "410621", "410622"]
    assert document["organizations"][1] == {
        "code": "410600",
        "kind": "city",
        "name": "鹤壁市",
        "parent": "410000",
        "signing_public": base64.b64encode(
            bytes(OrganizationBusKeys.objects.get(organization__code="410600").signing_public)
        ).decode(),
        "sealing_public": base64.b64encode(
            bytes(OrganizationBusKeys.objects.get(organization__code="410600").sealing_public)
        ).decode(),
    }
    # No private half (neither the sealed form stored here nor the raw key) is anywhere in the file.
    for keys in OrganizationBusKeys.objects.all():
        assert base64.b64encode(bytes(keys.signing_private_sealed)).decode() not in raw.decode()
        private = keys_private_raw(keys.organization.code)
        assert all(base64.b64encode(secret).decode() not in raw.decode() for secret in private)
        assert all(secret.hex() not in raw.decode() for secret in private)
    identity = DeploymentIdentity.objects.get()
    assert base64.b64encode(bytes(identity.signing_private_sealed)).decode() not in raw.decode()
    assert set(document) == {"format", "kind", "deployment", "deployment_key", "sequence", "issued_at", "organizations"}
    assert set(document["organizations"][0]) == {"code", "kind", "name", "parent", "signing_public", "sealing_public"}
    event = PeerKeyEvent.objects.get()
    assert (event.kind, event.received, event.sequence) == ("export", False, 1)
    assert event.fingerprint == fingerprint(bytes(identity.signing_public))
    assert peer_export() != raw and json.loads(peer_export())["document"]["sequence"] == 3  # numbered


def keys_private_raw(code):
    keys = private_keys(code)
    return [
        keys.signing.private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION),
        keys.sealing.private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION),
    ]


def test_import_adds_remote_organisations_with_their_keys_and_is_audited(orgs):
    raw, key = _stranger_file()
    document = peer_import(raw=raw, route="bundle")
    assert document.deployment_fingerprint == fingerprint(key.public_key().public_bytes(RAW, RAW_PUBLIC))
    province, city = Organization.objects.filter(code__in=["420000", "420100"]).order_by("code")
    assert (province.is_remote, city.remote_route, city.parent_id, city.peer.name) == (
        True,
        "bundle",
        province.pk,
        STRANGER,
    )
    entry = json.loads(raw)["document"]["organizations"][1]
    assert bytes(public_keys("420100").signing.public_bytes(RAW, RAW_PUBLIC)) == base64.b64decode(
        entry["signing_public"]
    )
    event = PeerKeyEvent.objects.get()
    assert (event.kind, event.received, event.peer.name, event.sequence) == ("import", True, STRANGER, 1)
    # Importing the same list again changes nothing (its number was taken).
    with pytest.raises(PeerDocumentError, match="已"):
        peer_import(raw=raw)
    assert Organization.objects.remote().count() == 2


def test_the_command_shows_fingerprints_asks_and_imports_only_on_yes(orgs, tmp_path, monkeypatch, capsys):
    raw, key = _stranger_file()
    path = tmp_path / "peer.json"
    path.write_bytes(raw)
    monkeypatch.setattr("sys.stdin", _Stdin("n\n"))
    call_command("peer", "import", str(path))
    shown = capsys.readouterr().out
    assert fingerprint(key.public_key().public_bytes(RAW, RAW_PUBLIC)) in shown
    entry = json.loads(raw)["document"]["organizations"][0]
    assert fingerprint(base64.b64decode(entry["signing_public"]), base64.b64decode(entry["sealing_public"])) in shown
    assert "未导入" in shown and not Organization.objects.filter(code="420000").exists()
    call_command("peer", "import", str(path), "--yes", "--route", "link")
    assert "已导入" in capsys.readouterr().out
    assert Organization.objects.get(code="420000").remote_route == "link"


class _Stdin:
    def __init__(self, text):
        self.text = text

    def readline(self):
        return self.text


@pytest.mark.parametrize(
    "spoil, reason",
    [
        (lambda raw: raw.replace("远端市".encode(), "伪造市".encode()), "签名不符"),
        (lambda raw: raw[: len(raw) // 2], "不完整"),
        (lambda raw: b"not json at all", "不完整"),
        (lambda raw: json.dumps({"document": {"format": "other"}}).encode(), "格式"),
    ],
    ids=["altered", "truncated", "garbage", "foreign-format"],
)
def test_altered_truncated_and_foreign_files_are_refused_in_chinese_and_write_nothing(orgs, spoil, reason):
    raw, _ = _stranger_file()
    with pytest.raises(PeerDocumentError, match=reason):
        peer_import(raw=spoil(raw))
    assert not Peer.objects.exists() and not Organization.objects.remote().exists()
    assert not PeerKeyEvent.objects.exists()


def test_a_forged_list_under_a_trusted_peers_name_is_refused(orgs):
    raw, _ = _stranger_file()
    peer_import(raw=raw)
    forged, _ = _stranger_file(sequence=2, organizations=[_entry("420200", "city", "冒名市", "420000")])
    with pytest.raises(PeerDocumentError, match="不信任"):
        peer_import(raw=forged)  # signed by another key under the same deployment name
    assert not Organization.objects.filter(code="420200").exists()


def test_rotation_and_revocation_travel_signed_numbered_and_audited(orgs):
    raw, key = _stranger_file()
    peer_import(raw=raw)
    new_signing = Ed25519PrivateKey.generate()
    rotation = _key_event(key, sequence=2, event="rotate", signing=new_signing)
    peer_import(raw=rotation)
    keys_cache_clear()
    assert public_keys("420100").signing.public_bytes(RAW, RAW_PUBLIC) == new_signing.public_key().public_bytes(
        RAW, RAW_PUBLIC
    )
    with pytest.raises(PeerDocumentError, match="重放"):
        peer_import(raw=rotation)  # replayed
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(PeerDocumentError, match="不信任"):
        peer_import(raw=_key_event(stranger, sequence=3, event="revoke"))  # unknown signer
    peer_import(raw=_key_event(key, sequence=3, event="revoke"))
    keys_cache_clear()
    with pytest.raises(KeyUnavailable):
        public_keys("420100")
    assert public_keys("420000")  # positive control: the province's keys stay
    assert list(PeerKeyEvent.objects.values_list("kind", "organization_code", "sequence")) == [
        ("import", "", 1),
        ("rotate", "420100", 2),
        ("revoke", "420100", 3),
    ]
    rotated = PeerKeyEvent.objects.get(kind="rotate")
    assert rotated.previous_fingerprint and rotated.fingerprint and rotated.previous_fingerprint != rotated.fingerprint


def test_the_trust_trail_is_append_only(orgs):
    peer_export(name="city-site")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PeerKeyEvent.objects.update(operator="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PeerKeyEvent.objects.all().delete()
    assert PeerKeyEvent.objects.count() == 1


def test_rotating_a_hosted_organisation_gives_it_new_keys_and_a_signed_event(orgs):
    peer_export(name="city-site")
    before = bytes(OrganizationBusKeys.objects.get(organization__code="410621").signing_public)
    raw = peer_key_rotate(code="410621")
    after = OrganizationBusKeys.objects.get(organization__code="410621")
    document = json.loads(raw)["document"]
    assert bytes(after.signing_public) != before
    assert (document["event"], document["code"], document["sequence"]) == ("rotate", "410621", 2)
    assert base64.b64decode(document["signing_public"]) == bytes(after.signing_public)
    assert base64.b64encode(bytes(after.signing_private_sealed)).decode() not in raw.decode()
    revocation = json.loads(peer_key_revoke(code="410621"))["document"]
    assert (revocation["event"], revocation["sequence"]) == ("revoke", 3)
    with pytest.raises(PeerDocumentError, match="410699"):
        peer_key_rotate(code="410699")


def test_the_command_refuses_a_bad_file_with_its_chinese_reason(orgs, tmp_path):
    raw, _ = _stranger_file()
    path = tmp_path / "peer.json"
    path.write_bytes(raw.replace("远端省".encode(), "改过省".encode()))
    with pytest.raises(CommandError) as refused:
        call_command("peer", "import", str(path), "--yes")
    assert re.search(r"[\u4e00-\u9fff]", str(refused.value)) and "签名不符" in str(refused.value)
    connection.set_schema_to_public()
