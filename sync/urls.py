from django.urls import path

from sync import views

urlpatterns = [path("sync/", views.sync_status_page, name="sync-status")]
