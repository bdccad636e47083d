"""The bell: this person's notifications in this organisation, and marking them read (its API: api.py)."""

from functools import wraps

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

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


@require_GET
def notification_open(request, notification_id: int):
    """A notice opened from the 工作台 or the list: read by this person, then the page it leads to (the list when it
    leads nowhere). Another person's notice (or one they may not see) is 404."""
    notification = get_object_or_404(
        selectors.notifications_for(access=request.org_access, actor=request.user), pk=notification_id
    )
    services.notifications_mark_read(access=request.org_access, actor=request.user, notification_ids=[notification.pk])
    if not notification.link:
        return redirect("reminders-notifications")
    # Links are written by the services: relative to this organisation, or another organisation's absolute path.
    link = notification.link
    return redirect(link if link.startswith("/") and not link.startswith("//") else f"{request.tenant.route}{link}")


def notices_read_here(view):
    """For a page notices lead to: opening it (GET, when the page answers 200) reads the person's notices that lead
    here, so what they have seen no longer waits among their new arrivals."""

    @wraps(view)
    def opened(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and request.user.is_authenticated:
            route = request.tenant.route
            if request.path.startswith(route):
                services.notifications_mark_read(
                    access=request.org_access, actor=request.user, link=request.path[len(route) :]
                )
        return response

    return opened
