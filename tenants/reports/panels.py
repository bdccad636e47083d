"""Home-page cards and sidebar entries of reporting."""

from django.utils.translation import gettext as _

from tenants.reports.selectors import CITY_REPORTING_ROLES as CITY_ROLES
from tenants.reports.selectors import PROVINCE_ROLES
from xuncha import home_panels
from xuncha.home_panels import Panel


@home_panels.register
def filings_panel(request):
    org = request.tenant
    if org.kind == "province" and request.org_access.has_role(*PROVINCE_ROLES):
        return Panel(
            _("Filings received (备案)"),
            f"{org.route}reports/inbox/",
            _("Plans, schedules, summaries and hearing records the cities filed."),
            order=20,
        )
    if org.kind == "city" and request.org_access.has_role(*CITY_ROLES):
        return Panel(
            _("Filings with the province (报省备案)"),
            f"{org.route}reports/filings/",
            _("File plans, summaries and hearing records; see the province's answers."),
            order=20,
        )
    return None


@home_panels.register
def summaries_panel(request):
    org = request.tenant
    if org.kind in ("city", "county") and request.org_access.has_role(*CITY_ROLES):
        return Panel(
            _("Statistics and summaries (统计汇总)"),
            f"{org.route}reports/summary/",
            _("Counts per round and per period, generated from the records."),
            order=21,
        )
    return None


@home_panels.register
def oversight_panel(request):
    org = request.tenant
    if org.kind == "city" and request.org_access.has_role(*CITY_ROLES):
        return Panel(
            _("Counties at a glance (县区督导)"),
            f"{org.route}reports/oversight/",
            _("Each county's rounds, overdue items, rectification and coverage."),
            order=22,
        )
    return None
