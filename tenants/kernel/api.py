"""Helpers for the tenant apps' APIs: the role permission and id routing. Views call services directly; a
service's ValidationError / PermissionDenied becomes a 400 / 403 in the one exception handler (kernel/errors.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from tenants.kernel.pagination import ListPagination
from tenants.kernel.roles import can_manage, can_oversee
from xuncha.permissions import IsOrganizationMember

if TYPE_CHECKING:
    from shared.accounts.selectors import OrganizationAccess


class CoreRolePermission(IsOrganizationMember):
    message = _("Your role in this organisation does not allow this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            check = getattr(view, "read_check", can_oversee)
        else:
            check = getattr(view, "write_check", can_manage)
        return bool(check(request.org_access))  # type: ignore[attr-defined]  # set by xuncha's middleware


class PagedList:
    """For a view whose GET answers a list (every IdViewSet): `list_response(rows, serialize)` answers one page of
    it. The `pagination_class` also makes drf-spectacular document the GET as paginated (ListSchema: GETs only)."""

    pagination_class: type[BasePagination] | None = ListPagination
    request: Any  # the view's (DRF's Request)

    def list_response(self, rows: Any, serialize: Callable[[list[Any]], Any]) -> Response:
        """One page of `rows` (a queryset: the page is one LIMIT/OFFSET query and one COUNT; or a list), answered
        as `serialize(page)`, e.g. `lambda page: FindingSerializer(page, many=True).data` (where the audit log of
        the classified records shown, or a context built from the page's rows, goes too)."""
        assert self.pagination_class is not None
        if isinstance(rows, QuerySet) and not rows.ordered:  # pages of an unordered query could overlap
            rows = rows.order_by("pk")
        paginator = self.pagination_class()
        page: list[Any] = list(paginator.paginate_queryset(rows, self.request, view=self) or [])  # type: ignore[arg-type]  # mixed into an APIView
        return paginator.get_paginated_response(serialize(page))


class ListSchema(AutoSchema):
    """The project's schema class: only a GET is documented as paginated (a POST that answers the rows it
    made is a plain array, though its view has a pagination class for its list)."""

    def _get_paginator(self) -> BasePagination | None:
        if self.method != "GET":
            return None
        paginator: BasePagination | None = super()._get_paginator()  # type: ignore[no-untyped-call]
        return paginator


class IdViewSet(PagedList, viewsets.ViewSet):
    """A viewset whose records are addressed by integer id (`<int:pk>` with `id_router()`): the API schema
    types the id, and a non-number is a 404 before any view code runs."""

    lookup_value_converter = "int"


def id_router() -> SimpleRouter:
    """The router for IdViewSets (path converters instead of the catch-all `[^/.]+` regex)."""
    return SimpleRouter(use_regex_path=False)


# A county's latest reported progress on a city's record, as a free-form object; null until it reports.
COUNTY_PROGRESS: dict[str, Any] = {"type": "object", "nullable": True, "additionalProperties": True}


class VisibleRelatedField(serializers.PrimaryKeyRelatedField[Any]):
    """A related record's id, looked up only among the records the caller may see: `scope(actor=, access=)` (the
    selector the lists use, e.g. round_list_for) replaces `queryset`, which only types the schema. An id the caller
    may not see is refused exactly like one that does not exist (无效主键), so the answer tells nothing about hidden
    records. The serializer needs the request in its context."""

    def __init__(self, *, scope: Callable[..., QuerySet[Any]], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        if request is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs the request in the serializer's context")
        return self.scope(actor=request.user, access=request.org_access)


def access_of(request: Request) -> OrganizationAccess:
    access: OrganizationAccess = request.org_access  # type: ignore[attr-defined]  # set by xuncha's middleware
    return access


class InformantSerializer(serializers.Serializer[dict[str, str]]):
    name = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True)


class DayOfRequest:
    """For a serializer whose rows compare dates with today: `self.today`, read once per serializer (a list's rows
    share their one child serializer), not once per row and field (timezone.localdate() is ~10 µs a call)."""

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()


def prefetch_rows(relation: str, queryset: QuerySet[Any] | None = None) -> Prefetch[Any]:
    """`relation`'s rows prefetched as a plain list on each record (`<relation>_rows`), which `prefetched()` and
    `PrefetchedRows` read: Django's own prefetch builds a related manager and a queryset per record and relation,
    and again at each `record.<relation>.all()`, more than serializing the rows costs."""
    return Prefetch(relation, queryset=queryset, to_attr=f"{relation}_rows")


def prefetched(record: Any, relation: str) -> list[Any]:
    """The rows of `record.<relation>`: those prefetch_rows() left on it, else read (a record made or read alone)."""
    rows = getattr(record, f"{relation}_rows", None)
    return list(getattr(record, relation).all()) if rows is None else rows


class PrefetchedRows(serializers.ListSerializer):  # type: ignore[type-arg]
    """A nested list (`PrefetchedRows(child=RowSerializer(), read_only=True)`) of the field's relation, read with
    prefetched(): the same rows, in the same order, as `RowSerializer(many=True)`."""

    def get_attribute(self, instance: Any) -> list[Any]:
        return prefetched(instance, str(self.source))
