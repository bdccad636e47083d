from django.urls import reverse
from django.utils.translation import gettext as _

from shared.accounts.models import Role
from tenants.inround.panels import home_panel
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES
from tenants.ledger.panels import ledger_panel
from tenants.rectification import views


def rectification_panel(request):
    access = request.org_access
    if not (is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES, Role.UNIT_LIAISON)):
        return None
    return home_panel(
        _("Feedback and rectification"),
        reverse("rectification:index"),
        _("Feedback, signed receipts, plans, rectification lists and ledger"),
        60,
    )


# A county's ledger of its city's rectification items (督办整改事项).
supervised_panel = ledger_panel(views.SUPERVISED_PAGE)
