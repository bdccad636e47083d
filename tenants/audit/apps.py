from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tenants.audit"
    label = "audit"
    verbose_name = _("Access audit (涉密访问审计)")

    def ready(self) -> None:
        from django.conf import settings

        from tenants.audit import tasks  # noqa: F401  (the checkpoint task)

        # Every 10 minutes each organisation's chain head is anchored outside the database (tenants/audit/anchors.py).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "audit-checkpoint", {"task": "xuncha.fan_out", "schedule": 600.0, "args": ("audit.checkpoint",)}
        )
