"""The page of what this organisation (and this person) sees of elevated, cross-county and linked work (its
API: api.py). Thin: selectors decide visibility."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shared.grants.selectors import grants_active_for_user
from tenants.crossorg import selectors
from tenants.crossorg.services import campaign_instantiate
from tenants.kernel.roles import MANAGERS
from xuncha import home_panels


def overview_page(request):
    data = selectors.overview(user=request.user, access=request.org_access)
    # dates as dates, shown in the page's language
    data["notices"] = [
        (notice, parse_date(notice.text("start_date")), parse_date(notice.text("end_date")))
        for notice in data.get("notices", [])
    ]
    return render(request, "crossorg/overview.html", data)


@require_POST
def campaign_instantiate_page(request, replica_id: int):
    if not request.org_access.has_role(*MANAGERS):
        raise PermissionDenied
    replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
    if replica is None:
        raise Http404
    try:
        campaign_instantiate(
            replica=replica, name=request.POST.get("name", "").strip() or replica.body["title"], created_by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The campaign's round has been created."))
    return redirect("crossorg-overview")


def crossorg_panel(request):
    access = getattr(request, "org_access", None)
    if access is None or not access.roles:
        return None
    return home_panels.Panel(
        title=str(gettext_lazy("Elevated, cross-county and linked")),
        url=reverse("crossorg-overview"),
        description=str(gettext_lazy("提级、交叉、联动巡察")),
        order=45,
    )


home_panels.register(crossorg_panel)


def granted_work_panel(request):
    """At home, a cross-county team member finds the way to the organisation whose targets the team
    inspects (a grant, not a membership: it shows only while the on-site window is open)."""
    if not getattr(request.user, "is_authenticated", False) or getattr(request, "org_access", None) is None:
        return None
    grant = grants_active_for_user(user=request.user).exclude(organization_id=request.tenant.pk).first()
    if grant is None:
        return None
    return home_panels.Panel(
        title=str(_("Cross-county inspection: %(org)s") % {"org": grant.organization.name}),
        url=f"{grant.organization.route}crossorg/",
        order=5,
        description=str(
            _("Your team's assigned targets there, open until %(end)s.")
            % {"end": date_format(grant.ends_on, "DATE_FORMAT")}
        ),
    )


home_panels.register(granted_work_panel)
