from django.urls import reverse
from django.utils.translation import gettext as _

from tenants.inround.panels import home_panel


def search_panel(request):
    return home_panel(
        _("Search"),
        reverse("search:page"),
        _("Rounds, units, findings, clues, records and rectification items you may see"),
        5,
    )
