"""Which roles may do what in the core inspection apps (checked server-side in views and API).

office_admin / office_staff manage; office_admin and the system administrator (三员分立: accounts and
configuration, no content) edit the office's settings, holiday table and finding categories;
leading_group reads plans and rounds and records approvals and hearings; team_leader /
team_member see only the rounds they are on; unit_liaison, agency_receiver and
province_viewer see none of these. The role sets are defined here once, for every tenant app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.accounts.models import Role

if TYPE_CHECKING:
    from shared.accounts.selectors import OrganizationAccess

MANAGERS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)  # the office: manage everything up to their clearance
ADMINS = (Role.OFFICE_ADMIN,)
# The office's configuration: kept by its administrator and by the system administrator (who sees no case).
SETTINGS_EDITORS = ADMINS + (Role.SYSTEM_ADMIN,)
LEADING_GROUP = (Role.LEADING_GROUP,)  # reads, records approvals and hearings
OVERSEERS = MANAGERS + LEADING_GROUP  # read plans, targets, the pool, every round
TEAM_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER)
ROUND_READERS = OVERSEERS + TEAM_ROLES
# Informant identities: only the organising office's cleared officers and the round's team leader.
INFORMANT_IDENTITY_ROLES = MANAGERS + (Role.TEAM_LEADER,)
SETTINGS_READERS = OVERSEERS + (Role.SYSTEM_ADMIN,)
PROVINCE_READERS = ADMINS + (Role.PROVINCE_VIEWER,)  # what a province office reads of its cities' filings


def can_manage(access: OrganizationAccess) -> bool:
    return access.has_role(*MANAGERS)


def can_oversee(access: OrganizationAccess) -> bool:
    return access.has_role(*OVERSEERS)


def can_edit_settings(access: OrganizationAccess) -> bool:
    return access.has_role(*SETTINGS_EDITORS)


def can_read_settings(access: OrganizationAccess) -> bool:
    return access.has_role(*SETTINGS_READERS)


def can_decide(access: OrganizationAccess) -> bool:
    return access.has_role(*LEADING_GROUP)
