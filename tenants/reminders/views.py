"""The bell: this person's notifications in this organisation, and marking them read (its API: api.py)."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tenants.kernel.views import paginated
from tenants.reminders import selectors, services


def notification_list(request):
    notifications = paginated(request, selectors.notifications_for(access=request.org_access, actor=request.user))
    read = selectors.notifications_read_among(actor=request.user, notifications=notifications)
    return render(
        request,
        "reminders/notifications.html",
        {
            "notifications": [(n, n.pk in read) for n in notifications],
            "page": notifications,
            "unread": selectors.notifications_unread_count(access=request.org_access, actor=request.user),
        },
    )


@require_POST
def notifications_read(request):
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()] or None
    services.notifications_mark_read(access=request.org_access, actor=request.user, notification_ids=ids)
    return redirect("reminders-notifications")


@require_POST
def notification_read(request, notification_id: int):
    """One notice marked read by the person it is for; another person's notice (or one they may not see) is 404."""
    notification = get_object_or_404(
        selectors.notifications_for(access=request.org_access, actor=request.user), pk=notification_id
    )
    services.notifications_mark_read(access=request.org_access, actor=request.user, notification_ids=[notification.pk])
    return redirect("reminders-notifications")
