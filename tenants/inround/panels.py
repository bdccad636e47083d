from django.urls import reverse
from django.utils.translation import gettext as _

from tenants.kernel.access import is_office
from tenants.kernel.roles import TEAM_ROLES


def inround_panel(request):
    access = request.org_access
    if not (is_office(access) or access.has_role(*TEAM_ROLES)):
        return None
    return home_panel(
        _("In-round work"),
        reverse("inround:index"),
        _("Pre-entry information, interviews, petitions, working papers"),
        30,
    )


def home_panel(title, url, description, order):
    from xuncha.home_panels import Panel

    return Panel(title=title, url=url, description=description, order=order)
