"""Scenario builders for elevated / cross-county / linked rounds (real services, real schemas)."""

from __future__ import annotations

from django.utils import timezone

from sync.testing import messages_deliver

TODAY = timezone.localdate


def deliver_all(source, orgs, *, record_type=None):
    """What the relay + consumers do (minus the transport): every queued row of `source`, in order
    (rows delivered before are delivered again: the inbox answers them as duplicates)."""
    return messages_deliver(source=source, receivers=orgs, record_type=record_type, pending_only=False, mark_sent=False)
