"""What the grants app tells the tenant apps: `grant_changed`, sent for every grant created, changed
or revoked, inside that change's transaction. Public-schema apps never import a tenant app, so the
access audit (tenants.audit) listens here and writes each change to the granting organisation's
chain; a listener's failure undoes the change (no grant change without its audit row). The services refuse a
change when the audit is not listening on `grant_changed`; what merely follows a grant (its notices to the person)
listens on `grant_committed` instead, so that it can never stand in for the audit."""

from __future__ import annotations

from django.dispatch import Signal

RECORD_TYPE = "grants.access_grant"  # how the audit names a grant
GRANT_CREATE, GRANT_CHANGE, GRANT_REVOKE = "grant_create", "grant_change", "grant_revoke"

# Sent by shared.grants.services with: grant, action (one of the three above), actor, request, detail; inside the
# change's transaction. The access audit's signal: its receiver answers AUDITED once the change is in the chain, and
# a change no receiver answered so for is refused (another listener here cannot stand in for the audit).
grant_changed = Signal()
AUDITED = "grant_change_audited"
# Sent by shared.grants.services with: changes, the (grant, action) pairs of one committed transaction, once it has
# committed (transaction.on_commit, robust: a listener's failure is logged and undoes nothing); one send for all the
# changes of the transaction (a round's end revokes all its grants). For what follows a grant: its notices at once.
grant_committed = Signal()
