from django.utils.translation import gettext_lazy as _

from tenants.kernel.access import is_office
from tenants.kernel.panels import panel_provider
from tenants.kernel.roles import TEAM_ROLES

inround_panel = panel_provider(
    shown=lambda access: is_office(access) or access.has_role(*TEAM_ROLES),
    title=_("In-round work"),
    url_name="inround:index",
    description=_("Pre-entry information, interviews, petitions, working papers"),
    order=30,
)
