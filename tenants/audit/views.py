"""One-line adoption of the read audit in domain views.

audited_read(request, clue)                     # function views, after the permission check
class ClueDetail(AuditedReadMixin, DetailView)  # Django generic views and DRF generic views
"""

from __future__ import annotations

from tenants.audit.models import AuditAction
from tenants.audit.services import audit_record_read, audit_records_read


def audited_read(request, record, *, action: str = AuditAction.READ):
    """Log the read of one record that has a `classification` (records without one are not
    classified and not logged); returns the record for chaining."""
    if getattr(record, "classification", None) is None:
        return record
    audit_record_read(
        record_type=record._meta.label_lower,
        record_key=record.pk,
        classification=record.classification,
        request=request,
        action=action,
    )
    return record


def audited_list(request, records, *, action: str = AuditAction.LIST):
    """Log every classified record a page, search result or export shows; returns the records."""
    records = list(records)
    audit_records_read(
        records=[r for r in records if getattr(r, "classification", None) is not None], request=request, action=action
    )
    return records


class AuditedReadMixin:
    """For DetailView/UpdateView and DRF GenericAPIView: get_object() logs the classified read."""

    def get_object(self, *args, **kwargs):
        return audited_read(self.request, super().get_object(*args, **kwargs))
