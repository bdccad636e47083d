"""The API's page (the settings' DEFAULT_PAGINATION_CLASS). A module of its own, importing only DRF's pagination:
DRF imports it while it defines its generic views, so from tenants.kernel.api it was a circular import."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class ListPagination(LimitOffsetPagination):
    """Every API list (the settings' DEFAULT_PAGINATION_CLASS): `{count, next, previous, results}`, XUNCHA_PAGE_SIZE
    rows unless `?limit=` asks for fewer, never more than `max_limit`, so no request reads a whole table."""

    max_limit = 200

    def __init__(self) -> None:
        self.default_limit = int(settings.XUNCHA_PAGE_SIZE)  # per request (a paginator each), so a test may shrink it
