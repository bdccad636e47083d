from django.urls import path

from tenants.attachments import api, views

app_name = "attachments"

urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_file, name="download"),
    path("api/attachments/<int:pk>/", api.AttachmentDownloadView.as_view(), name="api-download"),
    path("attachments/received/<int:pk>/", views.received_file, name="received"),
    path("api/attachments/received/<int:pk>/", api.ReceivedFileDownloadView.as_view(), name="api-received"),
]
