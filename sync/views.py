"""The operators' page: /org/<code>/sync/ (office admins): this organisation and those below it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from shared.accounts.models import Role
from sync.models import DeadLetter
from sync.status import status_rows
from sync.transport import bus_from_settings
from xuncha.home_panels import Panel


def _descendant_codes(organization: Any) -> list[str]:
    """This organisation and those below it hosted here (a county of another deployment, reached by a link or
    bundles, has no schema here to report on: its backlog is on the bundle page)."""
    codes, frontier = [organization.code], [organization]
    while frontier:
        children = [child for parent in frontier for child in parent.children.all()]
        codes.extend(child.code for child in children if not child.remote_route)
        frontier = children
    return codes


def sync_panel(request: Any) -> Panel | None:
    if request.org_access.has_role(Role.OFFICE_ADMIN):
        return Panel(_("Sync bus"), f"{request.tenant.route}sync/", _("Outbox, queues, dead letters, last sync"), 90)
    return None


def sync_status_page(request: Any) -> HttpResponse:
    if not request.org_access.has_role(Role.OFFICE_ADMIN):
        raise PermissionDenied

    rows = status_rows(codes=_descendant_codes(request.tenant), bus=bus_from_settings())
    with schema_context(request.tenant.schema_name):
        dead_letters = list(DeadLetter.objects.all()[:50])
    return render(request, "sync/status.html", {"rows": rows, "dead_letters": dead_letters})
