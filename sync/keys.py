"""Key material for the bus: each organisation's keys, loaded (and cached) from the public schema.

Generating them and encrypting the private halves at rest belong to their storage
(shared/buskeys/keys.py). Whoever runs a relay/consumer for an organisation needs the at-rest secret;
see docs/SYNC.md for the trade-off and how a deployment separates it per organisation.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from shared.buskeys.keys import RAW, RAW_PUBLIC, open_at_rest
from shared.buskeys.selectors import bus_keys_get

__all__ = ["RAW", "RAW_PUBLIC", "KeyUnavailable", "PrivateKeys", "PublicKeys", "private_keys", "public_keys"]


class KeyUnavailable(Exception):
    """An organisation has no usable bus keys (unknown, not provisioned or undecryptable)."""


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


# Keys are cached for a while only: a rotation or revocation imported from a peer (`xuncha peer import`)
# reaches a running relay or consumer within this many seconds.
CACHE_SECONDS = 60


def _epoch() -> int:
    return int(time.monotonic() // CACHE_SECONDS)


def public_keys(code: str) -> PublicKeys:
    return _public_keys(code, _epoch())


def private_keys(code: str) -> PrivateKeys:
    return _private_keys(code, _epoch())


@functools.lru_cache(maxsize=4096)
def _public_keys(code: str, epoch: int) -> PublicKeys:
    row = bus_keys_get(code=code)
    if row is None:
        raise KeyUnavailable(code)
    return PublicKeys(
        code=code,
        signing=Ed25519PublicKey.from_public_bytes(bytes(row.signing_public)),
        sealing=X25519PublicKey.from_public_bytes(bytes(row.sealing_public)),
    )


@functools.lru_cache(maxsize=4096)
def _private_keys(code: str, epoch: int) -> PrivateKeys:
    row = bus_keys_get(code=code)
    if row is None or row.signing_private_sealed is None or row.sealing_private_sealed is None:
        raise KeyUnavailable(code)  # unknown, or a remote organisation (its private keys stay at home)
    try:
        signing = open_at_rest(code=code, purpose="signing", sealed=bytes(row.signing_private_sealed))
        sealing = open_at_rest(code=code, purpose="sealing", sealed=bytes(row.sealing_private_sealed))
    except InvalidTag as error:
        raise KeyUnavailable(code) from error
    return PrivateKeys(
        code=code,
        signing=Ed25519PrivateKey.from_private_bytes(signing),
        sealing=X25519PrivateKey.from_private_bytes(sealing),
    )


def keys_cache_clear() -> None:
    _public_keys.cache_clear()
    _private_keys.cache_clear()
