"""Bundles (issue 16 point 6): messages/s carried by bundle files per bundle size, next to the same run's local
figure for the same messages.

    DATABASE_URL=postgresql://... python bench/bundles.py [SIZE ...]      (default 100 1000 5000)

Works in a throwaway database beside the one DATABASE_URL names (created and dropped here): a province, the city
410600 and one county hosted here (the local receiver), and a county 410628 of another deployment reached by
bundles, whose keys the benchmark holds (it plays that deployment, as tests/sync/farside.py does). No broker: a
bundle replaces relay, broker and consumer, so the local figure beside it is the consumer's own work in this
process (`message_encode` + `inbox.messages_receive` in batches of 50, as the consumer applies): the ceiling of
the local bus on this machine, which bench/sync.py measures through the broker. For each SIZE:
- export: the city's SIZE guidance documents due to the remote county, `bundle_export(to=, office=)` (encode
  every envelope, seal the contents to the county, sign), messages/s and the file's size; beside it the same SIZE
  documents' rows to the hosted county encoded as the relay does (`message_encode`);
- import: a bundle of SIZE statistics reports from the remote county (signed and sealed as its deployment would)
  taken by `bundle_import(raw=, office=)`: verify, open, every envelope through the inbox, the expected-replica
  check, the sealed acknowledgement; beside it SIZE other reports applied as the consumer does
  (`messages_receive`, batches of 50);
- the acknowledgement of the export (SIZE message ids) imported back: rows marked delivered per second, beside the
  export it answers;
- export+import: SIZE / (export seconds + import seconds), both ends of a carried bundle, beside SIZE / (encode
  seconds + apply seconds) for the same two sets locally.
Every figure is also a row of `make bench`'s table (bench/common.py table_row).
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "platform")]

from common import connect_maintenance, table_row  # noqa: E402  (bench/common.py, beside this file)

CITY, COUNTY, REMOTE, PEER = "410600", "410621", "410628", "bench-far"
BATCH = 50


class FarDeployment:
    """The remote county's deployment: its deployment key and the county's keys, registered here as a peer."""

    def __init__(self):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        from shared.buskeys.keys import RAW, RAW_PUBLIC
        from shared.orgs.models import Peer
        from shared.orgs.services import RemoteOrganizationSpec, organizations_remote_register
        from sync.keys import keys_cache_clear

        self.deployment, self.signing = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
        self.sealing = X25519PrivateKey.generate()
        self.sequence = 0
        peer = Peer.objects.create(name=PEER, signing_public=self.deployment.public_key().public_bytes(RAW, RAW_PUBLIC))
        spec = RemoteOrganizationSpec(
            kind="county",
            code=REMOTE,
            name="远端县",
            parent_code=CITY,
            signing_public=self.signing.public_key().public_bytes(RAW, RAW_PUBLIC),
            sealing_public=self.sealing.public_key().public_bytes(RAW, RAW_PUBLIC),
        )
        organizations_remote_register(peer=peer, route="bundle", specs=[spec])
        keys_cache_clear()

    def reports(self, count: int, tag: str) -> list[bytes]:
        """`count` signed statistics reports from the remote county to the city (distinct periods)."""
        from sync.envelope import Envelope, envelope_encode, envelope_new_id

        raws = []
        for number in range(count):
            body = {"period": f"{tag}-{number:05d}", "findings": number % 17, "classification": 1}
            envelope = Envelope(
                message_id=envelope_new_id(),
                record_type="statistics.report",
                schema_version=1,
                source=REMOTE,
                destination=CITY,
                record_key=body["period"],
                version=1,
                classification=1,
                tombstone=False,
                body=body,
            )
            raws.append(envelope_encode(envelope=envelope, signing_key=self.signing, recipient=None))
        return raws

    def _signed(self, header: dict, payload: dict) -> bytes:
        from sync.envelope import canonical_json

        signature = self.deployment.sign(canonical_json({"header": header, "payload": payload}))
        return json.dumps({"header": header, "payload": payload, "signature": base64.b64encode(signature).decode()})\
            .encode()  # fmt: skip

    def bundle(self, raws: list[bytes]) -> bytes:
        from sync.envelope import canonical_json, payload_seal
        from sync.keys import public_keys

        self.sequence += 1
        header = {"format": "xuncha-bundle/1", "kind": "messages", "deployment": PEER, "to": CITY,
                  "sequence": self.sequence, "issued_at": "2026-12-02T08:00:00+00:00", "reply_to": REMOTE}  # fmt: skip
        contents = {"messages": [base64.b64encode(raw).decode() for raw in raws]}
        sealed = payload_seal(body=contents, recipient=public_keys(CITY).sealing, aad=canonical_json(header))
        return self._signed(header, {"sealed": sealed})

    def ack_for(self, raw: bytes) -> bytes:
        """Open the city's bundle as the county would and acknowledge every message in it."""
        from sync.envelope import canonical_json, envelope_parse, payload_open, payload_seal
        from sync.keys import public_keys

        document = json.loads(raw)
        contents = payload_open(
            sealed=document["payload"]["sealed"], recipient=self.sealing, aad=canonical_json(document["header"])
        )
        ids = [envelope_parse(base64.b64decode(item))[1].message_id for item in contents["messages"]]
        self.sequence += 1
        header = {"format": "xuncha-bundle/1", "kind": "ack", "deployment": PEER, "to": REMOTE,
                  "sequence": self.sequence, "issued_at": "2026-12-02T09:00:00+00:00",
                  "sealed_to": document["header"]["reply_to"]}  # fmt: skip
        body = {"acknowledged": ids, "differences": {"pairs": []}}
        return self._signed(header, {"sealed": payload_seal(body=body, recipient=public_keys(CITY).sealing,
                                                            aad=canonical_json(header))})  # fmt: skip


def provision() -> None:
    from shared.orgs.services import OrganizationSpec, organizations_create_many, platform_migrate

    platform_migrate(verbosity=0)
    organizations_create_many(
        specs=[
            OrganizationSpec("province", "410000", "河南省"),
            OrganizationSpec("city", CITY, "鹤壁市", "410000"),
            OrganizationSpec("county", COUNTY, "浚县", CITY),
        ]
    )


def issue(count: int, tag: str) -> None:
    from django_tenants.utils import schema_context

    from tenants.guidance.services import guidance_document_issue

    with schema_context(f"org_{CITY}"):
        for number in range(count):
            guidance_document_issue(
                title=f"{tag}{number}", doc_type="guidance", issued_on=datetime.date(2026, 1, 1), content="x" * 400
            )


def local_apply(receiver, raws: list[bytes]) -> float:
    from sync import inbox

    started = time.perf_counter()
    for start in range(0, len(raws), BATCH):
        inbox.messages_receive(receiver=receiver, raws=raws[start : start + BATCH])
    return time.perf_counter() - started


def local_encode(receiver) -> tuple[list[bytes], float]:
    """The city's rows waiting for the hosted county, encoded as the relay does (its work without the broker)."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from sync.models import OutboxMessage
    from sync.relay import message_encode

    started = time.perf_counter()
    with schema_context(f"org_{CITY}"):
        rows = OutboxMessage.objects.filter(destination=receiver.code, sent_at__isnull=True)
        raws = [message_encode(row=row, source_code=CITY) for row in rows.order_by("id")]
        rows.update(sent_at=timezone.now())
    return raws, time.perf_counter() - started


def measure(far: FarDeployment, size: int, city, county) -> None:
    from sync.bundles import bundle_export, bundle_import

    issue(size, f"数据包{size}-")
    # export, beside the same documents' rows to the hosted county encoded as the relay does
    started = time.perf_counter()
    raw = bundle_export(to=REMOTE, office=CITY, operator="bench")
    export_s = time.perf_counter() - started
    local_raws, encode_s = local_encode(county)
    assert len(local_raws) == size, (len(local_raws), size)
    local_apply(county, local_raws)  # delivered locally too (not timed: the import's counterpart is below)
    # the ack of that export, imported back
    ack = far.ack_for(raw)
    started = time.perf_counter()
    marked = bundle_import(raw=ack, office=CITY, operator="bench").acknowledged
    ack_s = time.perf_counter() - started
    assert marked == size, (marked, size)
    # import, beside as many other reports received directly as the consumer does
    incoming, direct = far.reports(size, f"b{size}"), far.reports(size, f"d{size}")
    bundle = far.bundle(incoming)
    started = time.perf_counter()
    result = bundle_import(raw=bundle, office=CITY, operator="bench")
    import_s = time.perf_counter() - started
    assert result.outcomes == {"applied": size}, result.outcomes
    apply_s = local_apply(city, direct)

    load = os.getloadavg()[0]
    rows = [
        (f"export, {size} messages ({len(raw) / 1024:.0f} KB)", export_s, "local encode (relay)", encode_s),
        (f"import, {size} messages ({len(bundle) / 1024:.0f} KB)", import_s, "local apply (consumer)", apply_s),
        (f"ack back, {size} ids ({len(ack) / 1024:.0f} KB)", ack_s, "the export it answers", export_s),
        (f"export+import, {size} messages", export_s + import_s, "local encode+apply", encode_s + apply_s),
    ]
    for measure_name, seconds, beside_name, beside_seconds in rows:
        rate, beside = size / seconds, size / beside_seconds
        print(f"bundle {measure_name:<40} {rate:8.0f}/s   {beside_name} {beside:8.0f}/s ({rate / beside:.0%}) "
              f"load {load:.1f}", flush=True)  # fmt: skip
        table_row(
            f"bundle: {measure_name}",
            f"{rate:.0f} messages/s",
            f"{beside_name}, as many: {beside:.0f}/s",
            f"{rate / beside:.0%}",
        )


def main(sizes: list[int]) -> None:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        sys.exit("DATABASE_URL is not set")
    maintenance, base_name = connect_maintenance(base_url)
    bench_name = f"{base_name}_bundlebench_{os.getpid()}"
    with maintenance.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{bench_name}"')
    os.environ.update(
        DATABASE_URL=base_url.rsplit("/", 1)[0] + "/" + bench_name,
        DJANGO_SETTINGS_MODULE="xuncha.settings",
        LOG_LEVEL="WARNING",
        BROKER_URL="",
    )
    os.environ.setdefault("DEBUG", "1")
    try:
        import django

        django.setup()
        from shared.orgs.models import Organization

        print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} (shared with other users)")
        print("provisioning 1 province, 1 city, 1 county, and a remote county reached by bundles ...", flush=True)
        provision()
        far = FarDeployment()
        city, county = Organization.objects.get(code=CITY), Organization.objects.get(code=COUNTY)
        for size in sizes:
            measure(far, size, city, county)
    finally:
        from django.db import connections

        connections.close_all()
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
        maintenance.close()


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [100, 1000, 5000])
