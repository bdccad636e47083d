from django.urls import path

from tenants.guidance import views

app_name = "guidance"

urlpatterns = [
    path("guidance/", views.guidance_index, name="index"),
    path("guidance/new/", views.guidance_new, name="new"),
    path("guidance/<int:pk>/", views.guidance_edit, name="edit"),
    path("guidance/<int:pk>/files/<int:file_id>/remove/", views.guidance_file_remove, name="file-remove"),
]
