from django.urls import path

from tenants.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("api/search/", views.SearchApi.as_view(), name="api"),
]
