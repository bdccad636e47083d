"""Home-page panels of the core apps (registered from each AppConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.kernel.roles import ROUND_READERS, can_oversee
from xuncha.home_panels import Panel


def rounds_panel(request):
    if request.org_access.has_role(*ROUND_READERS):
        return Panel(_("Rounds"), f"{request.tenant.route}rounds/", _("Rounds, teams, lifecycle (巡察轮次)"), 10)
    return None


def plans_panel(request):
    if can_oversee(request.org_access):
        return Panel(_("Plans"), f"{request.tenant.route}plans/", _("Multi-year, annual and phase plans"), 20)
    return None


def targets_panel(request):
    if can_oversee(request.org_access):
        return Panel(_("Inspection targets"), f"{request.tenant.route}targets/", _("Units, leaders, coverage"), 30)
    return None


def experts_panel(request):
    if can_oversee(request.org_access):
        return Panel(_("Expert pool"), f"{request.tenant.route}experts/", _("巡察人才库 and avoidance"), 40)
    return None


def office_panel(request):
    if can_oversee(request.org_access):
        return Panel(
            _("Office settings"),
            f"{request.tenant.route}office/settings/",
            _("Deadlines, coverage cycle, holidays, finding categories"),
            80,
        )
    return None
