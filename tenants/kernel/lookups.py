"""Finding one record by the id in an address."""

from __future__ import annotations

from django.http import Http404


def get_or_404(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
