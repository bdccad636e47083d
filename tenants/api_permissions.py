"""DRF permission for the core apps: a view names who may read and who may write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS

from tenants.access import can_manage, can_oversee
from xuncha.permissions import IsOrganizationMember


class CoreRolePermission(IsOrganizationMember):
    message = _("Your role in this organisation does not allow this.")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            check = getattr(view, "read_check", can_oversee)
        else:
            check = getattr(view, "write_check", can_manage)
        return bool(check(request.org_access))


def error_code(error) -> str:
    """The code of a service's ValidationError; one raised with a list of messages carries it on each."""
    codes = [getattr(error, "code", None)] + [getattr(e, "code", None) for e in getattr(error, "error_list", ())]
    return next((code for code in codes if code), "invalid")


def validation_error_body(error) -> dict:
    """A service's ValidationError as an API error body."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"detail": [str(m) for m in error.messages], "code": error_code(error)}
