from django.utils.translation import gettext_lazy as _

from tenants.kernel.panels import panel_provider

search_panel = panel_provider(
    shown=lambda access: True,  # every member may search (the results are what each may see)
    title=_("Search"),
    url_name="search:page",
    description=_("Rounds, units, findings, clues, records and rectification items you may see"),
    order=5,
)
