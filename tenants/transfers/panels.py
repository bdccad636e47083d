from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Role
from tenants.kernel.panels import office_readers_and, panel_provider
from tenants.kernel.roles import TEAM_ROLES
from tenants.ledger.panels import ledger_panel
from tenants.transfers import views

transfers_panel = panel_provider(
    shown=office_readers_and(*TEAM_ROLES, Role.AGENCY_RECEIVER),
    title=_("Transfers"),
    url_name="transfers:index",
    description=_("Hand-over of clues and issues, handling reports, overdue"),
    order=50,
)

# A county's ledger of its city's transfers (督办).
received_panel = ledger_panel(views.RECEIVED_PAGE)
