"""The county ledger's home-page panel (督办台账): one per kind of ledger row, shown to a county's office
and readers only (a city assigns, a county keeps the ledger)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tenants.kernel.access import is_office, is_reader
from tenants.ledger.views import LedgerPage
from xuncha.home_panels import Panel


def ledger_panel(page: LedgerPage) -> Callable[..., Panel | None]:
    """The home-page panel of one kind's ledger page (register it from the app's ready())."""

    def panel(request) -> Panel | None:
        access = request.org_access
        tenant = getattr(request, "tenant", None)
        if getattr(tenant, "kind", None) != "county" or not (is_office(access) or is_reader(access)):
            return None
        return Panel(
            title=str(page.title),
            url=reverse(page.list_url),
            description=str(page.panel_description),
            order=page.panel_order,
        )

    return panel
