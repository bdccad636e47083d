"""Bus key pairs as they are stored: generated here, private halves encrypted at rest.

Private keys are stored in the public schema encrypted with ChaCha20-Poly1305 under a key derived
(HKDF-SHA256) from settings.XUNCHA_BUS_KEY_SECRET and the organisation's code, with the code and
purpose as associated data (docs/SYNC.md: the trade-off, and how a deployment separates it per
organisation). sync.keys loads and uses them.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

RAW = serialization.Encoding.Raw
RAW_PUBLIC = serialization.PublicFormat.Raw
RAW_PRIVATE = serialization.PrivateFormat.Raw
NO_ENCRYPTION = serialization.NoEncryption()


def _at_rest_key(code: str) -> bytes:
    secret = getattr(settings, "XUNCHA_BUS_KEY_SECRET", "") or settings.SECRET_KEY
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xuncha-bus-keys", info=code.encode()).derive(
        secret.encode()
    )


def seal_at_rest(*, code: str, purpose: str, private: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + ChaCha20Poly1305(_at_rest_key(code)).encrypt(nonce, private, f"{code}:{purpose}".encode())


def open_at_rest(*, code: str, purpose: str, sealed: bytes) -> bytes:
    sealed = bytes(sealed)
    return ChaCha20Poly1305(_at_rest_key(code)).decrypt(sealed[:12], sealed[12:], f"{code}:{purpose}".encode())


def key_pairs_generate(*, code: str) -> dict[str, bytes]:
    """Fresh Ed25519 + X25519 key pairs, private halves encrypted at rest."""
    signing = Ed25519PrivateKey.generate()
    sealing = X25519PrivateKey.generate()
    return {
        "signing_public": signing.public_key().public_bytes(RAW, RAW_PUBLIC),
        "sealing_public": sealing.public_key().public_bytes(RAW, RAW_PUBLIC),
        "signing_private_sealed": seal_at_rest(
            code=code, purpose="signing", private=signing.private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION)
        ),
        "sealing_private_sealed": seal_at_rest(
            code=code, purpose="sealing", private=sealing.private_bytes(RAW, RAW_PRIVATE, NO_ENCRYPTION)
        ),
    }
