"""The daily statistics job (see ReportsConfig.ready for its beat entry)."""

from django.utils import timezone

from tenants.reports.services import live_statistics_refresh, statistics_send_up
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


@organization_task(name="reports.live_statistics_refresh")
def live_statistics_refresh_task() -> int:
    """Nightly anti-entropy for the county's live figures: re-send them (re-read, or the copy the city holds)."""
    return live_statistics_refresh(organization=current_organization())
