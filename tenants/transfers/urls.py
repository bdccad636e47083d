from django.urls import include, path

from tenants.kernel.api import id_router
from tenants.ledger.views import ledger_paths
from tenants.transfers import api, views

app_name = "transfers"
router = id_router()
router.register("transfers", api.TransferViewSet, basename="transfer")
router.register("received-transfers", api.ReceivedTransferViewSet, basename="received-transfer")

urlpatterns = [
    path("transfers/", views.index, name="index"),
    path("transfers/new/", views.transfer_create, name="create"),
    path("transfers/<int:pk>/sign/", views.transfer_sign, name="sign"),
    path("transfers/<int:pk>/handling/", views.transfer_handling, name="handling"),
    path("transfers/ledger.xlsx", views.ledger, name="ledger"),
    *ledger_paths(views.RECEIVED_PAGE),
    path("api/", include(router.urls)),
]
