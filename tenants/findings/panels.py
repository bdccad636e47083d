from django.utils.translation import gettext_lazy as _

from tenants.kernel.panels import office_readers_and, panel_provider
from tenants.kernel.roles import TEAM_ROLES

findings_panel = panel_provider(
    shown=office_readers_and(*TEAM_ROLES),
    title=_("Findings and clues"),
    url_name="findings:index",
    description=_("Problems found, fixed on the spot, clues"),
    order=40,
)
