"""Home-page panels of the three administrators."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.administration.access import can_grant_roles, can_keep_accounts, can_read_audit_log
from xuncha.home_panels import Panel
from xuncha.permissions import open_to_administrators


@open_to_administrators
def accounts_panel(request):
    if can_keep_accounts(request.org_access):
        return Panel(_("Accounts"), f"{request.tenant.route}users/", _("Create, edit and disable accounts"), 90)
    return None


@open_to_administrators
def memberships_panel(request):
    if can_grant_roles(request.org_access):
        return Panel(
            _("Roles and clearance"), f"{request.tenant.route}memberships/", _("Grant roles and clearance"), 91
        )
    return None


@open_to_administrators
def audit_panel(request):
    if can_read_audit_log(request.org_access):
        return Panel(
            _("Audit log"), f"{request.tenant.route}audit/", _("Who did what, including the administrators"), 92
        )
    return None
