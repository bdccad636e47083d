"""Home-page panels of the core apps (registered from each AppConfig.ready): who sees each one, where it leads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants.kernel.roles import ROUND_READERS, can_oversee
from xuncha.home_panels import Panel

if TYPE_CHECKING:
    from shared.accounts.selectors import OrganizationAccess
    from tenants.kernel.views import OrgRequest

PanelProvider = Callable[["OrgRequest"], Panel | None]


def _panel(
    *, shown: Callable[[OrganizationAccess], bool], title: Promise, url_name: str, description: Promise, order: int
) -> PanelProvider:
    def provider(request: OrgRequest) -> Panel | None:
        if not shown(request.org_access):
            return None
        return Panel(str(title), reverse(url_name), str(description), order)

    return provider


def _reads_rounds(access: OrganizationAccess) -> bool:
    return access.has_role(*ROUND_READERS)


rounds_panel = _panel(
    shown=_reads_rounds,
    title=_("Rounds"),
    url_name="rounds-list",
    description=_("Rounds, teams, lifecycle (巡察轮次)"),
    order=10,
)
plans_panel = _panel(
    shown=can_oversee,
    title=_("Plans"),
    url_name="plans-list",
    description=_("Multi-year, annual and phase plans"),
    order=20,
)
targets_panel = _panel(
    shown=can_oversee,
    title=_("Inspection targets"),
    url_name="targets-list",
    description=_("Units, leaders, coverage"),
    order=30,
)
experts_panel = _panel(
    shown=can_oversee,
    title=_("Expert pool"),
    url_name="experts-list",
    description=_("巡察人才库 and avoidance"),
    order=40,
)
office_panel = _panel(
    shown=can_oversee,
    title=_("Office settings"),
    url_name="office-settings",
    description=_("Deadlines, coverage cycle, holidays, finding categories"),
    order=80,
)
