"""Finding one record by the id in an address."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], pk: Any) -> M:
    try:
        return queryset.get(pk=int(pk))
    except (ObjectDoesNotExist, TypeError, ValueError):
        raise Http404 from None
