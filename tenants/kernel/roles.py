"""Which roles may do what in the core inspection apps (checked server-side in views and API).

office_admin / office_staff manage; office_admin alone edits the office's settings;
leading_group reads plans and rounds and records approvals and hearings; team_leader /
team_member see only the rounds they are on; unit_liaison, agency_receiver and
province_viewer see none of these.
"""

from __future__ import annotations

from shared.accounts.models import Role

MANAGERS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
SETTINGS_EDITORS = (Role.OFFICE_ADMIN,)
LEADING_GROUP = (Role.LEADING_GROUP,)
OVERSEERS = MANAGERS + LEADING_GROUP  # read plans, targets, the pool, every round
TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)
ROUND_READERS = OVERSEERS + TEAM_ROLES


def can_manage(access) -> bool:
    return access.has_role(*MANAGERS)


def can_oversee(access) -> bool:
    return access.has_role(*OVERSEERS)


def can_edit_settings(access) -> bool:
    return access.has_role(*SETTINGS_EDITORS)


def can_decide(access) -> bool:
    return access.has_role(*LEADING_GROUP)
