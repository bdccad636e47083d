from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "tenants.reminders"
    label = "reminders"
    verbose_name = _("Reminders and notifications (提醒与通知)")

    def ready(self) -> None:
        from celery.schedules import crontab
        from django.conf import settings

        from shared.grants.models import AccessGrant
        from shared.grants.signals import grant_committed
        from tenants.reminders import arrivals, panels, tasks  # noqa: F401  (bus type, panels, tasks)
        from tenants.reminders.receivers import grant_notices_follow

        # A grant's notices follow it as soon as its change commits (its own signal: grant_changed is the audit's).
        grant_committed.connect(grant_notices_follow, sender=AccessGrant, dispatch_uid="reminders.grant_notices")

        # Every morning each organisation checks its deadlines (the apps register them: due_source_register).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "reminders-daily",
            {"task": "xuncha.fan_out", "schedule": crontab(hour=7, minute=30), "args": ("reminders.run",)},
        )
