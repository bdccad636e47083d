"""API permissions: every request is checked against the caller's membership."""

from typing import TypeVar

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


_Marked = TypeVar("_Marked")


def open_to_administrators(view: _Marked) -> _Marked:
    """Marks a page or API view the three administrators (三员分立) may reach by their role (their own pages, the
    home page, who they are). Every other view of an organisation is refused to a person whose roles there are
    only administrators' roles (OrganizationAccessMiddleware.process_view): new case pages are closed to them
    without anyone remembering to close them. Use on a function view or an APIView class."""
    view.open_to_administrators = True  # type: ignore[attr-defined]
    return view


def admits_administrators(view_func) -> bool:
    owner = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    return bool(getattr(view_func, "open_to_administrators", False) or getattr(owner, "open_to_administrators", False))
