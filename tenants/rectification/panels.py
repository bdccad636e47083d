from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Role
from tenants.kernel.panels import office_readers_and, panel_provider
from tenants.kernel.roles import TEAM_ROLES
from tenants.ledger.panels import ledger_panel
from tenants.rectification import views

rectification_panel = panel_provider(
    shown=office_readers_and(*TEAM_ROLES, Role.UNIT_LIAISON),
    title=_("Feedback and rectification"),
    url_name="rectification:index",
    description=_("Feedback, signed receipts, plans, rectification lists and ledger"),
    order=60,
)

# A county's ledger of its city's rectification items (督办整改事项).
supervised_panel = ledger_panel(views.SUPERVISED_PAGE)
