from django.urls import path

from tenants.workbench import api

urlpatterns = [path("api/workbench/", api.WorkbenchApi.as_view(), name="api-workbench")]
