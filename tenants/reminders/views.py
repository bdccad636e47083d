"""The bell: this person's notifications in this organisation, and marking them read (its API: api.py)."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenants.reminders import selectors, services
from tenants.reminders.models import Notification


def notification_list(request):
    notifications = selectors.notifications_for(access=request.org_access)[:200]
    read = set(Notification.objects.filter(reads__user=request.user).values_list("pk", flat=True))
    return render(
        request,
        "reminders/notifications.html",
        {
            "notifications": [(n, n.pk in read) for n in notifications],
            "unread": selectors.notifications_unread_count(access=request.org_access, actor=request.user),
        },
    )


@require_POST
def notifications_read(request):
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()] or None
    services.notifications_mark_read(access=request.org_access, actor=request.user, notification_ids=ids)
    return redirect("reminders-notifications")
