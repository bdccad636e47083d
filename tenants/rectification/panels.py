from django.urls import reverse
from django.utils.translation import gettext as _

from shared.accounts.models import Role
from tenants.inround.panels import home_panel
from tenants.kernel.access import TEAM_ROLES, is_office, is_reader


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


def supervised_panel(request):
    """A county's ledger of its superior's rectification items (督办整改事项)."""
    access = request.org_access
    tenant = getattr(request, "tenant", None)
    if getattr(tenant, "kind", None) != "county" or not (is_office(access) or is_reader(access)):
        return None
    return home_panel(
        _("Supervised rectification items"),
        reverse("rectification:supervised"),
        _("The city's rectification items assigned to us: deadlines, our progress reported up"),
        61,
    )
