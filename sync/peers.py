"""Trust between deployments (issue 16 point 2): signed documents that carry organisations' PUBLIC keys.

A deployment has an identity (shared.buskeys.DeploymentIdentity: a name and an Ed25519 pair). What
`xuncha peer` writes is one JSON document signed by it:

    {"document": {"format": "xuncha-peer/1", "kind": "organizations" | "key-event", "deployment": NAME,
                  "deployment_key": b64, "sequence": N, "issued_at": ISO, ...}, "signature": b64}

- `organizations`: every organisation hosted here with its kind, parent, name and public signing and
  sealing keys. The importer shows the fingerprints (to compare by phone or letter), and on confirmation
  adds the peer and its organisations as remote ones (shared.orgs.services.organizations_remote_register).
- `key-event`: `rotate` (an organisation's new public keys) or `revoke` (its keys withdrawn). Accepted only
  from a peer already trusted, signed by the key it was trusted with, and numbered above the last document
  taken from it (a replayed or older document is refused).

No private key is ever written: the documents are built from the public halves only. Every document
written or taken is a row of shared.orgs.PeerKeyEvent (append-only). Refusals are PeerDocumentError, whose
text is in the office's language.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from shared.buskeys.models import DeploymentIdentity, OrganizationBusKeys
from shared.buskeys.services import (
    deployment_identity_ensure,
    deployment_identity_signing_key,
    deployment_sequence_next,
    organization_bus_keys_rotate,
    organization_public_keys_remove,
    organization_public_keys_store,
)
from shared.orgs.models import Organization, OrganizationKind, Peer, PeerKeyEvent, RemoteRoute
from shared.orgs.services import ProvisioningError, RemoteOrganizationSpec, organizations_remote_register
from sync.envelope import canonical_json, office_text
from sync.keys import keys_cache_clear

FORMAT = "xuncha-peer/1"
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024


class PeerDocumentError(Exception):
    """A peer document refused; the text is in the office's language (Chinese)."""

    def __init__(self, msgid: str, **params: object):
        super().__init__(office_text(msgid, **params))


def fingerprint(*keys: bytes) -> str:
    """What two people read to each other: the first 128 bits of SHA-256 over the raw public key(s), in
    eight groups of four hex digits."""
    text = hashlib.sha256(b"".join(bytes(key) for key in keys)).hexdigest()[:32].upper()
    return " ".join(text[i : i + 4] for i in range(0, 32, 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def _unb64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise PeerDocumentError(gettext_noop("The file is damaged: a key or signature is missing."))
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise PeerDocumentError(gettext_noop("The file is damaged: a key or signature is not readable.")) from None


def operator_name() -> str:
    """The operating-system user running the command (the audit trail's operator)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# ---------------------------------------------------------------------------------------------- writing
def _sign(*, identity: DeploymentIdentity, kind: str, payload: dict[str, Any]) -> tuple[bytes, int]:
    sequence = deployment_sequence_next()
    document = {
        **payload,
        "format": FORMAT,
        "kind": kind,
        "deployment": identity.name,
        "deployment_key": _b64(bytes(identity.signing_public)),
        "sequence": sequence,
        "issued_at": timezone.now().isoformat(),
    }
    signature = deployment_identity_signing_key().sign(canonical_json(document))
    return json.dumps({"document": document, "signature": _b64(signature)}, ensure_ascii=False, indent=1).encode(
        "utf-8"
    ), sequence


def _record(*, kind: str, raw: bytes, sequence: int, peer: Peer | None = None, **fields: Any) -> PeerKeyEvent:
    return PeerKeyEvent.objects.create(
        kind=kind,
        received=peer is not None,
        peer=peer,
        sequence=sequence,
        document_digest=hashlib.sha256(raw).hexdigest(),
        operator=operator_name(),
        **fields,
    )


@transaction.atomic
def peer_export(*, name: str | None = None) -> bytes:
    """The signed list of the organisations hosted here with their PUBLIC keys (remote ones are not
    ours to vouch for). `name` names this deployment the first time (later it must match or be None)."""
    identity = deployment_identity_ensure(name=name)
    rows = (
        OrganizationBusKeys.objects.filter(organization__remote_route="")
        .select_related("organization", "organization__parent")
        .order_by("organization__code")
    )
    organizations = [
        {
            "code": row.organization.code,
            "kind": row.organization.kind,
            "name": row.organization.name,
            "parent": parent.code if (parent := row.organization.parent) is not None else None,
            "signing_public": _b64(bytes(row.signing_public)),
            "sealing_public": _b64(bytes(row.sealing_public)),
        }
        for row in rows
    ]
    raw, sequence = _sign(identity=identity, kind="organizations", payload={"organizations": organizations})
    _record(
        kind=PeerKeyEvent.Kind.EXPORT,
        raw=raw,
        sequence=sequence,
        fingerprint=fingerprint(bytes(identity.signing_public)),
    )
    return raw


@transaction.atomic
def peer_key_rotate(*, code: str) -> bytes:
    """Give an organisation hosted here new key pairs and write the signed rotation for the peers."""
    organization = Organization.objects.local().filter(code=code).first()
    if organization is None:
        raise PeerDocumentError(gettext_noop("No organisation with code %(code)s is hosted here."), code=code)
    identity = deployment_identity_ensure(name=None)
    old = OrganizationBusKeys.objects.get(organization=organization)
    previous = fingerprint(bytes(old.signing_public), bytes(old.sealing_public))
    new = organization_bus_keys_rotate(organization=organization)
    keys_cache_clear()
    raw, sequence = _sign(
        identity=identity,
        kind="key-event",
        payload={
            "event": "rotate",
            "code": code,
            "signing_public": _b64(bytes(new.signing_public)),
            "sealing_public": _b64(bytes(new.sealing_public)),
        },
    )
    _record(
        kind=PeerKeyEvent.Kind.ROTATE,
        raw=raw,
        sequence=sequence,
        organization_code=code,
        previous_fingerprint=previous,
        fingerprint=fingerprint(bytes(new.signing_public), bytes(new.sealing_public)),
    )
    return raw


@transaction.atomic
def peer_key_revoke(*, code: str) -> bytes:
    """Write the signed revocation of an organisation's keys (it leaves this deployment, or its keys are no
    longer to be trusted): peers that import it stop accepting its messages and sending it any."""
    organization = Organization.objects.local().filter(code=code).first()
    if organization is None:
        raise PeerDocumentError(gettext_noop("No organisation with code %(code)s is hosted here."), code=code)
    identity = deployment_identity_ensure(name=None)
    keys = OrganizationBusKeys.objects.get(organization=organization)
    raw, sequence = _sign(identity=identity, kind="key-event", payload={"event": "revoke", "code": code})
    _record(
        kind=PeerKeyEvent.Kind.REVOKE,
        raw=raw,
        sequence=sequence,
        organization_code=code,
        previous_fingerprint=fingerprint(bytes(keys.signing_public), bytes(keys.sealing_public)),
    )
    return raw


# ---------------------------------------------------------------------------------------------- reading
@dataclass
class OrganizationLine:
    code: str
    kind: str
    name: str
    parent: str | None
    signing_public: bytes
    sealing_public: bytes
    known: bool = False  # already held, with these very keys

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.sealing_public)


@dataclass
class PeerDocument:
    """A peer document whose signature holds (by the key it names); what it asks is not yet checked against
    what this deployment trusts: peer_import does that."""

    raw: bytes
    kind: str
    deployment: str
    deployment_key: bytes
    sequence: int
    body: dict[str, Any]
    organizations: list[OrganizationLine] = field(default_factory=list)

    @property
    def deployment_fingerprint(self) -> str:
        return fingerprint(self.deployment_key)

    @property
    def event(self) -> str:
        return str(self.body.get("event", ""))


def _text(document: dict[str, Any], name: str, *, limit: int = 100) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise PeerDocumentError(gettext_noop("The file is damaged: the field %(field)s is missing."), field=name)
    return value


def peer_document_read(*, raw: bytes) -> PeerDocument:
    """Parse and verify a peer document: well-formed, ours in format, and signed by the deployment key it
    carries. Refuses (PeerDocumentError) an altered, truncated or forged file."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise PeerDocumentError(gettext_noop("The file is too large to be a peer document."))
    try:
        outer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PeerDocumentError(
            gettext_noop("The file is not a peer document, or it is truncated (it is not complete JSON).")
        ) from None
    if not isinstance(outer, dict) or not isinstance(outer.get("document"), dict):
        raise PeerDocumentError(gettext_noop("The file is not a peer document."))
    document = outer["document"]
    if document.get("format") != FORMAT:
        raise PeerDocumentError(gettext_noop("The file is not a peer document of this system's format."))
    key_bytes = _unb64(document.get("deployment_key"))
    try:
        key = Ed25519PublicKey.from_public_bytes(key_bytes)
    except ValueError:
        raise PeerDocumentError(gettext_noop("The file is damaged: the deployment key is not a key.")) from None
    try:
        key.verify(_unb64(outer.get("signature")), canonical_json(document))
    except InvalidSignature:
        raise PeerDocumentError(
            gettext_noop("The signature does not match: the file was altered or forged. Do not import it.")
        ) from None
    sequence = document.get("sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise PeerDocumentError(gettext_noop("The file is damaged: the field %(field)s is missing."), field="sequence")
    kind = _text(document, "kind")
    if kind not in ("organizations", "key-event"):
        raise PeerDocumentError(gettext_noop("The file is not a peer document of this system's format."))
    parsed = PeerDocument(
        raw=raw,
        kind=kind,
        deployment=_text(document, "deployment", limit=40),
        deployment_key=key_bytes,
        sequence=sequence,
        body=document,
    )
    if kind == "organizations":
        entries = document.get("organizations")
        if not isinstance(entries, list) or not entries:
            raise PeerDocumentError(gettext_noop("The file lists no organisations."))
        for entry in entries:
            if not isinstance(entry, dict):
                raise PeerDocumentError(gettext_noop("The file is not a peer document."))
            parent = entry.get("parent")
            parsed.organizations.append(
                OrganizationLine(
                    code=_text(entry, "code", limit=6),
                    kind=_text(entry, "kind", limit=16),
                    name=_text(entry, "name"),
                    parent=parent if isinstance(parent, str) else None,
                    signing_public=_unb64(entry.get("signing_public")),
                    sealing_public=_unb64(entry.get("sealing_public")),
                )
            )
    return parsed


def _trusted_peer(document: PeerDocument) -> Peer:
    peer = Peer.objects.select_for_update().filter(name=document.deployment).first()
    if peer is None or bytes(peer.signing_public) != document.deployment_key:
        raise PeerDocumentError(
            gettext_noop(
                "The file is signed by %(deployment)s (fingerprint %(fingerprint)s), which this deployment does "
                "not trust: import that deployment's organisation list first, after comparing its fingerprint."
            ),
            deployment=document.deployment,
            fingerprint=document.deployment_fingerprint,
        )
    if document.sequence <= peer.last_sequence:
        raise PeerDocumentError(
            gettext_noop(
                "The file is number %(number)d from %(deployment)s, but number %(last)d was already taken: it is "
                "a replayed or older file and changes nothing."
            ),
            number=document.sequence,
            deployment=document.deployment,
            last=peer.last_sequence,
        )
    return peer


def peer_import_preview(*, raw: bytes) -> PeerDocument:
    """Verify a document and say what it would change (which organisations are known already), without
    changing anything: what the operator confirms."""
    document = peer_document_read(raw=raw)
    if document.kind == "organizations":
        existing = {
            row.organization.code: row
            for row in OrganizationBusKeys.objects.filter(
                organization__code__in=[line.code for line in document.organizations]
            ).select_related("organization", "organization__peer")
        }
        for line in document.organizations:
            held = existing.get(line.code)
            line.known = (
                held is not None
                and held.organization.peer is not None
                and held.organization.peer.name == document.deployment
                and bytes(held.signing_public) == line.signing_public
                and bytes(held.sealing_public) == line.sealing_public
            )
    return document


@transaction.atomic
def peer_import(*, raw: bytes, route: str = RemoteRoute.BUNDLE) -> PeerDocument:
    """Apply a verified peer document (call after the operator compared the fingerprints):

    - an organisation list: trusts the deployment (or checks it is the one trusted under that name) and
      adds its organisations not held yet as remote ones on `route`; one already held with other keys is
      refused (keys change only by a signed rotation);
    - a key event from a trusted peer: a rotation stores the organisation's new public keys, a revocation
      removes them (its messages are refused from then on, and none are sealed to it).
    All or nothing, audited (PeerKeyEvent)."""
    document = peer_import_preview(raw=raw)
    if document.kind == "organizations":
        _organizations_import(document=document, route=route)
    else:
        _key_event_import(document=document)
    keys_cache_clear()
    return document


def _organizations_import(*, document: PeerDocument, route: str) -> None:
    if DeploymentIdentity.objects.filter(name=document.deployment).exists():
        raise PeerDocumentError(
            gettext_noop("The file describes this very deployment (%(deployment)s): nothing to import."),
            deployment=document.deployment,
        )
    peer = Peer.objects.select_for_update().filter(name=document.deployment).first()
    if peer is None:
        peer = Peer(name=document.deployment, signing_public=document.deployment_key)
        try:
            peer.full_clean()
        except ValidationError:
            raise PeerDocumentError(
                gettext_noop("The deployment name %(deployment)s is not valid (letters, digits and hyphens)."),
                deployment=document.deployment,
            ) from None
        peer.save()
    else:
        peer = _trusted_peer(document)
    new = [line for line in document.organizations if not line.known]
    clashing = sorted(
        Organization.objects.filter(code__in=[line.code for line in new], peer=peer).values_list("code", flat=True)
    )
    if clashing:
        raise PeerDocumentError(
            gettext_noop(
                "Organisation(s) %(codes)s are already held with other keys: a key change must come as a signed "
                "rotation from their deployment."
            ),
            codes=", ".join(clashing),
        )
    if any(line.kind not in OrganizationKind.values for line in new):
        raise PeerDocumentError(gettext_noop("The file is not a peer document of this system's format."))
    try:
        organizations_remote_register(
            peer=peer,
            route=route,
            specs=[
                RemoteOrganizationSpec(
                    kind=line.kind,
                    code=line.code,
                    name=line.name,
                    parent_code=line.parent,
                    signing_public=line.signing_public,
                    sealing_public=line.sealing_public,
                )
                for line in new
            ],
        )
    except ProvisioningError as error:
        raise PeerDocumentError(
            gettext_noop("The organisations cannot be added: %(problems)s"), problems="; ".join(error.messages)
        ) from None
    peer.last_sequence = document.sequence
    peer.save(update_fields=["last_sequence"])
    _record(
        kind=PeerKeyEvent.Kind.IMPORT,
        raw=document.raw,
        sequence=document.sequence,
        peer=peer,
        fingerprint=document.deployment_fingerprint,
    )


def _key_event_import(*, document: PeerDocument) -> None:
    peer = _trusted_peer(document)
    code = _text(document.body, "code", limit=6)
    organization = Organization.objects.filter(code=code, peer=peer).first()
    if organization is None:
        raise PeerDocumentError(
            gettext_noop("%(code)s is not an organisation of %(deployment)s as this deployment knows it."),
            code=code,
            deployment=document.deployment,
        )
    held = OrganizationBusKeys.objects.filter(organization=organization).first()
    previous = fingerprint(bytes(held.signing_public), bytes(held.sealing_public)) if held else ""
    if document.event == "rotate":
        signing, sealing = _unb64(document.body.get("signing_public")), _unb64(document.body.get("sealing_public"))
        try:
            organization_public_keys_store(organization=organization, signing_public=signing, sealing_public=sealing)
        except ValidationError:
            raise PeerDocumentError(gettext_noop("The file is damaged: a key or signature is not readable.")) from None
        kind, new = PeerKeyEvent.Kind.ROTATE, fingerprint(signing, sealing)
    elif document.event == "revoke":
        organization_public_keys_remove(organization=organization)
        kind, new = PeerKeyEvent.Kind.REVOKE, ""
    else:
        raise PeerDocumentError(gettext_noop("The file is not a peer document of this system's format."))
    peer.last_sequence = document.sequence
    peer.save(update_fields=["last_sequence"])
    _record(
        kind=kind,
        raw=document.raw,
        sequence=document.sequence,
        peer=peer,
        organization_code=code,
        previous_fingerprint=previous,
        fingerprint=new,
    )


__all__ = [
    "PeerDocument",
    "PeerDocumentError",
    "fingerprint",
    "peer_document_read",
    "peer_export",
    "peer_import",
    "peer_import_preview",
    "peer_key_revoke",
    "peer_key_rotate",
]
