"""Key material for the bus: generation, at-rest encryption of private keys, cached loading.

Private keys are stored in the public schema encrypted with ChaCha20-Poly1305 under a key
derived (HKDF-SHA256) from settings.XUNCHA_BUS_KEY_SECRET and the organisation's code, with the
code and purpose as associated data. Whoever runs a relay/consumer for an organisation needs that
secret; see docs/SYNC.md for the trade-off and how a deployment separates it per organisation.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

RAW = serialization.Encoding.Raw
RAW_PUBLIC = serialization.PublicFormat.Raw
RAW_PRIVATE = serialization.PrivateFormat.Raw
NO_ENCRYPTION = serialization.NoEncryption()


class KeyUnavailable(Exception):
    """An organisation has no usable bus keys (unknown, not provisioned or undecryptable)."""


def _at_rest_key(code: str) -> bytes:
    secret = getattr(settings, "XUNCHA_BUS_KEY_SECRET", "") or settings.SECRET_KEY
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha-bus-keys", info=code.encode()).derive(
        secret.encode()
    )


def _seal_at_rest(*, code: str, purpose: str, private: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + ChaCha20Poly1305(_at_rest_key(code)).encrypt(nonce, private, f"{code}:{purpose}".encode())


def _open_at_rest(*, code: str, purpose: str, sealed: bytes) -> bytes:
    sealed = bytes(sealed)
    return ChaCha20Poly1305(_at_rest_key(code)).decrypt(sealed[:12], sealed[12:], f"{code}:{purpose}".encode())


def key_pairs_generate(*, code: str) -> dict[str, bytes]:
    """Fresh Ed25519 + X25519 key pairs, private halves encrypted at rest."""
    signing = Ed25519PrivateKey.generate()
    sealing = X25519PrivateKey.generate()
    return {
        "signing_public": signing.public_key().public_bytes(RAW, RAW_PUBLIC),
        "sealing_public": sealing.public_key().public_bytes(RAW, RAW_PUBLIC),
        "signing_private_sealed": _seal_at_rest(
            code=code, purpose="signing", private=signing.private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION)
        ),
        "sealing_private_sealed": _seal_at_rest(
            code=code, purpose="sealing", private=sealing.private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION)
        ),
    }


@dataclass(frozen=True)
class PublicKeys:
    code: str
    signing: Ed25519PublicKey
    sealing: X25519PublicKey


@dataclass(frozen=True)
class PrivateKeys:
    code: str
    signing: Ed25519PrivateKey
    sealing: X25519PrivateKey


@functools.lru_cache(maxsize=4096)
def public_keys(code: str) -> PublicKeys:
    from shared.buskeys.selectors import bus_keys_get

    row = bus_keys_get(code=code)
    if row is None:
        raise KeyUnavailable(code)
    return PublicKeys(
        code=code,
        signing=Ed25519PublicKey.from_public_bytes(bytes(row.signing_public)),
        sealing=X25519PublicKey.from_public_bytes(bytes(row.sealing_public)),
    )


@functools.lru_cache(maxsize=4096)
def private_keys(code: str) -> PrivateKeys:
    from cryptography.exceptions import InvalidTag

    from shared.buskeys.selectors import bus_keys_get

    row = bus_keys_get(code=code)
    if row is None:
        raise KeyUnavailable(code)
    try:
        signing = _open_at_rest(code=code, purpose="signing", sealed=row.signing_private_sealed)
        sealing = _open_at_rest(code=code, purpose="sealing", sealed=row.sealing_private_sealed)
    except InvalidTag as error:
        raise KeyUnavailable(code) from error
    return PrivateKeys(
        code=code,
        signing=Ed25519PrivateKey.from_private_bytes(signing),
        sealing=X25519PrivateKey.from_private_bytes(sealing),
    )


def keys_cache_clear() -> None:
    public_keys.cache_clear()
    private_keys.cache_clear()
