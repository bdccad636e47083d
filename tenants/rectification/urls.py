from django.urls import include, path

from tenants.kernel.api import id_router
from tenants.ledger.views import ledger_paths
from tenants.rectification import api, views

app_name = "rectification"
router = id_router()
router.register("feedbacks", api.FeedbackViewSet, basename="feedback")
router.register("items", api.ItemViewSet, basename="item")
router.register("supervised", api.SupervisedItemViewSet, basename="supervised")

urlpatterns = [
    path("rectification/", views.index, name="index"),
    path("rectification/rounds/<int:round_id>/", views.round_section, name="round"),
    path("rectification/feedback/new/", views.feedback_create, name="feedback-create"),
    path("rectification/feedback/<int:pk>/", views.feedback_detail, name="feedback"),
    path("rectification/feedback/<int:pk>/<str:step>/", views.feedback_step, name="feedback-step"),
    path("rectification/items/<int:pk>/<str:step>/", views.item_step, name="item-step"),
    path("rectification/ledger.xlsx", views.ledger, name="ledger"),
    *ledger_paths(views.SUPERVISED_PAGE),
    path("rectification/documents/<int:pk>/<str:name>", views.document, name="document"),
    path("rectification/rounds/<int:round_id>/report.docx", views.round_report, name="round-report"),
    path("api/rectification/", include(router.urls)),
    path("api/rectification/thresholds/", api.ThresholdsView.as_view(), name="api-thresholds"),
    path("api/rectification/rounds/<int:round_id>/report.docx", api.RoundReportView.as_view(), name="api-round-report"),
]
