"""The daily reminders job (see RemindersConfig.ready for its beat entry)."""

from django.utils import timezone

from tenants.reminders.services import grant_notices_sync, reminders_run
from xuncha.tasks import current_organization, organization_task


@organization_task(name="reminders.run")
def reminders_run_task() -> dict:
    today, organization = timezone.localdate(), current_organization()
    return {
        **reminders_run(today=today, organization=organization),
        "grants": grant_notices_sync(organization=organization, today=today),
    }
