"""The far side of a bundle route, as tests play it: a remote deployment (peer "county-site") with a county
410628 under the city and, when asked, a city 410700 under the province, whose keys the test holds (so it can open
what only they could and sign what their deployment would). Used by tests/sync/test_bundles.py and the office's
bundle page tests."""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.buskeys.keys import RAW, RAW_PUBLIC
from shared.orgs.models import Peer
from shared.orgs.services import RemoteOrganizationSpec, organizations_remote_register
from sync.envelope import Envelope, canonical_json, envelope_encode, envelope_new_id, payload_open, payload_seal
from sync.keys import keys_cache_clear, public_keys
from sync.verify import EXPECTED_FORMAT

REMOTE = "410628"
REMOTE_CITY = "410700"
PEER = "county-site"


class FarSide:
    """The remote county's deployment as the test plays it: its deployment key and the county's keys."""

    def __init__(self, *, with_city=False):
        self.deployment = Ed25519PrivateKey.generate()
        self.signing = Ed25519PrivateKey.generate()
        self.sealing = X25519PrivateKey.generate()
        self.city_sealing = X25519PrivateKey.generate()
        self.sequence = 0
        peer = Peer.objects.create(name=PEER, signing_public=self.deployment.public_key().public_bytes(RAW, RAW_PUBLIC))
        specs = [
            RemoteOrganizationSpec(
                kind="county",
                code=REMOTE,
                name="远端县",
                parent_code="410600",
                signing_public=self.signing.public_key().public_bytes(RAW, RAW_PUBLIC),
                sealing_public=self.sealing.public_key().public_bytes(RAW, RAW_PUBLIC),
            )
        ]
        if with_city:
            specs.append(
                RemoteOrganizationSpec(
                    kind="city",
                    code=REMOTE_CITY,
                    name="远端市",
                    parent_code="410000",
                    signing_public=Ed25519PrivateKey.generate().public_key().public_bytes(RAW, RAW_PUBLIC),
                    sealing_public=self.city_sealing.public_key().public_bytes(RAW, RAW_PUBLIC),
                )
            )
        organizations_remote_register(peer=peer, route="bundle", specs=specs)
        keys_cache_clear()

    def rotate(self):
        """The county's deployment gives it a new signing key (`xuncha peer rotate` there): from now on it signs
        with it. Returns the signed rotation (a `xuncha-peer/1` key event) to import here."""
        self.signing = Ed25519PrivateKey.generate()
        self.peer_sequence = getattr(self, "peer_sequence", 0) + 1
        document = {
            "format": "xuncha-peer/1",
            "kind": "key-event",
            "deployment": PEER,
            "deployment_key": base64.b64encode(self.deployment.public_key().public_bytes(RAW, RAW_PUBLIC)).decode(),
            "sequence": self.peer_sequence,
            "issued_at": "2026-12-02T10:00:00+00:00",
            "event": "rotate",
            "code": REMOTE,
            "signing_public": base64.b64encode(self.signing.public_key().public_bytes(RAW, RAW_PUBLIC)).decode(),
            "sealing_public": base64.b64encode(self.sealing.public_key().public_bytes(RAW, RAW_PUBLIC)).decode(),
        }
        signature = self.deployment.sign(canonical_json(document))
        return json.dumps({"document": document, "signature": base64.b64encode(signature).decode()}).encode()

    def open_bundle(self, raw, *, sealing=None):
        """What only the destination can read of a bundle: its messages' envelopes and the expected replicas."""
        document = json.loads(raw)
        return payload_open(
            sealed=document["payload"]["sealed"],
            recipient=sealing or self.sealing,
            aad=canonical_json(document["header"]),
        )

    def statistics(self, *, version, findings, message_id=None, key=None):
        body = {"period": "2026-08", "findings": findings, "classification": 1}
        envelope = Envelope(
            message_id=message_id or envelope_new_id(),
            record_type="statistics.report",
            schema_version=1,
            source=REMOTE,
            destination="410600",
            record_key="2026-08",
            version=version,
            classification=1,
            tombstone=False,
            body=body,
        )
        return envelope_encode(envelope=envelope, signing_key=key or self.signing, recipient=None), body

    def bundle(self, messages, *, expected_records=(), to="410600", sealed_to=None, key=None, name=PEER, sequence=None):
        self.sequence += 1
        header = {
            "format": "xuncha-bundle/1",
            "kind": "messages",
            "deployment": name,
            "to": to,
            "sequence": sequence or self.sequence,
            "issued_at": "2026-12-02T08:00:00+00:00",
            "reply_to": REMOTE,
        }
        contents = {
            "messages": [base64.b64encode(raw).decode() for raw in messages],
            "expected": {
                "format": EXPECTED_FORMAT,
                "pairs": [{"owner": REMOTE, "destination": to, "records": [list(r) for r in expected_records]}],
            },
        }
        payload = {
            "sealed": payload_seal(
                body=contents, recipient=sealed_to or public_keys(to).sealing, aad=canonical_json(header)
            )
        }
        signature = (key or self.deployment).sign(canonical_json({"header": header, "payload": payload}))
        document = {"header": header, "payload": payload, "signature": base64.b64encode(signature).decode()}
        return json.dumps(document, ensure_ascii=False).encode()

    def ack(self, message_ids, *, key=None, sequence=None, sealed_to="410600"):
        self.sequence += 1
        header = {"format": "xuncha-bundle/1", "kind": "ack", "deployment": PEER, "to": REMOTE,
                  "sequence": sequence or self.sequence, "issued_at": "2026-12-02T09:00:00+00:00",
                  "sealed_to": sealed_to}  # fmt: skip
        contents = {"acknowledged": list(message_ids), "differences": {"pairs": []}}
        payload = {"sealed": payload_seal(body=contents, recipient=public_keys(sealed_to).sealing,
                                          aad=canonical_json(header))}  # fmt: skip
        signature = (key or self.deployment).sign(canonical_json({"header": header, "payload": payload}))
        return json.dumps(
            {"header": header, "payload": payload, "signature": base64.b64encode(signature).decode()}
        ).encode()

    def open_ack(self, raw):
        """What only the exporter (this remote county) can read of an acknowledgement it gets back."""
        document = json.loads(raw)
        return payload_open(
            sealed=document["payload"]["sealed"], recipient=self.sealing, aad=canonical_json(document["header"])
        )
