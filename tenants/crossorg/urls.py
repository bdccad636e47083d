from django.urls import path

from tenants.crossorg import api, setup_api, views

urlpatterns = [
    path("crossorg/", views.overview_page, name="crossorg-overview"),
    path(
        "crossorg/campaigns/<int:replica_id>/instantiate/",
        views.campaign_instantiate_page,
        name="crossorg-campaign-instantiate",
    ),
    path("crossorg/campaigns/<int:replica_id>/decline/", views.campaign_decline_page, name="crossorg-campaign-decline"),
    path("crossorg/registries/", views.registries_page, name="crossorg-registries"),
    path("crossorg/cross/new/", views.cross_round_new_page, name="crossorg-cross-new"),
    path("crossorg/elevated/new/", views.elevated_round_new_page, name="crossorg-elevated-new"),
    path("crossorg/rounds/<int:pk>/edit/", views.organised_round_edit_page, name="crossorg-round-edit"),
    path("crossorg/rounds/<int:pk>/people/add/", views.round_person_add_page, name="crossorg-round-person-add"),
    path("crossorg/rounds/<int:pk>/units/add/", views.round_unit_add_page, name="crossorg-round-unit-add"),
    path("crossorg/campaigns/new/", views.campaign_new_page, name="crossorg-campaign-new"),
    path("crossorg/campaigns/<int:pk>/edit/", views.campaign_edit_page, name="crossorg-campaign-edit"),
    path("crossorg/campaigns/<int:pk>/", views.campaign_page, name="crossorg-campaign"),
    path(
        "crossorg/campaigns/<int:pk>/remind/<str:county_code>/",
        views.campaign_remind_page,
        name="crossorg-campaign-remind",
    ),
    path("crossorg/campaigns/<int:pk>/close/", views.campaign_close_page, name="crossorg-campaign-close"),
    path(
        "crossorg/campaigns/<int:pk>/files/<int:file_id>/remove/",
        views.campaign_file_remove_page,
        name="crossorg-campaign-file-remove",
    ),
    path(
        "crossorg/campaigns/<int:pk>/summary.<str:fmt>", views.campaign_summary_page, name="crossorg-campaign-summary"
    ),
    path(
        "crossorg/campaigns/received/<int:replica_id>/", views.campaign_received_page, name="crossorg-campaign-received"
    ),
    path("api/crossorg/cross/", setup_api.CrossRoundCreateAPI.as_view(), name="api-crossorg-cross"),
    path("api/crossorg/elevated/", setup_api.ElevatedRoundCreateAPI.as_view(), name="api-crossorg-elevated"),
    path("api/crossorg/rounds/<int:pk>/", setup_api.OrganisedRoundEditAPI.as_view(), name="api-crossorg-round"),
    path("api/crossorg/rounds/<int:pk>/steering/", setup_api.SteeringAPI.as_view(), name="api-crossorg-steering"),
    path("api/crossorg/rounds/<int:pk>/people/", setup_api.PersonAddAPI.as_view(), name="api-crossorg-round-people"),
    path(
        "api/crossorg/rounds/<int:pk>/people/<int:member_pk>/",
        setup_api.PersonRemoveAPI.as_view(),
        name="api-crossorg-round-person",
    ),
    path("api/crossorg/rounds/<int:pk>/units/", setup_api.UnitAddAPI.as_view(), name="api-crossorg-round-units"),
    path("api/crossorg/campaigns/", setup_api.CampaignCreateAPI.as_view(), name="api-crossorg-campaigns"),
    path("api/crossorg/campaigns/<int:pk>/", setup_api.CampaignEditAPI.as_view(), name="api-crossorg-campaign"),
    path(
        "api/crossorg/campaigns/<int:pk>/files/<int:file_id>/",
        setup_api.CampaignFileAPI.as_view(),
        name="api-crossorg-campaign-file",
    ),
    path(
        "api/crossorg/campaigns/received/<int:replica_id>/decline/",
        setup_api.CampaignDeclineAPI.as_view(),
        name="api-crossorg-campaign-decline",
    ),
    path(
        "api/crossorg/campaigns/<int:pk>/reminders/",
        setup_api.CampaignRemindAPI.as_view(),
        name="api-crossorg-campaign-remind",
    ),
    path(
        "api/crossorg/campaigns/<int:pk>/close/",
        setup_api.CampaignCloseAPI.as_view(),
        name="api-crossorg-campaign-close",
    ),
    path(
        "api/crossorg/campaigns/<int:pk>/summary/",
        setup_api.CampaignSummaryAPI.as_view(),
        name="api-crossorg-campaign-summary",
    ),
    path(
        "api/crossorg/campaigns/received/<int:replica_id>/",
        setup_api.CampaignReceivedAPI.as_view(),
        name="api-crossorg-campaign-received",
    ),
    path(
        "api/crossorg/campaigns/received/<int:replica_id>/accept/",
        setup_api.CampaignAcceptAPI.as_view(),
        name="api-crossorg-campaign-accept",
    ),
    path("api/crossorg/", api.OverviewAPI.as_view(), name="api-crossorg"),
]
