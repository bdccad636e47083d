"""Scheduled jobs (see RemindersConfig.ready for the beat entries)."""

from django.db import connection
from django.utils import timezone

from xuncha.tasks import organization_task


def _current_organization():
    from shared.orgs.models import Organization

    return Organization.objects.get(schema_name=connection.schema_name)


@organization_task(name="reminders.run")
def reminders_run_task() -> dict:
    from tenants.reminders.services import reminders_run

    return reminders_run(today=timezone.localdate(), organization=_current_organization())


@organization_task(name="reports.statistics_send_up")
def statistics_send_up_task() -> list[str]:
    """Send this year's and this quarter's statistics to the office above."""
    from tenants.reports.services import statistics_send_up

    today = timezone.localdate()
    organization = _current_organization()
    periods = [str(today.year), f"{today.year}-Q{(today.month - 1) // 3 + 1}"]
    for period in periods:
        statistics_send_up(organization=organization, period=period)
    return periods
