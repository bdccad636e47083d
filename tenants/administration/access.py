"""Who administers what (三员分立), checked server-side in the views and the API.

The three roles are held per organisation, like every role: a county's system administrator keeps the accounts
of that county's office, its security administrator grants roles and clearance in that county, its audit
administrator reads that county's audit log (which lives in the county's schema). None of these roles appears in
tenants/kernel/roles.py, so none of them reaches a round, finding, clue or any other case record by that role.
"""

from __future__ import annotations

from shared.accounts.models import Role


def can_keep_accounts(access) -> bool:
    return access.has_role(Role.SYSTEM_ADMIN)


def can_grant_roles(access) -> bool:
    return access.has_role(Role.SECURITY_ADMIN)


def can_read_audit_log(access) -> bool:
    return access.has_role(Role.AUDIT_ADMIN)
