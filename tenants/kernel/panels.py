"""Home-page panels of the core apps (registered from each AppConfig.ready): who sees each one, where it leads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import ROUND_READERS, can_oversee, can_read_settings
from xuncha.home_panels import Panel
from xuncha.permissions import open_to_administrators

if TYPE_CHECKING:
    from shared.accounts.selectors import OrganizationAccess
    from tenants.kernel.views import OrgRequest

PanelProvider = Callable[["OrgRequest"], Panel | None]


def panel_provider(
    *, shown: Callable[[OrganizationAccess], bool], title: Promise, url_name: str, description: Promise, order: int
) -> PanelProvider:
    """A home-page card: shown to whom `shown(request.org_access)` holds, leading to the page named `url_name`."""

    def provider(request: OrgRequest) -> Panel | None:
        if not shown(request.org_access):
            return None
        return Panel(str(title), reverse(url_name), str(description), order)

    return provider


def office_readers_and(*roles: str) -> Callable[[OrganizationAccess], bool]:
    """Shown to the office, the readers and anyone holding one of `roles`."""

    def shown(access: OrganizationAccess) -> bool:
        return is_office(access) or is_reader(access) or access.has_role(*roles)

    return shown


def _reads_rounds(access: OrganizationAccess) -> bool:
    return access.has_role(*ROUND_READERS)


rounds_panel, plans_panel, targets_panel, experts_panel, office_panel = (
    panel_provider(shown=shown, title=title, url_name=url_name, description=description, order=order)
    for shown, title, url_name, description, order in (
        (_reads_rounds, _("Rounds"), "rounds-list", _("Rounds, teams, lifecycle (巡察轮次)"), 10),
        (can_oversee, _("Plans"), "plans-list", _("Multi-year, annual and phase plans"), 20),
        (can_oversee, _("Inspection targets"), "targets-list", _("Units, leaders, coverage"), 30),
        (can_oversee, _("Expert pool"), "experts-list", _("巡察人才库 and avoidance"), 40),
        (
            can_read_settings,
            _("Office settings"),
            "office-settings",
            _("Deadlines, coverage cycle, holidays, finding categories"),
            80,
        ),
    )
)
# The office's configuration is the system administrator's too (三员分立: accounts and configuration, no content).
open_to_administrators(office_panel)
