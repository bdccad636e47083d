from django.urls import include, path

from tenants.findings import api, views
from tenants.kernel.api import id_router

app_name = "findings"
router = id_router()
router.register("findings", api.FindingViewSet, basename="finding")
router.register("clues", api.ClueViewSet, basename="clue")
router.register("escalations", api.ClueEscalationViewSet, basename="escalation")
router.register("leadership", api.LeadershipMemberViewSet, basename="leadership")

urlpatterns = [
    path("findings/", views.index, name="index"),
    path("findings/new/", views.finding_create, name="finding-create"),
    path("findings/clues/new/", views.clue_create, name="clue-create"),
    path("findings/clues/ledger.xlsx", views.clue_ledger, name="clue-ledger"),
    path("findings/leadership/", views.leadership, name="leadership"),
    path("api/findings/", include(router.urls)),
]
