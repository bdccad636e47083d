"""An organisation's pages; django-tenants mounts them under /org/<region code>/."""

from django.urls import include, path

from xuncha import token_views, views
from xuncha.api_docs import ApiDocsView, ApiSchemaView
from xuncha.api_tokens import ApiTokenDetail, ApiTokenList

urlpatterns = [
    path("", views.organization_home, name="org-home"),
    path("api/schema/", ApiSchemaView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/me/", views.MeView.as_view(), name="api-me"),
    path("api/tokens/", ApiTokenList.as_view(), name="api-tokens"),
    path("api/tokens/<str:key>/", ApiTokenDetail.as_view(), name="api-token"),
    path("tokens/", token_views.tokens_page, name="tokens"),
    path("tokens/<str:key>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("", include("sync.urls")),
    path("", include("tenants.targets.urls")),
    path("", include("tenants.office.urls")),
    path("", include("tenants.planning.urls")),
    path("", include("tenants.experts.urls")),
    path("", include("tenants.rounds.urls")),
    path("", include("tenants.inround.urls")),
    path("", include("tenants.findings.urls")),
    path("", include("tenants.transfers.urls")),
    path("", include("tenants.rectification.urls")),
    path("", include("tenants.attachments.urls")),
    path("", include("tenants.crossorg.urls")),
    path("", include("tenants.guidance.urls")),
    path("", include("tenants.reports.urls")),
    path("", include("tenants.reminders.urls")),
    path("", include("tenants.search.urls")),
    path("", include("tenants.administration.urls")),
    path("", include("tenants.workbench.urls")),
]

handler403 = "xuncha.views.permission_denied"
