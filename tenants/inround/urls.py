from django.urls import include, path

from tenants.inround import api, views
from tenants.kernel.api import id_router

app_name = "inround"
router = id_router()
router.register("information-requests", api.InformationRequestViewSet, basename="information-request")
router.register("interviews", api.InterviewViewSet, basename="interview")
router.register("petitions", api.PetitionViewSet, basename="petition")
router.register("working-papers", api.WorkingPaperViewSet, basename="working-paper")

urlpatterns = [
    path("inround/", views.index, name="index"),
    path("inround/<str:kind>/<int:pk>/", views.record_detail, name="record"),
    path("inround/<str:kind>/new/", views.record_create, name="create"),
    path("inround/papers/<int:pk>/files/<int:file_id>/remove/", views.paper_file_remove, name="paper-file-remove"),
    path("inround/papers/<int:pk>/<str:step>/", views.paper_step, name="paper-step"),
    path("api/inround/", include(router.urls)),
]
