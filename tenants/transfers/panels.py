from django.urls import reverse
from django.utils.translation import gettext as _

from shared.accounts.models import Role
from tenants.inround.panels import home_panel
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES
from tenants.ledger.panels import ledger_panel
from tenants.transfers import views


def transfers_panel(request):
    access = request.org_access
    if not (is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES, Role.AGENCY_RECEIVER)):
        return None
    return home_panel(
        _("Transfers"), reverse("transfers:index"), _("Hand-over of clues and issues, handling reports, overdue"), 50
    )


# A county's ledger of its city's transfers (督办).
received_panel = ledger_panel(views.RECEIVED_PAGE)
