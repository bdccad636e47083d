"""Bundles: the bus carried by hand to a deployment with no link (issue 16 point 4, docs/SYNC.md "Bundles").

`bundle_export(to=CODE)` (CODE a remote organisation) writes one file with every outbox message due to CODE from
any organisation hosted here that CODE has not acknowledged, each as its signed (and, from 秘密, sealed) wire
envelope, plus what CODE should hold of theirs (sync.verify.expected_replicas: versions and digests). The
contents are sealed to CODE's sealing key (payload_seal, bound to the bundle's header), and the header and
ciphertext are signed by this deployment's identity: nothing in the file is readable without CODE's private key,
and no byte of it can change unseen.

`bundle_import(raw)` on the far side verifies the signature against the trusted peer (sync/peers.py), opens the
contents with the destination's key, applies every envelope through the same inbox as the consumer
(inbox.messages_receive: every check, duplicates and stale versions harmless), compares the destination's
replicas with the expected ones, and returns the acknowledgement bundle to carry back: the message ids it
settled and the records it still lacks, signed. Importing that ack here marks those outbox rows delivered and
queues the missing records again (sync.verify.differences_resend) for the next bundle.

A bundle imported twice, out of order or after a newer one changes nothing wrongly (the inbox keeps message ids
and versions) and the result says so; an altered, truncated, forged or unknown-signer file is refused with the
reason in the office's language (BundleError) before anything is applied.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Min, Q, Sum, TextField
from django.db.models.functions import Cast, Coalesce, Length
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tenants.utils import schema_context

from shared.buskeys.services import (
    deployment_identity_ensure,
    deployment_identity_signing_key,
    deployment_sequence_next,
)
from shared.orgs.models import BundleRecord, Organization, Peer
from sync import inbox
from sync.envelope import EnvelopeError, canonical_json, office_text, payload_open, payload_seal
from sync.keys import KeyUnavailable, private_keys, public_keys
from sync.models import OutboxMessage
from sync.orgs import organizations
from sync.peers import operator_name
from sync.relay import message_encode
from sync.verify import differences_document, differences_resend, expected_replicas, expected_replicas_check

FORMAT = "xuncha-bundle/1"
MAX_BUNDLE_BYTES = 512 * 1024 * 1024


class BundleError(ValidationError):
    """A bundle refused; the text is in the office's language (Chinese). A ValidationError, so that a page shows it
    as any service's refusal (tenants.kernel.views.run_service) and the command prints it."""

    def __init__(self, msgid: str, **params: object):
        super().__init__(office_text(msgid, **params))

    def __str__(self) -> str:
        return str(self.message)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _sign(header: dict[str, Any], payload: dict[str, Any]) -> bytes:
    signature = deployment_identity_signing_key().sign(canonical_json({"header": header, "payload": payload}))
    return json.dumps({"header": header, "payload": payload, "signature": _b64(signature)}, ensure_ascii=False).encode(
        "utf-8"
    )


def _header(*, kind: str, to: str) -> dict[str, Any]:
    identity = deployment_identity_ensure(name=None)
    return {
        "format": FORMAT,
        "kind": kind,
        "deployment": identity.name,
        "to": to,
        "sequence": deployment_sequence_next(),
        "issued_at": timezone.now().isoformat(),
    }


def _record(
    *,
    kind: str,
    raw: bytes,
    header: dict[str, Any],
    peer: Peer,
    code: str,
    counts: dict[str, int],
    office: str | None,
    operator: str | None,
    ack: bytes | None = None,
) -> BundleRecord:
    return BundleRecord.objects.create(
        kind=kind,
        peer=peer,
        organization_code=code,
        office=office or "",
        sequence=header["sequence"],
        digest=hashlib.sha256(raw).hexdigest(),
        counts=counts,
        operator=operator_name() if operator is None else operator,
        ack=ack,
    )


def _owners(office: str | None) -> list[Organization]:
    """The hosted organisations a bundle speaks for: one office (its bundle page), or every one (the command)."""
    if office is None:
        return organizations(None)
    owner = Organization.objects.local().filter(code=office).first()
    if owner is None:
        raise BundleError(gettext_noop("%(code)s is not an organisation hosted here."), code=office[:6])
    return [owner]


# ---------------------------------------------------------------------------------------------- export
def bundle_waiting(*, code: str, office: str | None = None) -> list[tuple[Organization, list[OutboxMessage]]]:
    """Per hosted owner (or for `office` alone), the outbox rows due to `code` not acknowledged yet (oldest
    first)."""
    waiting = []
    for owner in _owners(office):
        with schema_context(owner.schema_name):
            rows = list(OutboxMessage.objects.filter(destination=code, sent_at__isnull=True).order_by("id"))
        if rows:
            waiting.append((owner, rows))
    return waiting


@dataclass(frozen=True)
class BundleBacklog:
    code: str
    name: str
    peer: str
    waiting: int  # outbox rows not acknowledged
    oldest: Any  # when the oldest of them was written (None when nothing waits)
    size: int  # bytes of their bodies (clear or sealed): about what the next bundle weighs before its sealing
    last_exported: Any
    last_acknowledged: Any


def _body_bytes() -> Any:
    return Coalesce(Length(Cast("body", TextField())), 0) + Coalesce(Length(Cast("sealed", TextField())), 0)


def bundle_backlog(*, office: str | None = None) -> list[BundleBacklog]:
    """What waits for each remote organisation reached by bundles: one count per hosted owner's outbox (or
    `office`'s alone, its bundle page), and the last bundle written for it and the last acknowledgement taken
    (`xuncha sync bundle status`)."""
    destinations = list(
        Organization.objects.remote().filter(remote_route="bundle").select_related("peer").order_by("code")
    )
    codes = [org.code for org in destinations]
    waiting: dict[str, int] = dict.fromkeys(codes, 0)
    size: dict[str, int] = dict.fromkeys(codes, 0)
    oldest: dict[str, Any] = {}
    for owner in _owners(office) if codes else []:
        with schema_context(owner.schema_name):
            for row in (
                OutboxMessage.objects.filter(destination__in=codes, sent_at__isnull=True)
                .values("destination")
                .annotate(count=Count("id"), first=Min("created_at"), size=Sum(_body_bytes()))
            ):
                waiting[row["destination"]] += row["count"]
                size[row["destination"]] += row["size"] or 0
                if row["destination"] not in oldest or row["first"] < oldest[row["destination"]]:
                    oldest[row["destination"]] = row["first"]
    records = BundleRecord.objects.filter(organization_code__in=codes)
    if office is not None:
        records = records.filter(office=office)
    last = {
        (row["organization_code"], row["kind"]): row["at"]
        for row in records.values("organization_code", "kind").annotate(at=Max("at"))
    }
    return [
        BundleBacklog(
            code=org.code,
            name=org.name,
            peer=org.peer.name if org.peer else "",
            waiting=waiting[org.code],
            oldest=oldest.get(org.code),
            size=size[org.code],
            last_exported=last.get((org.code, BundleRecord.Kind.EXPORTED)),
            last_acknowledged=last.get((org.code, BundleRecord.Kind.ACK_IMPORTED)),
        )
        for org in destinations
    ]


def bundle_records(*, office: str) -> Any:
    """The bundles `office` wrote and took, newest first (its bundle page's log)."""
    return (
        BundleRecord.objects.filter(office=office)
        .select_related("peer")
        .defer("ack")
        .annotate(has_ack=ExpressionWrapper(Q(ack__isnull=False), output_field=BooleanField()))
        .order_by("-id")
    )


def _remote(code: str) -> Organization:
    destination = Organization.objects.remote().select_related("peer").filter(code=code).first()
    if destination is None:
        raise BundleError(
            gettext_noop("%(code)s is not an organisation of another deployment: bundles go only to those."), code=code
        )
    return destination


@transaction.atomic
def bundle_export(*, to: str, office: str | None = None, operator: str | None = None) -> bytes:
    """The bundle for remote organisation `to`: every message due to it since its last acknowledgement (from
    every organisation hosted here, or from `office` alone: its page), and the digest of what it should hold,
    sealed to its key and signed by this deployment. The header names the hosted organisation the
    acknowledgement is to be sealed to (`reply_to`: `office`, or the first owner with messages)."""
    destination = _remote(to)
    peer = destination.peer
    assert peer is not None  # a remote organisation has its peer (orgs_remote_has_peer)
    try:
        recipient = public_keys(to).sealing
    except KeyUnavailable:
        raise BundleError(
            gettext_noop("%(code)s has no keys here (revoked?): nothing can be sealed to it."), code=to
        ) from None
    owners = _owners(office)
    waiting = bundle_waiting(code=to, office=office)
    messages, classification = [], 0
    for owner, rows in waiting:
        with schema_context(owner.schema_name):
            messages += [_b64(message_encode(row=row, source_code=owner.code)) for row in rows]
        classification = max([classification, *(row.classification for row in rows)])
    header = _header(kind="messages", to=to)
    header["reply_to"] = (waiting[0][0] if waiting else owners[0]).code
    expected = expected_replicas(destinations=[to], owners=[owner.code for owner in owners] if office else None)
    contents = {"messages": messages, "expected": expected}
    payload = {"sealed": payload_seal(body=contents, recipient=recipient, aad=canonical_json(header))}
    raw = _sign(header, payload)
    _record(kind=BundleRecord.Kind.EXPORTED, raw=raw, header=header, peer=peer, code=to, office=office,
            operator=operator, counts={"messages": len(messages), "classification": classification})  # fmt: skip
    return raw


# ---------------------------------------------------------------------------------------------- reading
@dataclass
class BundleResult:
    kind: str
    deployment: str
    sequence: int
    destination: str
    outcomes: dict[str, int] = field(default_factory=dict)
    repeated: bool = False  # imported before: nothing changed
    missing: int = 0  # records the destination still lacks after the import (requested again in the ack)
    acknowledged: int = 0  # outbox rows marked delivered by an ack
    requeued: int = 0
    ack: bytes | None = None
    record: BundleRecord | None = None  # the carrier's log row of this import


def _read(raw: bytes) -> tuple[dict[str, Any], dict[str, Any], Peer]:
    if len(raw) > MAX_BUNDLE_BYTES:
        raise BundleError(gettext_noop("The file is too large to be a bundle."))
    try:
        outer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BundleError(
            gettext_noop("The file is not a bundle, or it is truncated (it is not complete JSON).")
        ) from None
    if (
        not isinstance(outer, dict)
        or not isinstance(outer.get("header"), dict)
        or not isinstance(outer.get("payload"), dict)
    ):
        raise BundleError(gettext_noop("The file is not a bundle."))
    header, payload = outer["header"], outer["payload"]
    if header.get("format") != FORMAT or header.get("kind") not in ("messages", "ack"):
        raise BundleError(gettext_noop("The file is not a bundle of this system's format."))
    sequence = header.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not isinstance(header.get("to"), str):
        raise BundleError(gettext_noop("The file is not a bundle."))
    peer = Peer.objects.filter(name=str(header.get("deployment"))).first()
    if peer is None:
        raise BundleError(
            gettext_noop(
                "The bundle comes from %(deployment)s, which this deployment does not trust: import its "
                "organisation list first (xuncha peer import)."
            ),
            deployment=str(header.get("deployment"))[:40],
        )
    try:
        signature = base64.b64decode(str(outer.get("signature")), validate=True)
    except ValueError:
        signature = b""
    try:
        Ed25519PublicKey.from_public_bytes(bytes(peer.signing_public)).verify(
            signature, canonical_json({"header": header, "payload": payload})
        )
    except (InvalidSignature, ValueError):
        raise BundleError(
            gettext_noop(
                "The bundle's signature does not match %(deployment)s's key: it was altered or forged. Nothing "
                "was imported."
            ),
            deployment=peer.name,
        ) from None
    return header, payload, peer


def bundle_import(*, raw: bytes, office: str | None = None, operator: str | None = None) -> BundleResult:
    """Import a messages bundle (apply it, return the ack) or an ack (mark delivered); see the module. With
    `office` (its bundle page), only a bundle for that office or an ack answering that office's bundle."""
    header, payload, peer = _read(raw)
    if header["kind"] == "messages":
        return _messages_import(raw=raw, header=header, payload=payload, peer=peer, office=office, operator=operator)
    return _ack_import(raw=raw, header=header, payload=payload, peer=peer, office=office, operator=operator)


def _reply_key(*, header: dict[str, Any], peer: Peer) -> tuple[str, Any]:
    """Who the acknowledgement is sealed to: the exporting deployment's organisation the bundle names."""
    code = header.get("reply_to")
    if not isinstance(code, str) or not Organization.objects.filter(code=code, peer=peer).exists():
        raise BundleError(
            gettext_noop(
                "The bundle names no organisation of %(deployment)s to seal the acknowledgement to: it is not a "
                "bundle of this system's format."
            ),
            deployment=peer.name,
        )
    try:
        return code, public_keys(code).sealing
    except KeyUnavailable:
        raise BundleError(
            gettext_noop("%(code)s has no keys here (revoked?): nothing can be sealed to it."), code=code
        ) from None


def _messages_import(
    *, raw: bytes, header: dict[str, Any], payload: dict[str, Any], peer: Peer, office: str | None, operator: str | None
) -> BundleResult:
    destination = Organization.objects.local().filter(code=header["to"]).first()
    if destination is None:
        raise BundleError(
            gettext_noop("The bundle is for %(code)s, which is not hosted here."), code=str(header["to"])[:6]
        )
    if office is not None and destination.code != office:
        raise BundleError(
            gettext_noop("The bundle is for %(code)s, not for this office: import it on that office's bundle page."),
            code=destination.code,
        )
    try:
        contents = payload_open(
            sealed=payload.get("sealed"), recipient=private_keys(destination.code).sealing, aad=canonical_json(header)
        )
    except (EnvelopeError, KeyUnavailable):
        raise BundleError(
            gettext_noop("The bundle does not open with %(code)s's key: it was sealed for another organisation."),
            code=destination.code,
        ) from None
    messages = contents.get("messages")
    if not isinstance(messages, list) or not all(isinstance(item, str) for item in messages):
        raise BundleError(gettext_noop("The file is not a bundle."))
    reply_to, reply_key = _reply_key(header=header, peer=peer)
    repeated = BundleRecord.objects.filter(
        kind=BundleRecord.Kind.IMPORTED, peer=peer, sequence=header["sequence"]
    ).exists()
    raws = [base64.b64decode(item) for item in messages]
    verdicts = inbox.messages_receive(receiver=destination, raws=raws) if raws else []
    outcomes: dict[str, int] = {}
    settled = []
    for verdict in verdicts:
        if isinstance(verdict, Exception):  # a database failure: not acknowledged, it comes again
            outcomes["failed"] = outcomes.get("failed", 0) + 1
            continue
        outcomes[verdict.outcome] = outcomes.get(verdict.outcome, 0) + 1
        if verdict.message_id:
            settled.append(verdict.message_id)
    expected = contents.get("expected")
    report = expected_replicas_check(expected=expected) if isinstance(expected, dict) else None
    differences = differences_document(report) if report is not None else {"pairs": []}
    result = BundleResult(
        kind="messages",
        deployment=peer.name,
        sequence=header["sequence"],
        destination=destination.code,
        outcomes=outcomes,
        repeated=repeated,
        missing=sum(len(pair["resend"]) for pair in differences["pairs"]),
    )
    with transaction.atomic():
        # The ack is sealed to the exporter (record types, keys and message ids are nobody else's business) and
        # signed by this deployment.
        ack_header = _header(kind="ack", to=destination.code)
        ack_header["answers"] = header["sequence"]
        ack_header["sealed_to"] = reply_to
        body = {"acknowledged": settled, "differences": differences}
        ack = _sign(
            ack_header, {"sealed": payload_seal(body=body, recipient=reply_key, aad=canonical_json(ack_header))}
        )
        result.record = _record(kind=BundleRecord.Kind.IMPORTED, raw=raw, header=header, peer=peer,
                                code=destination.code, counts=outcomes, office=office, operator=operator,
                                ack=ack)  # fmt: skip
    result.ack = ack
    return result


@transaction.atomic
def _ack_import(
    *, raw: bytes, header: dict[str, Any], payload: dict[str, Any], peer: Peer, office: str | None, operator: str | None
) -> BundleResult:
    code = str(header["to"])
    if not Organization.objects.filter(code=code, peer=peer).exists():
        raise BundleError(
            gettext_noop("The acknowledgement speaks for %(code)s, which is not an organisation of %(deployment)s."),
            code=code[:6],
            deployment=peer.name,
        )
    sealed_to = str(header.get("sealed_to"))
    if not Organization.objects.local().filter(code=sealed_to).exists():
        raise BundleError(
            gettext_noop("The acknowledgement is for %(code)s, which is not hosted here."), code=sealed_to[:6]
        )
    if office is not None and sealed_to != office:
        raise BundleError(
            gettext_noop(
                "The acknowledgement answers a bundle of %(code)s, not of this office: import it on that office's "
                "bundle page."
            ),
            code=sealed_to,
        )
    try:
        contents = payload_open(
            sealed=payload.get("sealed"), recipient=private_keys(sealed_to).sealing, aad=canonical_json(header)
        )
    except (EnvelopeError, KeyUnavailable):
        raise BundleError(
            gettext_noop("The acknowledgement does not open with %(code)s's key: it was sealed for another."),
            code=sealed_to,
        ) from None
    acknowledged = contents.get("acknowledged")
    if not isinstance(acknowledged, list) or not all(isinstance(item, str) for item in acknowledged):
        raise BundleError(gettext_noop("The file is not a bundle."))
    marked = 0
    now = timezone.now()
    owners = _owners(office)
    for owner in owners:
        with schema_context(owner.schema_name):
            marked += OutboxMessage.objects.filter(
                destination=code, message_id__in=acknowledged, sent_at__isnull=True
            ).update(sent_at=now, last_error="")
    differences = contents.get("differences")
    requeued = 0
    if isinstance(differences, dict) and differences.get("pairs"):
        mine = {owner.code for owner in owners}
        pairs = [p for p in differences["pairs"] if p.get("destination") == code and p.get("owner") in mine]
        requeued = differences_resend(differences={**differences, "pairs": pairs})
    result = BundleResult(
        kind="ack",
        deployment=peer.name,
        sequence=header["sequence"],
        destination=code,
        repeated=marked == 0 and bool(acknowledged),
        acknowledged=marked,
        requeued=requeued,
    )
    result.record = _record(kind=BundleRecord.Kind.ACK_IMPORTED, raw=raw, header=header, peer=peer, code=code,
                            office=office, operator=operator,
                            counts={"acknowledged": marked, "requeued": requeued})  # fmt: skip
    return result


__all__ = [
    "BundleBacklog",
    "BundleError",
    "BundleResult",
    "bundle_backlog",
    "bundle_export",
    "bundle_import",
    "bundle_records",
    "bundle_waiting",
]
