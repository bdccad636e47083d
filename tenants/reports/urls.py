from django.urls import path

from tenants.reports import api, views

urlpatterns = [
    path("reports/filings/", views.filing_list, name="reports-filings"),
    path("reports/filings/new/", views.filing_new, name="reports-filing-new"),
    path("reports/filings/<int:pk>/", views.filing_detail, name="reports-filing"),
    path("reports/filings/<int:pk>/refile/", views.filing_refile, name="reports-filing-refile"),
    path("reports/filings/<int:pk>/export.<str:fmt>", views.filing_export, name="reports-filing-export"),
    path("reports/hearings/", views.hearing_records, name="reports-hearings"),
    path("reports/summary/", views.summary, name="reports-summary"),
    path("reports/oversight/", views.oversight, name="reports-oversight"),
    path("reports/oversight/<str:code>/", views.oversight_county, name="reports-oversight-county"),
    path("reports/inbox/", views.inbox, name="reports-inbox"),
    path("reports/inbox/<str:source>/<uuid:key>/", views.inbox_detail, name="reports-inbox-detail"),
    path("reports/inbox/<str:source>/<uuid:key>/export.<str:fmt>", views.inbox_export, name="reports-inbox-export"),
    # API
    path("api/reports/filings/", api.FilingListCreate.as_view(), name="api-reports-filings"),
    path("api/reports/filings/<int:pk>/", api.FilingDetail.as_view(), name="api-reports-filing"),
    path("api/reports/filings/<int:pk>/refile/", api.FilingRefile.as_view(), name="api-reports-filing-refile"),
    path("api/reports/filings/<int:pk>/export.<str:fmt>", api.FilingExport.as_view(), name="api-reports-filing-export"),
    path("api/reports/summary/", api.SummaryView.as_view(), name="api-reports-summary"),
    path("api/reports/inbox/", api.InboxList.as_view(), name="api-reports-inbox"),
    path("api/reports/oversight/", api.OversightList.as_view(), name="api-reports-oversight"),
    path("api/reports/oversight/<str:code>/", api.OversightCounty.as_view(), name="api-reports-oversight-county"),
    path(
        "api/reports/oversight/<str:code>/rounds/",
        api.OversightCountyRounds.as_view(),
        name="api-reports-oversight-county-rounds",
    ),
    path("api/reports/inbox/<str:source>/<uuid:key>/", api.InboxDecide.as_view(), name="api-reports-inbox-decide"),
    path(
        "api/reports/inbox/<str:source>/<uuid:key>/export.<str:fmt>",
        api.InboxExport.as_view(),
        name="api-reports-inbox-export",
    ),
]
