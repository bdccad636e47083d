from django.utils.translation import gettext as _

from tenants.reminders.selectors import notifications_unread_count
from xuncha import home_panels
from xuncha.home_panels import Panel


@home_panels.register
def notifications_panel(request):
    org = request.tenant
    if org.kind == "province":
        return None
    unread = notifications_unread_count(access=request.org_access, actor=request.user)
    # No emoji (the office machines have no emoji font: it showed as a box); the page draws an SVG bell.
    title = _("Notifications (%(unread)s unread)") % {"unread": unread} if unread else _("Notifications")
    return Panel(title, f"{org.route}reminders/", _("Deadlines coming up, overdue items, answers from above."), order=5)
