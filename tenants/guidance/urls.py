from django.urls import path

from tenants.guidance import api, views

app_name = "guidance"

urlpatterns = [
    path("guidance/", views.guidance_index, name="index"),
    path("guidance/new/", views.guidance_new, name="new"),
    path("guidance/<int:pk>/", views.guidance_edit, name="edit"),
    path("guidance/<int:pk>/files/<int:file_id>/remove/", views.guidance_file_remove, name="file-remove"),
    path("api/guidance/documents/", api.GuidanceDocumentsAPI.as_view(), name="api-documents"),
    path("api/guidance/documents/<int:pk>/", api.GuidanceDocumentAPI.as_view(), name="api-document"),
    path(
        "api/guidance/documents/<int:pk>/files/<int:file_id>/",
        api.GuidanceDocumentFileAPI.as_view(),
        name="api-document-file",
    ),
    path("api/guidance/received/", api.GuidanceReceivedAPI.as_view(), name="api-received"),
]
