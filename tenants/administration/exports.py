"""The audit log as a spreadsheet (xlsx, openpyxl) or CSV, for the audit administrator.

The export carries what the page shows plus the raw detail and the browser; it is itself an audited event (who
exported, with which filters, how many rows), and no browser or proxy may keep it (Cache-Control: no-store).
In the spreadsheet each event's moment is a date cell (it sorts) shown as the pages write it, to the second
(2026年12月3日 15:28:05 in zh-hans); the CSV, for other programs, keeps "2026-12-03 15:28:05"."""

from __future__ import annotations

import csv
import io

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from shared.accounts.models import Classification
from tenants.administration.selectors import AuditFilter, audit_event_search, audit_record_words, audit_via_words
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.kernel.documents import excel_moment_format, excel_value
from tenants.kernel.files import file_response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula (a user name such as =HYPERLINK(...))."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _header() -> list[str]:
    return [
        _("chain position"),
        _("at"),
        _("user"),
        _("organisation"),
        _("access via"),
        _("action"),
        _("record type"),
        _("record key"),
        _("classification"),
        _("IP address"),
        _("user agent"),
        _("detail"),
    ]


def _rows(filters: AuditFilter):
    """Each event's row; its moment (the second column) in the office's local time, without its zone."""
    for event in audit_event_search(filters=filters).iterator(chunk_size=2000):
        yield [
            str(event.seq),
            excel_value(event.at),
            event.username,
            event.organization_code,
            audit_via_words(event),
            event.get_action_display(),
            audit_record_words(event),
            event.record_key,
            Classification(event.classification).label,
            event.ip,
            event.user_agent,
            event.detail,
        ]


def audit_export(*, request, filters: AuditFilter, fmt: str):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    rows = [[_cell(seq), at, *(_cell(value) for value in rest)] for seq, at, *rest in _rows(filters)]
    audit_event_record(
        action=AuditAction.EXPORT,
        record_type="audit.auditevent",
        record_key="",
        classification=Classification.INTERNAL,
        request=request,
        detail={"format": fmt, "filters": filters.as_detail(), "rows": len(rows)},
    )
    filename = f"audit-{request.tenant.code}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_header())
        writer.writerows([row[0], f"{row[1]:%Y-%m-%d %H:%M:%S}", *row[2:]] for row in rows)  # machine format
        # With a byte-order mark, so that Excel opens the Chinese text as UTF-8.
        return file_response(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8", filename=filename
        )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit log"))
    sheet.append(_header())
    moment_format = excel_moment_format(seconds=True)
    for seq, at, *rest in rows:
        moment = WriteOnlyCell(sheet, value=at)
        moment.number_format = moment_format
        sheet.append([seq, moment, *rest])
    buffer = io.BytesIO()
    book.save(buffer)
    return file_response(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=filename,
    )
