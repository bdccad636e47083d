from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "tenants.reminders"
    label = "reminders"
    verbose_name = _("Reminders and notifications (提醒与通知)")

    def ready(self) -> None:
        from celery.schedules import crontab
        from django.conf import settings

        from tenants.reminders import panels, sharing, tasks  # noqa: F401  (panels, bus type, tasks)

        # Every morning: each organisation checks its deadlines; counties send their statistics up.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "reminders-daily",
            {"task": "xuncha.fan_out", "schedule": crontab(hour=7, minute=30), "args": ("reminders.run",)},
        )
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "statistics-send-up-daily",
            {
                "task": "xuncha.fan_out",
                "schedule": crontab(hour=6, minute=45),
                "args": ("reports.statistics_send_up", ["county"]),
            },
        )
