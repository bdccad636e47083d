from django.urls import path

from tenants.targets import api, views

urlpatterns = [
    path("targets/", views.target_list_page, name="targets-list"),
    path("targets/new/", views.target_edit_page, name="targets-new"),
    path("targets/<int:pk>/", views.target_edit_page, name="targets-edit"),
    path("targets/import/", views.target_import_page, name="targets-import"),
    path("targets/import/template.xlsx", views.target_import_template_page, name="targets-import-template"),
    path("targets/export/", views.target_export_page, name="targets-export"),
    path("targets/coverage/", views.coverage_page, name="targets-coverage"),
    path("api/targets/", api.TargetListCreate.as_view(), name="api-targets"),
    path("api/targets/coverage/", api.CoverageView.as_view(), name="api-targets-coverage"),
    path("api/targets/import/", api.TargetImportView.as_view(), name="api-targets-import"),
    path("api/targets/import/template/", api.TargetImportTemplateView.as_view(), name="api-targets-import-template"),
    path("api/targets/export/", api.TargetExportView.as_view(), name="api-targets-export"),
    path("api/targets/<int:pk>/", api.TargetDetail.as_view(), name="api-target"),
]
