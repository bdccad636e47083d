from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tenants.transfers import api, views

app_name = "transfers"
router = SimpleRouter()
router.register("transfers", api.TransferViewSet, basename="transfer")

urlpatterns = [
    path("transfers/", views.index, name="index"),
    path("transfers/new/", views.transfer_create, name="create"),
    path("transfers/<int:pk>/sign/", views.transfer_sign, name="sign"),
    path("transfers/<int:pk>/handling/", views.transfer_handling, name="handling"),
    path("transfers/ledger.xlsx", views.ledger, name="ledger"),
    path("api/", include(router.urls)),
]
