"""Helpers for the tenant apps' APIs: the role permission, service errors → 400, id routing."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.routers import SimpleRouter

from tenants.kernel.roles import can_manage, can_oversee
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


def call_service(service, **kwargs):
    """Run a service; its ValidationError becomes a 400 with the same field messages."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        raise ValidationError(detail) from None


class IdViewSet(viewsets.ViewSet):
    """A viewset whose records are addressed by integer id (`<int:pk>` with `id_router()`): the API schema
    types the id, and a non-number is a 404 before any view code runs."""

    lookup_value_converter = "int"


def id_router() -> SimpleRouter:
    """The router for IdViewSets (path converters instead of the catch-all `[^/.]+` regex)."""
    return SimpleRouter(use_regex_path=False)


# A county's latest reported progress on a city's record, as a free-form object; null until it reports.
COUNTY_PROGRESS = {"type": "object", "nullable": True, "additionalProperties": True}


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record's id, looked up only among the records the caller may see: `scope(user=, access=)` (the
    selector the lists use, e.g. round_list_for) replaces `queryset`, which only types the schema. An id the caller
    may not see is refused exactly like one that does not exist (无效主键), so the answer tells nothing about hidden
    records. The serializer needs the request in its context."""

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs the request in the serializer's context")
        return self.scope(user=request.user, access=request.org_access)


def access_of(request):
    return request.org_access


class InformantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
