from django.urls import path

from tenants.experts import api, views

urlpatterns = [
    path("experts/", views.expert_list_page, name="experts-list"),
    path("experts/new/", views.expert_edit_page, name="experts-new"),
    path("experts/import/", views.expert_import_page, name="experts-import"),
    path("experts/import/template.xlsx", views.expert_import_template_page, name="experts-import-template"),
    path("experts/<int:pk>/", views.expert_detail_page, name="experts-detail"),
    path("experts/<int:pk>/edit/", views.expert_edit_page, name="experts-edit"),
    path(
        "experts/<int:pk>/conflicts/<int:conflict_pk>/withdraw/",
        views.conflict_withdraw_view,
        name="experts-conflict-withdraw",
    ),
    path("api/experts/", api.ExpertListCreate.as_view(), name="api-experts"),
    path("api/experts/<int:pk>/conflicts/", api.ExpertConflicts.as_view(), name="api-expert-conflicts"),
]
