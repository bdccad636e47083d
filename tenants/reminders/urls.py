from django.urls import path

from tenants.reminders import api, views

urlpatterns = [
    path("reminders/", views.notification_list, name="reminders-notifications"),
    path("reminders/read/", views.notifications_read, name="reminders-read"),
    path("api/reminders/notifications/", api.NotificationsApi.as_view(), name="api-reminders-notifications"),
]
