from django.utils.translation import gettext as _

from tenants.reminders.selectors import notifications_unread_count
from xuncha import home_panels
from xuncha.home_panels import Panel


def unread_count(request) -> int:
    """This person's unread notices here, counted once a request (the card and the header's bell both show it)."""
    cached = getattr(request, "_xuncha_unread_notices", None)
    if cached is None:
        cached = notifications_unread_count(access=request.org_access, actor=request.user)
        request._xuncha_unread_notices = cached
    return cached


@home_panels.register
def notifications_panel(request):
    org = request.tenant
    if org.kind == "province":
        return None
    unread = unread_count(request)
    # No emoji (the office machines have no emoji font: it showed as a box); the page draws an SVG bell.
    title = _("Notifications (%(unread)s unread)") % {"unread": unread} if unread else _("Notifications")
    return Panel(title, f"{org.route}reminders/", _("Deadlines coming up, overdue items, answers from above."), order=5)
