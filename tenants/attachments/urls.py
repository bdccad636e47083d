from django.urls import path

from tenants.attachments import api, views

app_name = "attachments"

urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_file, name="download"),
    path("api/attachments/<int:pk>/", api.AttachmentDownloadView.as_view(), name="api-download"),
]
