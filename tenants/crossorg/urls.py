from django.urls import path

from tenants.crossorg import api, views

urlpatterns = [
    path("crossorg/", views.overview_page, name="crossorg-overview"),
    path(
        "crossorg/campaigns/<int:replica_id>/instantiate/",
        views.campaign_instantiate_page,
        name="crossorg-campaign-instantiate",
    ),
    path("api/crossorg/", api.OverviewAPI.as_view(), name="api-crossorg"),
]
