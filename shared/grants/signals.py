"""What the grants app tells the tenant apps: `grant_changed`, sent for every grant created, changed
or revoked, inside that change's transaction. Public-schema apps never import a tenant app, so the
access audit (tenants.audit) listens here and writes each change to the granting organisation's
chain; a listener's failure undoes the change (no grant change without its audit row)."""

from __future__ import annotations

from django.dispatch import Signal

RECORD_TYPE = "grants.access_grant"  # how the audit names a grant
GRANT_CREATE, GRANT_CHANGE, GRANT_REVOKE = "grant_create", "grant_change", "grant_revoke"

# Sent by shared.grants.services with: grant, action (one of the three above), by, request, detail.
grant_changed = Signal()
