"""Failpoints for the crash tests: with XUNCHA_SYNC_FAILPOINT=<name> in its environment a relay
or consumer process dies abruptly (os._exit, no cleanup, like kill -9) at that point.
Names: relay-after-publish (confirmed, not yet marked sent), consumer-after-commit (applied and
committed, not yet acked). Unset in production: then this is a dictionary lookup."""

from __future__ import annotations

import os


def failpoint(name: str) -> None:
    if os.environ.get("XUNCHA_SYNC_FAILPOINT") == name:
        os._exit(137)
