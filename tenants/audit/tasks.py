"""Scheduled job: anchor each organisation's audit chain head (AuditConfig.ready adds the beat entry)."""

from tenants.audit.services import audit_checkpoint
from xuncha.tasks import organization_task


@organization_task(name="audit.checkpoint")
def audit_checkpoint_task() -> dict:

    report = audit_checkpoint()
    return {"ok": report.ok, "rows": report.rows, "anchored": report.anchored, "broken_at": report.broken_at}
