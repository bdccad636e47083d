"""The pool's import (巡察人才库): a spreadsheet of people, each row created or updated (by name and unit)
through the pool's services, or nothing at all when one row is wrong; and its template."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.experts.models import Expert, Specialty
from tenants.experts.services import expert_create, expert_update
from tenants.kernel.imports import Column, import_body, import_rows_check, import_template


def _term(label: str) -> str:
    """The Chinese term of a choice's label ("Audit (审计)" → 审计)."""
    found = re.search(r"\(([^)]+)\)\s*$", label)
    return found.group(1) if found else label


SPECIALTY_BY_TEXT = {
    **{_term(str(label)): value for value, label in Specialty.choices},
    **{value: value for value in Specialty.values},
}
COLUMNS = (
    Column("name", "姓名", "人员姓名；与现任单位一起认定同一人，已有时更新。", "示例：王某某", required=True),
    Column("unit", "现任单位", "现在工作的单位全称（任职回避据此判断）。", "某某县审计局"),
    Column("post", "现任职务", "现任职务。", "副局长"),
    Column("home_region_code", "籍贯地区代码", "家乡的行政区划代码，6、9 或 12 位数字（地域回避据此判断）。", "410621"),
    Column(
        "specialty",
        "专长",
        "以下之一：" + "、".join(_term(str(label)) for _value, label in Specialty.choices) + "；不填为其他。",
        "审计",
    ),
    Column("note", "备注", "仅本单位可见，不报送上级。", ""),
)


def _prepare(existing: dict[tuple[str, str], Expert], seen: dict[tuple[str, str], int], number: int, row: dict):
    name, unit = row.get("name", "").strip(), row.get("unit", "").strip()
    if not name:
        raise ValidationError({"name": _("A name is required.")})
    if (name, unit) in seen:
        raise ValidationError(_("the same person already appears in row %(row)s") % {"row": seen[(name, unit)]})
    seen[(name, unit)] = number
    specialty_text = row.get("specialty", "").strip()
    specialty = SPECIALTY_BY_TEXT.get(specialty_text or "other")
    if specialty is None:
        raise ValidationError({"specialty": _("unknown specialty “%(text)s”") % {"text": specialty_text[:20]}})
    fields = {
        "unit": unit,
        "post": row.get("post", "").strip(),
        "home_region_code": row.get("home_region_code", "").strip(),
        "specialty": specialty,
        "note": row.get("note", "").strip(),
    }
    found = existing.get((name, unit))
    candidate = Expert(pk=found.pk if found else None, name=name, **fields)
    candidate.full_clean(validate_unique=False, exclude=["user"])
    return found, name, fields


@transaction.atomic
def experts_import(*, content: bytes, filename: str, actor=None) -> dict[str, int]:
    """Every row created or updated through expert_create/expert_update (each shared with the city as the
    pool's services share it), or nothing when a row is wrong (ImportRowsError names every bad row)."""
    body = import_body(content=content, filename=filename, columns=COLUMNS)
    existing = {
        (expert.name, expert.unit): expert
        for expert in Expert.objects.select_for_update().filter(
            name__in=[row.get("name", "").strip() for _n, row in body]
        )
    }
    seen: dict[tuple[str, str], int] = {}
    prepared = import_rows_check(
        body=body, columns=COLUMNS, prepare=lambda number, row: _prepare(existing, seen, number, row)
    )
    report = {"created": 0, "updated": 0}
    for found, name, fields in prepared:
        if found is None:
            expert_create(name=name, **fields)
            report["created"] += 1
        else:
            expert_update(expert=found, actor=actor, **fields)
            report["updated"] += 1
    return report


def experts_import_template() -> bytes:
    return import_template(title="巡察人才库", columns=COLUMNS)
