"""API permissions: every request is checked against the caller's membership."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from shared.orgs.models import Organization


class IsOrganizationMember(BasePermission):
    message = _("You are not a member of this organisation.")

    def has_permission(self, request, view) -> bool:
        tenant = getattr(request, "tenant", None)
        if not isinstance(tenant, Organization):
            return False
        return bool(getattr(request, "org_access", None) and request.org_access.roles)


class HasOrganizationRole(IsOrganizationMember):
    """Subclass with `roles = (...)` to restrict an endpoint to some roles."""

    roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        roles = getattr(view, "required_roles", self.roles)
        return not roles or request.org_access.has_role(*roles)
