from django.urls import path

from tenants.planning import api, views

urlpatterns = [
    path("plans/", views.plan_list_page, name="plans-list"),
    path("plans/<str:kind>/new/", views.plan_edit_page, name="plans-new"),
    path("plans/<str:kind>/<int:pk>/", views.plan_detail_page, name="plans-detail"),
    path("plans/<str:kind>/<int:pk>/edit/", views.plan_edit_page, name="plans-edit"),
    path("plans/<str:kind>/<int:pk>/submit/", views.plan_submit_view, name="plans-submit"),
    path("plans/<str:kind>/<int:pk>/decide/", views.plan_decide_view, name="plans-decide"),
    path("api/plans/multi-year/", api.MultiYearPlanList.as_view(), name="api-plans-multi-year"),
    path("api/plans/annual/", api.AnnualPlanList.as_view(), name="api-plans-annual"),
    path("api/plans/phase/", api.PhaseScheduleList.as_view(), name="api-plans-phase"),
    path("api/plans/<str:kind>/<int:pk>/submit/", api.PlanSubmitView.as_view(), name="api-plans-submit"),
    path("api/plans/<str:kind>/<int:pk>/decide/", api.PlanDecideView.as_view(), name="api-plans-decide"),
]
