from django.urls import path

from tenants.search import api, views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("api/search/", api.SearchApi.as_view(), name="api"),
]
