from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tenants.audit"
    label = "audit"
    verbose_name = _("Access audit (涉密访问审计)")

    def ready(self) -> None:
        from django.conf import settings

        from shared.grants.models import AccessGrant
        from shared.grants.signals import grant_changed
        from tenants.audit import tasks  # noqa: F401  (the checkpoint task)
        from tenants.audit.receivers import grant_change_audit
        from tenants.audit.sharing import audit_sharing_register

        audit_sharing_register()  # the checkpoints' record type, up to the parent over the bus

        # Every 10 minutes each organisation's chain head is anchored outside the database (tenants/audit/anchors.py).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "audit-checkpoint", {"task": "xuncha.fan_out", "schedule": 600.0, "args": ("audit.checkpoint",)}
        )
        # Grant changes (shared.grants, public schema) are written to the granting organisation's chain.
        grant_changed.connect(grant_change_audit, sender=AccessGrant, dispatch_uid="audit.grant_change")
