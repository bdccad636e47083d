"""Who may reach which inspection-work records inside one organisation (the rules that need a round's team
are in tenants/rounds/access.py).

One place for the role rules shared by the in-round, findings, transfers and
rectification apps, so that pages, API and exports filter the same way:

- office_admin / office_staff manage everything up to their clearance;
- team_leader / team_member work on the rounds whose team they are on;
- leading_group reads (up to its clearance); province_viewer sees none of these;
- unit_liaison sees its own units' feedback and rectification items;
- agency_receiver sees transfers addressed to its agencies.
Nobody sees a record classified above their clearance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from tenants.kernel.roles import LEADING_GROUP, MANAGERS

if TYPE_CHECKING:
    from shared.accounts.selectors import OrganizationAccess


def is_office(access: OrganizationAccess) -> bool:
    return access.has_role(*MANAGERS)


def is_reader(access: OrganizationAccess) -> bool:
    return access.has_role(*LEADING_GROUP)


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def require_office(access: OrganizationAccess) -> None:
    require(is_office(access))


def require_cleared(access: OrganizationAccess, level: int) -> None:
    require(access.cleared_for(level))
