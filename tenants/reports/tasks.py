"""The daily statistics job (see ReportsConfig.ready for its beat entry)."""

from django.utils import timezone

from tenants.reports.services import statistics_send_up
from xuncha.tasks import current_organization, organization_task


@organization_task(name="reports.statistics_send_up")
def statistics_send_up_task() -> list[str]:
    """Send this year's and this quarter's statistics to the office above."""
    today = timezone.localdate()
    organization = current_organization()
    periods = [str(today.year), f"{today.year}-Q{(today.month - 1) // 3 + 1}"]
    for period in periods:
        statistics_send_up(organization=organization, period=period)
    return periods
