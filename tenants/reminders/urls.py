from django.urls import path

from tenants.reminders import api, views

urlpatterns = [
    path("reminders/", views.notification_list, name="reminders-notifications"),
    path("reminders/read/", views.notifications_read, name="reminders-read"),
    path("reminders/<int:notification_id>/read/", views.notification_read, name="reminders-read-one"),
    path("reminders/<int:notification_id>/open/", views.notification_open, name="reminders-open"),
    path("api/reminders/notifications/", api.NotificationsApi.as_view(), name="api-reminders-notifications"),
]
