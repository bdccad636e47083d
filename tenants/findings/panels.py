from django.urls import reverse
from django.utils.translation import gettext as _

from tenants.inround.panels import home_panel
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES


def findings_panel(request):
    access = request.org_access
    if not (is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES)):
        return None
    return home_panel(
        _("Findings and clues"), reverse("findings:index"), _("Problems found, fixed on the spot, clues"), 40
    )
