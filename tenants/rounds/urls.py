from django.urls import path

from tenants.rounds import api, views

urlpatterns = [
    path("rounds/", views.round_list_page, name="rounds-list"),
    path("rounds/new/", views.round_edit_page, name="rounds-new"),
    path("rounds/<int:pk>/", views.round_detail_page, name="rounds-detail"),
    path("rounds/<int:pk>/edit/", views.round_edit_page, name="rounds-edit"),
    path("rounds/<int:pk>/transition/", views.round_transition_view, name="rounds-transition"),
    path("rounds/<int:pk>/teams/", views.team_create_view, name="rounds-team-create"),
    path("rounds/<int:pk>/authorise/", views.expert_authorise_view, name="rounds-authorise"),
    path("rounds/<int:pk>/teams/<int:team_pk>/members/", views.member_add_view, name="rounds-member-add"),
    path(
        "rounds/<int:pk>/teams/<int:team_pk>/members/<int:member_pk>/remove/",
        views.member_remove_view,
        name="rounds-member-remove",
    ),
    path("rounds/<int:pk>/teams/<int:team_pk>/targets/", views.target_add_view, name="rounds-target-add"),
    path(
        "rounds/<int:pk>/teams/<int:team_pk>/targets/<int:assignment_pk>/remove/",
        views.target_remove_view,
        name="rounds-target-remove",
    ),
    path("api/rounds/", api.RoundListCreate.as_view(), name="api-rounds"),
    path("api/rounds/<int:pk>/", api.RoundDetail.as_view(), name="api-round"),
    path("api/rounds/<int:pk>/transition/", api.RoundTransitionView.as_view(), name="api-round-transition"),
    path("api/rounds/<int:pk>/teams/", api.TeamCreate.as_view(), name="api-round-teams"),
    path("api/rounds/<int:pk>/authorise/", api.AuthoriseView.as_view(), name="api-round-authorise"),
    path("api/rounds/<int:pk>/teams/<int:team_pk>/members/", api.MemberAdd.as_view(), name="api-team-members"),
    path("api/rounds/<int:pk>/teams/<int:team_pk>/targets/", api.TargetAdd.as_view(), name="api-team-targets"),
]
