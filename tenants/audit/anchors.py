"""Checkpoints of the audit chain's head, kept outside the database.

The keyed chain catches an edited or made-up row, but not the removal of the newest rows: what remains is
still a valid, shorter chain. So the head is anchored from time to time (`xuncha audit checkpoint`, and the
beat job `audit.checkpoint` every 10 minutes): one line per checkpoint, HMAC-signed with the audit key,
appended to `<XUNCHA_AUDIT_ANCHOR_DIR>/<region code>.jsonl`. In production that folder is on storage the
database administrators cannot write (deploy/README.md). Each checkpoint is also sent, as its own record type
`audit.anchor` (tenants/audit/sharing.py), over the bus to the parent organisation, which keeps the anchors
it received as replicas: removing the newest rows is seen from the last anchor even when the local file is
gone too. `audit verify` then requires every anchored row still to be there with the anchored hash; rows
newer than the last checkpoint are covered by the key alone. A `rekey` checkpoint (tenants/audit/rekey.py)
marks where the key changed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tenants.audit.models import FIELD_SEPARATOR

ANCHOR, REKEY = "anchor", "rekey"


@dataclass(frozen=True)
class Anchor:
    organization_code: str
    seq: int
    head_hash: str
    at: str
    signature: str
    kind: str = ANCHOR  # ANCHOR: the head at `seq`; REKEY: the key changed at row `seq` (tenants/audit/rekey.py)
    origin: str = "file"  # where it was read: "file", or "parent <code>" (not signed: a label for the report)

    def expected_signature(self, key: bytes | None = None) -> str:
        text = FIELD_SEPARATOR.join([self.kind, self.organization_code, str(self.seq), self.head_hash, self.at])
        secret = settings.XUNCHA_AUDIT_KEY if key is None else key
        return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()

    @property
    def valid(self) -> bool:
        return hmac.compare_digest(self.signature, self.expected_signature())

    def signed_under(self, key: bytes) -> bool:
        """Signed under `key` (an old audit key, before a rekey)."""
        return hmac.compare_digest(self.signature, self.expected_signature(key))


def _path(organization_code: str) -> Path:
    if not organization_code.isdigit():
        raise ValueError(f"not a region code: {organization_code!r}")
    return Path(settings.XUNCHA_AUDIT_ANCHOR_DIR) / f"{organization_code}.jsonl"


def audit_anchor_write(*, organization_code: str, seq: int, head_hash: str, kind: str = ANCHOR) -> Anchor:
    """Append one signed checkpoint (flushed to disk before it returns)."""
    unsigned = Anchor(organization_code, seq, head_hash, timezone.now().isoformat(timespec="seconds"), "", kind)
    anchor = Anchor(**{**unsigned.__dict__, "signature": unsigned.expected_signature()})
    path = _path(organization_code)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(
        {
            "org": anchor.organization_code,
            "seq": anchor.seq,
            "head": anchor.head_hash,
            "at": anchor.at,
            "signature": anchor.signature,
            **({"kind": anchor.kind} if anchor.kind != ANCHOR else {}),
        },
        sort_keys=True,
    )
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())
    return anchor


def audit_anchors_read(*, organization_code: str) -> list[Anchor]:
    """Every checkpoint of one organisation, oldest first; a line that cannot be read counts as unsigned."""
    path = _path(organization_code)
    if not path.exists():
        return []
    anchors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
            anchors.append(
                Anchor(
                    str(data["org"]),
                    int(data["seq"]),
                    str(data["head"]),
                    str(data["at"]),
                    str(data["signature"]),
                    str(data.get("kind", ANCHOR)),
                )
            )
        except (ValueError, KeyError, TypeError):
            anchors.append(Anchor(organization_code, 0, "", "", ""))
    return anchors
