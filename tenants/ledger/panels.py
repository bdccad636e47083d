"""The county ledger's home-page panel (督办台账): one per kind of ledger row, shown to a county's office
and readers only (a city assigns, a county keeps the ledger)."""

from __future__ import annotations

from django.urls import reverse

from tenants.kernel.access import is_office, is_reader
from xuncha.home_panels import Panel


def ledger_panel(request, *, title: str, url_name: str, description: str, order: int) -> Panel | None:
    access = request.org_access
    tenant = getattr(request, "tenant", None)
    if getattr(tenant, "kind", None) != "county" or not (is_office(access) or is_reader(access)):
        return None
    return Panel(title=title, url=reverse(url_name), description=description, order=order)
