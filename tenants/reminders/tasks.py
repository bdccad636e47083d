"""The daily reminders job (see RemindersConfig.ready for its beat entry)."""

from django.utils import timezone

from tenants.reminders.services import reminders_run
from xuncha.tasks import current_organization, organization_task


@organization_task(name="reminders.run")
def reminders_run_task() -> dict:
    return reminders_run(today=timezone.localdate(), organization=current_organization())
