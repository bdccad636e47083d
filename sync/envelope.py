"""The wire format: a canonical-JSON envelope signed with the source's Ed25519 key; bodies
classified secret or above are sealed to the destination's X25519 key (ephemeral-static ECDH,
HKDF-SHA256, ChaCha20-Poly1305 with the envelope's addressing as associated data).

Wire bytes = canonical JSON of {"envelope": {...}, "signature": base64}. The signature covers the
canonical JSON of the envelope, sealed body included, so nothing in it can be altered.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from typing import Any, NoReturn

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

from sync.keys import RAW, RAW_PUBLIC

JsonObject = dict[str, Any]  # a decoded JSON object (a record's body, the wire fields)

FORMAT_VERSION = 1
MAX_MESSAGE_BYTES = 256 * 1024
MAX_NESTING = 32  # objects and arrays inside one another, the envelope's own two levels included
MAX_VERSION = 2**63 - 1  # what a bigint column holds
MAX_SCHEMA_VERSION = 2**31 - 1
SEAL_FROM_CLASSIFICATION = 2  # 秘密 secret and above travel sealed
CODE_LENGTH = 6


class EnvelopeError(Exception):
    """A message that must be dead-lettered; `reason` is a stable code, `detail` is safe text (never record
    content) for the operators' page, the dead letter's row and its `x-xuncha-detail` header.

    `detail` is an English msgid marked with gettext_noop, with `%(name)s` placeholders filled from `params`; it is
    kept in the office's language (settings.LANGUAGE_CODE, zh-hans), whatever language the process or request is
    in, so no page shows an English reason. The exception's own text (logs) stays English."""

    def __init__(self, reason: str, detail: str = "", **params: object):
        english = detail % params if params else detail
        super().__init__(f"{reason}: {english}" if detail else reason)
        self.reason = reason
        self.detail = office_text(detail, **params)


def office_text(msgid: str, **params: object) -> str:
    """A msgid (marked with gettext_noop) in the office's language, its placeholders filled."""
    if not msgid:
        return ""  # gettext("") is the catalog's header
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(msgid)
    return text % params if params else text


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(*, version: int, tombstone: bool, body: JsonObject | None) -> str:
    """What anti-entropy compares: the same on the owner's copy and the receiver's replica."""
    return digest_of_json(version=version, tombstone=tombstone, body_json=canonical_json(body))


def digest_of_json(*, version: int, tombstone: bool, body_json: bytes) -> str:
    """digest() from the body's canonical JSON already at hand (the consumer stores the same text): the canonical
    JSON of {"version", "tombstone", "body"} written out in its key order, so the body is not encoded twice."""
    if type(version) is not int or type(tombstone) is not bool:
        raise TypeError("a version is an int and a tombstone a bool")
    return hashlib.sha256(
        b'{"body":%s,"tombstone":%s,"version":%d}' % (body_json, b"true" if tombstone else b"false", version)
    ).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise EnvelopeError("malformed", gettext_noop("%(what)s is not base64 text"), what=_field_label(what))
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise EnvelopeError("malformed", gettext_noop("%(what)s is not base64"), what=_field_label(what)) from error


@dataclass(frozen=True)
class Envelope:
    message_id: str
    record_type: str
    schema_version: int
    source: str
    destination: str
    record_key: str
    version: int
    classification: int
    tombstone: bool
    body: JsonObject | None

    def addressing(self) -> bytes:
        return canonical_json(
            [
                self.message_id,
                self.record_type,
                self.schema_version,
                self.source,
                self.destination,
                self.record_key,
                self.version,
                self.classification,
                self.tombstone,
            ]
        )


def _seal_key(shared: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha-bus-seal", info=info).derive(shared)


def _seal(*, body: JsonObject, recipient: X25519PublicKey, aad: bytes) -> JsonObject:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(RAW, RAW_PUBLIC)
    key = _seal_key(ephemeral.exchange(recipient), ephemeral_public)
    nonce = os.urandom(12)
    ciphertext = ChaCha20Poly1305(key).encrypt(nonce, canonical_json(body), aad)
    return {"epk": _b64(ephemeral_public), "nonce": _b64(nonce), "ct": _b64(ciphertext)}


def _unseal(*, sealed: Any, recipient: X25519PrivateKey, aad: bytes) -> JsonObject:
    if not isinstance(sealed, dict):
        raise EnvelopeError("malformed", gettext_noop("sealed body is not an object"))
    ephemeral_public = _unb64(sealed.get("epk"), "epk")
    nonce = _unb64(sealed.get("nonce"), "nonce")
    if len(ephemeral_public) != 32 or len(nonce) != 12:
        raise EnvelopeError("malformed", gettext_noop("sealed body has wrong key or nonce length"))
    key = _seal_key(recipient.exchange(X25519PublicKey.from_public_bytes(ephemeral_public)), ephemeral_public)
    try:
        plain = ChaCha20Poly1305(key).decrypt(nonce, _unb64(sealed.get("ct"), "ct"), aad)
    except InvalidTag as error:
        raise EnvelopeError(
            "unsealable", gettext_noop("sealed body does not open with this organisation's key")
        ) from error
    if _too_deep(plain):
        raise EnvelopeError("malformed", gettext_noop("sealed body nested deeper than %(limit)s"), limit=MAX_NESTING)
    try:
        body = json.loads(plain, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, UnicodeDecodeError) as error:
        raise EnvelopeError("malformed", gettext_noop("sealed body is not JSON")) from error
    if not isinstance(body, dict) or not _body_storable(body):
        raise EnvelopeError("malformed", gettext_noop("sealed body is not an object"))
    return body


def payload_seal(*, body: JsonObject, recipient: X25519PublicKey, aad: bytes) -> JsonObject:
    """Seal a JSON object to an organisation's sealing key as envelope bodies are (a bundle's contents)."""
    return _seal(body=body, recipient=recipient, aad=aad)


def payload_open(*, sealed: Any, recipient: X25519PrivateKey, aad: bytes) -> JsonObject:
    """Open what payload_seal sealed (raises EnvelopeError: 'unsealable' with another key or other `aad`)."""
    return _unseal(sealed=sealed, recipient=recipient, aad=aad)


def envelope_new_id() -> str:
    return str(uuid.uuid4())


def envelope_seal(*, envelope: Envelope, recipient: X25519PublicKey) -> JsonObject:
    """Seal `envelope.body` to the destination now, bound to the envelope's addressing (message id
    included). For records that must never exist in clear in the source's schema (a county's clue
    about its own leadership): the caller stores only this ciphertext in its outbox, and the relay
    later signs it with `envelope_encode(..., sealed=...)`."""
    if envelope.body is None or envelope.tombstone:
        raise ValueError("only a record with a body can be sealed")
    if envelope.classification < SEAL_FROM_CLASSIFICATION:
        raise ValueError("only bodies classified secret or above are sealed")
    return _seal(body=envelope.body, recipient=recipient, aad=envelope.addressing())


def envelope_encode(
    *,
    envelope: Envelope,
    signing_key: Ed25519PrivateKey,
    recipient: X25519PublicKey | None,
    sealed: JsonObject | None = None,
) -> bytes:
    """Sign (and seal when classified secret or above) an envelope into wire bytes. `sealed`: a body
    sealed earlier by `envelope_seal` for this very envelope (whose `body` is then None)."""
    fields: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "id": envelope.message_id,
        "type": envelope.record_type,
        "schema": envelope.schema_version,
        "source": envelope.source,
        "destination": envelope.destination,
        "key": envelope.record_key,
        "version": envelope.version,
        "classification": envelope.classification,
        "tombstone": envelope.tombstone,
        "body": None,
        "sealed": None,
    }
    if sealed is not None:
        if envelope.body is not None or envelope.tombstone or envelope.classification < SEAL_FROM_CLASSIFICATION:
            raise ValueError("a pre-sealed body goes alone, in a classified record that is not a tombstone")
        fields["sealed"] = sealed
    elif envelope.body is not None:
        if envelope.classification >= SEAL_FROM_CLASSIFICATION:
            if recipient is None:
                raise ValueError("a classified body needs the destination's sealing key")
            fields["sealed"] = _seal(body=envelope.body, recipient=recipient, aad=envelope.addressing())
        else:
            fields["body"] = envelope.body
    signed = canonical_json(fields)
    # canonical_json({"envelope": fields, "signature": ...}) without serialising the envelope a second time: its keys
    # sort so, and the signed bytes are the envelope's canonical JSON (tests/sync/test_exchange.py)
    return b'{"envelope":' + signed + b',"signature":' + canonical_json(_b64(signing_key.sign(signed))) + b"}"


@dataclass(frozen=True)
class Header:
    """The addressing of a message, readable before verification (for routing and errors)."""

    message_id: str
    record_type: str
    schema_version: int
    source: str
    destination: str
    record_key: str
    version: int
    classification: int
    tombstone: bool


# The envelope's fields as an operator reads them (the dead letter's detail names the field, in the office's language).
_FIELD_LABELS = {
    "id": gettext_noop("message id"),
    "type": gettext_noop("record type"),
    "schema": gettext_noop("schema version"),
    "source": gettext_noop("source"),
    "destination": gettext_noop("destination"),
    "key": gettext_noop("record key"),
    "version": gettext_noop("version"),
    "classification": gettext_noop("classification"),
    "tombstone": gettext_noop("withdrawal mark"),
    "epk": gettext_noop("sealed body"),
    "nonce": gettext_noop("sealed body"),
    "ct": gettext_noop("sealed body"),
    "signature": gettext_noop("signature"),
}


def _field_label(name: str) -> str:
    return office_text(_FIELD_LABELS.get(name, name))


def _require(fields: JsonObject, name: str, kind: type | tuple[type, ...]) -> Any:
    value = fields.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise EnvelopeError(
            "malformed", gettext_noop("field %(name)s missing or of the wrong type"), name=_field_label(name)
        )
    return value


def _too_deep(raw: bytes) -> bool:
    """Objects and arrays nest deeper than MAX_NESTING in `raw`. A message with no more than MAX_NESTING opening
    brackets in all (strings included) cannot, which is every message the relays write: counted in C, without the
    walk over its quotes and brackets."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_NESTING:
        return False
    return _nesting(raw) > MAX_NESTING


def _nesting(raw: bytes) -> int:
    """How deeply objects and arrays nest in `raw`, counted without parsing it (linear time, brackets
    inside strings skipped), so a hostile message cannot exhaust the parser's recursion."""
    skeleton = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    depth = deepest = 0
    in_string = False
    for byte in skeleton:
        if byte == 0x22:  # "
            in_string = not in_string
        elif in_string:
            continue
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


def _storable(value: Any) -> bool:
    """Text the database can store: no NUL, no lone surrogate (PostgreSQL text and jsonb refuse both)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _all_text_storable(raw: bytes) -> bool:
    """Every key and string json.loads makes of `raw` is storable, seen from the bytes alone: with no NUL byte it is
    decoded as UTF-8 (json.detect_encoding), where only an encoded surrogate (0xED 0xA0..0xBF, surrogatepass) or a
    \\u escape can give a lone surrogate and only a \\u escape a NUL. False means: check the parsed strings (a
    message with a \\u escape or a 0xED byte, which starts Hangul too, takes the longer way)."""
    return b"\\u" not in raw and b"\x00" not in raw and b"\xed" not in raw


_UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII | re.IGNORECASE)


def _body_storable(value: Any) -> bool:
    """Every key and string of a body is storable (nesting is bounded by MAX_NESTING already)."""
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, dict):
        return all(_storable(key) and _body_storable(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_body_storable(item) for item in value)
    return True


def envelope_parse(raw: bytes) -> tuple[JsonObject, Header, bytes | None]:
    """Size, depth and shape checks, total: any input either parses into fields that every later step
    can store, or raises EnvelopeError. Returns the envelope fields, its header and the signature."""
    if not isinstance(raw, bytes):
        raise EnvelopeError("malformed", gettext_noop("not bytes"))
    if len(raw) > MAX_MESSAGE_BYTES:
        raise EnvelopeError(
            "oversized", gettext_noop("%(size)s bytes > %(limit)s"), size=len(raw), limit=MAX_MESSAGE_BYTES
        )
    if not raw.strip():
        raise EnvelopeError("malformed", gettext_noop("empty message"))
    if _too_deep(raw):
        raise EnvelopeError("malformed", gettext_noop("nested deeper than %(limit)s"), limit=MAX_NESTING)
    try:
        outer = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise EnvelopeError("malformed", gettext_noop("not JSON")) from error
    if not isinstance(outer, dict) or not isinstance(outer.get("envelope"), dict):
        raise EnvelopeError("malformed", gettext_noop("no envelope object"))
    fields = outer["envelope"]
    if fields.get("format") != FORMAT_VERSION:
        raise EnvelopeError("malformed", gettext_noop("unknown envelope format"))
    storable = _all_text_storable(raw)
    for name in ("id", "type", "source", "destination", "key"):
        value = _require(fields, name, str)
        if not storable and not _storable(value):
            raise EnvelopeError(
                "malformed", gettext_noop("field %(name)s holds a NUL or an invalid character"), name=_field_label(name)
            )
    message_id = fields["id"]
    if not _UUID_TEXT.fullmatch(message_id):  # str(uuid.UUID(id)) == id.lower(), without building the UUID
        try:
            uuid.UUID(message_id)
        except ValueError as error:
            raise EnvelopeError("malformed", gettext_noop("message id is not a UUID")) from error
        raise EnvelopeError("malformed", gettext_noop("message id is not a UUID in its usual form"))
    header = Header(
        message_id=message_id,
        record_type=_require(fields, "type", str)[:100],
        schema_version=_require(fields, "schema", int),
        source=_require(fields, "source", str)[: CODE_LENGTH + 4],
        destination=_require(fields, "destination", str)[: CODE_LENGTH + 4],
        record_key=_require(fields, "key", str),
        version=_require(fields, "version", int),
        classification=_require(fields, "classification", int),
        tombstone=_require(fields, "tombstone", bool),
    )
    if (
        not 1 <= header.version <= MAX_VERSION
        or not 1 <= header.schema_version <= MAX_SCHEMA_VERSION
        or not 0 <= header.classification <= 3
        or not 0 < len(header.record_key) <= 200
    ):
        raise EnvelopeError("malformed", gettext_noop("version, schema, classification or key out of range"))
    if fields.get("body") is not None and fields.get("sealed") is not None:
        raise EnvelopeError("malformed", gettext_noop("both a clear and a sealed body"))
    if not storable and not _body_storable(fields.get("body")):
        raise EnvelopeError("malformed", gettext_noop("the body holds a NUL or an invalid character"))
    signature = outer.get("signature")
    return fields, header, (_unb64(signature, "signature") if signature is not None else None)


def envelope_open(
    *,
    fields: JsonObject,
    header: Header,
    signature: bytes | None,
    source_key: Ed25519PublicKey,
    recipient_key: X25519PrivateKey,
) -> Envelope:
    """Verify the signature, open a sealed body, and check sealing matches the classification."""
    if signature is None:
        raise EnvelopeError("unsigned", gettext_noop("no signature"))
    try:
        source_key.verify(signature, canonical_json(fields))
    except InvalidSignature as error:
        raise EnvelopeError("forged", gettext_noop("signature does not verify with the source's key")) from error
    body = fields.get("body")
    envelope = Envelope(**{**header.__dict__, "body": None})
    if fields.get("sealed") is not None:
        body = _unseal(sealed=fields["sealed"], recipient=recipient_key, aad=envelope.addressing())
    elif body is not None:
        if not isinstance(body, dict):
            raise EnvelopeError("malformed", gettext_noop("body is not an object"))
        if header.classification >= SEAL_FROM_CLASSIFICATION:
            raise EnvelopeError("policy", gettext_noop("a classified body travelled unsealed"))
    if header.tombstone and body is not None:
        raise EnvelopeError("malformed", gettext_noop("a tombstone carries a body"))
    if not header.tombstone and body is None:
        raise EnvelopeError("malformed", gettext_noop("a record without a body"))
    return Envelope(**{**header.__dict__, "body": body})
