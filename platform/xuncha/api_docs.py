"""The API's documentation pages (OpenAPI schema, Swagger UI): for the office, who connects systems to it.

One check, used by the views and by the navigation that links to them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tenants.kernel.roles import can_manage


def may_read_api_docs(access) -> bool:
    return can_manage(access)


class _OfficeOnly:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may_read_api_docs(request.org_access):
            raise PermissionDenied


class ApiSchemaView(_OfficeOnly, SpectacularAPIView):
    pass


class ApiDocsView(_OfficeOnly, SpectacularSwaggerView):
    pass
