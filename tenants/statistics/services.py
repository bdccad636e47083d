"""Submitting a period's statistics; the report is shared up in the same transaction."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sync.outbox import record_changed
from tenants.statistics.models import COUNT_FIELDS, StatisticsReport

PERIOD_RE = re.compile(r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$")


@transaction.atomic
def statistics_report_submit(*, period: str, **counts: int) -> StatisticsReport:
    """Create or replace the report for `period` (2026, 2026-Q3 or 2026-07)."""
    errors = {}
    if not PERIOD_RE.match(period or ""):
        errors["period"] = _("Use a period like 2026, 2026-Q3 or 2026-07.")
    unknown = set(counts) - set(COUNT_FIELDS)
    if unknown:
        errors["__all__"] = _("Unknown count(s): %(names)s") % {"names": ", ".join(sorted(unknown))}
    for name, value in counts.items():
        if name in COUNT_FIELDS and (not isinstance(value, int) or value < 0):
            errors[name] = _("A count is a whole number of at least 0.")
    if counts.get("rectification_closed", 0) > counts.get("rectification_items", 0):
        errors["rectification_closed"] = _("More items closed than rectification items.")
    if errors:
        raise ValidationError(errors)
    report, _created = StatisticsReport.objects.update_or_create(period=period, defaults=counts)
    record_changed(instance=report)
    return report
