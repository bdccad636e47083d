from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tenants.reports"
    label = "reports"
    verbose_name = _("Reporting and filings (报告与备案)")

    def ready(self) -> None:
        from celery.schedules import crontab
        from django.conf import settings

        from tenants.attachments.registry import attachment_owner_register
        from tenants.attachments.travel import attachment_replica_register, attachment_travels
        from tenants.reminders.selectors import due_source_register
        from tenants.reports import (
            arrivals,  # noqa: F401  (bus record types)
            deadlines,
            panels,  # noqa: F401  (home panels)
            receivers,
            tasks,  # noqa: F401  (the statistics jobs)
        )
        from tenants.reports.models import Filing
        from tenants.reports.selectors import filing_list, received_filing_visible

        # A filing's documents (the signed plan, the summary's scan) go to the province with it.
        attachment_owner_register(model=Filing, visible=lambda *, actor, access: filing_list(access=access))
        attachment_travels(model=Filing)
        attachment_replica_register(record_type="reports.filing", visible=received_filing_visible)

        due_source_register(name="hearing", order=10, source=deadlines.hearing_due_items)
        due_source_register(name="filings", order=50, source=deadlines.filing_due_items)
        receivers.connect()  # the counties' live figures re-published after each transaction that moves them
        # Every morning the counties send their statistics up.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "statistics-send-up-daily",
            {
                "task": "xuncha.fan_out",
                "schedule": crontab(hour=6, minute=45),
                "args": ("reports.statistics_send_up", ["county"]),
            },
        )
        # Every night the counties send their live figures again (anti-entropy; they also travel on every change).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "live-statistics-refresh-nightly",
            {
                "task": "xuncha.fan_out",
                "schedule": crontab(hour=2, minute=30),
                "args": ("reports.live_statistics_refresh", ["county"]),
            },
        )
