"""The office's holiday table import (节假日与调休): a spreadsheet of days off and working days, each set by
the table's own service, or nothing at all when one row is wrong; and its template."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.kernel.imports import Column, import_body, import_rows_check, import_template
from tenants.office.models import HolidayOverride
from tenants.office.services import holiday_override_set

KIND_BY_TEXT = {"放假": False, "休息": False, "假日": False, "上班": True, "工作日": True, "调休上班": True}
COLUMNS = (
    Column("date", "日期", "格式 2026-10-01。同一日期只能出现一次；已有时更新。", "2026-10-01", required=True),
    Column("kind", "类型", "放假 或 上班（调休上班的周末填上班）。", "放假", required=True),
    Column("note", "说明", "如：国庆节、国庆调休。", "国庆节"),
)


def _prepare(seen: dict[date, int], number: int, row: dict):
    text = row.get("date", "").strip()[:10]
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"date": _("a date must look like 2026-10-01")}) from None
    if day in seen:
        raise ValidationError({"date": _("this date already appears in row %(row)s") % {"row": seen[day]}})
    seen[day] = number
    kind = row.get("kind", "").strip()
    if kind not in KIND_BY_TEXT:
        raise ValidationError({"kind": _("unknown type “%(text)s” (放假 or 上班)") % {"text": kind[:20]}})
    note = row.get("note", "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("at most 200 characters")})
    return day, KIND_BY_TEXT[kind], note


@transaction.atomic
def holidays_import(*, content: bytes, filename: str) -> dict[str, int]:
    """Every row set through holiday_override_set, or nothing when a row is wrong (ImportRowsError)."""
    body = import_body(content=content, filename=filename, columns=COLUMNS)
    seen: dict[date, int] = {}
    prepared = import_rows_check(body=body, columns=COLUMNS, prepare=lambda number, row: _prepare(seen, number, row))
    known = set(
        HolidayOverride.objects.filter(date__in=[day for day, _w, _n in prepared]).values_list("date", flat=True)
    )
    for day, is_working_day, note in prepared:
        holiday_override_set(day=day, is_working_day=is_working_day, note=note)
    return {"created": len(prepared) - len(known), "updated": len(known)}


def holidays_import_template() -> bytes:
    return import_template(title="节假日", columns=COLUMNS)
