"""Targets: create/update with leaders, and all-or-nothing import from XLSX/CSV."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from sync.outbox import record_changed
from tenants.kernel.imports import ImportRowsError, import_rows_read
from tenants.targets.models import Target, TargetLeader, TargetLevel
from xuncha.text_limits import text_lengths_check

TARGET_FIELDS = (
    "name",
    "level",
    "category",
    "managing_org_code",
    "region_code",
    "business_tags",
    "is_active",
    # Inspections done before the platform existed are recorded by hand or by import.
    "last_inspected_on",
    "last_inspected_round",
)
MAX_IMPORT_ROWS = 5000

# File columns: canonical key -> accepted headers (Chinese first, as exported).
COLUMNS = {
    "name": ("单位名称", "name"),
    "level": ("级别", "level"),
    "category": ("类别", "category"),
    "managing_org_code": ("主管巡察机构代码", "managing_org_code"),
    "region_code": ("所在地区代码", "region_code"),
    "business_tags": ("业务标签", "business_tags"),
    "leaders": ("领导班子", "leaders"),
    "last_inspected_on": ("最近巡察日期", "last_inspected_on"),
    "last_inspected_round": ("最近巡察轮次", "last_inspected_round"),
}
LEVEL_BY_TEXT = {value: value for value in TargetLevel.values} | {
    "市管": TargetLevel.CITY,
    "县管": TargetLevel.COUNTY,
    "乡镇": TargetLevel.TOWNSHIP,
    "村社区": TargetLevel.VILLAGE,
    "村（社区）": TargetLevel.VILLAGE,
    "村": TargetLevel.VILLAGE,
    "社区": TargetLevel.VILLAGE,
}
LEVEL_TEXT = {
    TargetLevel.CITY: "市管",
    TargetLevel.COUNTY: "县管",
    TargetLevel.TOWNSHIP: "乡镇",
    TargetLevel.VILLAGE: "村社区",
}
TAG_SPLIT = re.compile(r"[,，、;；]+")
LEADER_SPLIT = re.compile(r"[;；\n]+")


@dataclass(frozen=True)
class LeaderSpec:
    name: str
    post: str
    is_principal: bool = False


def parse_tags(text: str) -> list[str]:
    return [tag.strip()[:32] for tag in TAG_SPLIT.split(text or "") if tag.strip()]


def parse_leaders(text: str) -> list[LeaderSpec]:
    """ "张三:党委书记*; 李四:副书记" — name:post, a trailing * marks the principal (主要负责人)."""
    leaders = []
    for chunk in LEADER_SPLIT.split(text or ""):
        chunk = chunk.strip()
        if not chunk:
            continue
        principal = chunk.endswith("*")
        chunk = chunk.rstrip("*").strip()
        name, _sep, post = chunk.replace("：", ":").partition(":")
        if not name.strip() or not post.strip():
            raise ValidationError(_("Write each leader as name:post (e.g. 张三:党委书记*)."))
        leaders.append(LeaderSpec(name=name.strip(), post=post.strip(), is_principal=principal))
    if sum(leader.is_principal for leader in leaders) > 1:
        raise ValidationError(_("Only one leader can be the principal (主要负责人)."))
    return leaders


def format_leaders(target: Target) -> str:
    return "; ".join(
        f"{leader.name}:{leader.post}{'*' if leader.is_principal else ''}" for leader in target.leaders.all()
    )


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _save_leaders(target: Target, leaders: list[LeaderSpec]) -> None:
    """The leadership as given; unchanged (saving the edit page as it is), the rows stay as they are."""
    wanted = sorted((leader.name, leader.post, leader.is_principal) for leader in leaders)
    if sorted(target.leaders.values_list("name", "post", "is_principal")) == wanted:
        return
    target.leaders.all().delete()
    rows = [
        TargetLeader(target=target, name=leader.name, post=leader.post, is_principal=leader.is_principal)
        for leader in leaders
    ]
    for row in rows:  # bulk_create sends no pre_save: check the lengths here
        text_lengths_check(row)
    TargetLeader.objects.bulk_create(rows)


def _share(target: Target) -> None:
    """A county's unit, with its leadership as saved, reaches its city's registry (sync policy
    `targets.target`; withdrawn when deactivated or handed to another county)."""
    record_changed(instance=target)


@transaction.atomic
def target_create(
    *, name: str, level: str, managing_org_code: str, leaders: list[LeaderSpec] | None = None, **fields
) -> Target:
    _check_fields(fields)
    target = Target(name=name.strip(), level=level, managing_org_code=managing_org_code, **fields)
    target.full_clean()
    target.save()
    _save_leaders(target, leaders or [])
    _share(target)
    return target


@transaction.atomic
def target_update(*, target: Target, leaders: list[LeaderSpec] | None = None, **fields) -> Target:
    _check_fields(fields)
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    if leaders is not None:
        _save_leaders(target, leaders)
    _share(target)
    return target


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


TargetImportError = ImportRowsError  # nothing was imported; `row_errors` says which rows are wrong and why


def _read_rows(*, content: bytes, filename: str) -> list[list[str]]:
    return import_rows_read(content=content, filename=filename)


def _header_index(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, title in enumerate(header):
        for key, accepted in COLUMNS.items():
            if title.strip().lower() in {a.lower() for a in accepted}:
                index[key] = position
    missing = [COLUMNS[key][0] for key in ("name", "level", "managing_org_code") if key not in index]
    if missing:
        raise TargetImportError([_("Missing columns: %(columns)s") % {"columns": "、".join(missing)}])
    return index


@transaction.atomic
def targets_import(*, content: bytes, filename: str) -> ImportReport:
    """Create or update (by unit name) every row, or nothing at all if any row is bad."""
    rows = [row for row in _read_rows(content=content, filename=filename)]
    if not rows:
        raise TargetImportError([_("The file is empty.")])
    index = _header_index(rows[0])
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell for cell in row)]
    if not body:
        raise TargetImportError([_("The file has no data rows.")])
    if len(body) > MAX_IMPORT_ROWS:
        raise TargetImportError([_("At most %(max)s rows per file.") % {"max": MAX_IMPORT_ROWS}])

    def cell(row, key):
        position = index.get(key)
        return row[position].strip() if position is not None and position < len(row) else ""

    errors: list[str] = []
    seen: dict[str, int] = {}
    existing = {
        t.name: t for t in Target.objects.select_for_update().filter(name__in=[cell(r, "name") for _n, r in body])
    }
    prepared = []
    for number, row in body:
        name = cell(row, "name")
        try:
            if name in seen:
                raise ValidationError(
                    _("the unit %(name)s already appears in row %(row)s") % {"name": name, "row": seen[name]}
                )
            seen[name] = number
            level_text = cell(row, "level")
            level = LEVEL_BY_TEXT.get(level_text)
            if level is None:
                raise ValidationError(
                    _("unknown level “%(level)s” (市管/县管/乡镇/村社区)") % {"level": level_text[:20]}
                )
            target = existing.get(name) or Target()
            target.name = name
            target.level = level
            target.category = cell(row, "category")
            target.managing_org_code = cell(row, "managing_org_code")
            target.region_code = cell(row, "region_code")
            target.business_tags = parse_tags(cell(row, "business_tags"))
            leaders = parse_leaders(cell(row, "leaders"))
            inspected = cell(row, "last_inspected_on")[:10]
            if inspected:
                try:
                    target.last_inspected_on = date.fromisoformat(inspected)
                except ValueError:
                    raise ValidationError(_("last inspected date must look like 2024-05-31")) from None
            if "last_inspected_round" in index:
                target.last_inspected_round = cell(row, "last_inspected_round")
            target.full_clean(validate_unique=False)
            prepared.append((target, leaders))
        except ValidationError as error:
            messages = []
            if hasattr(error, "error_dict"):
                for field_name, field_errors in error.message_dict.items():
                    label = COLUMNS.get(field_name, (field_name,))[0]
                    messages += [f"{label}: {message}" for message in field_errors]
            else:
                messages = error.messages
            errors.append(_("Row %(row)s: %(problems)s") % {"row": number, "problems": "; ".join(messages)})
    if errors:
        raise TargetImportError(errors)
    report = ImportReport()
    for target, leaders in prepared:
        if target.pk:
            report.updated += 1
        else:
            report.created += 1
        target.save()
        _save_leaders(target, leaders)
        _share(target)
    return report


EXPORT_HEADER = [COLUMNS[key][0] for key in COLUMNS]


def _inert(value: str) -> str:
    """A cell starting with = + - @ would run as a formula in Excel: keep user text inert."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _export_rows(targets) -> list[list[str]]:
    return [
        [
            _inert(value)
            for value in [
                t.name,
                LEVEL_TEXT.get(t.level, t.level),
                t.category,
                t.managing_org_code,
                t.region_code,
                "、".join(t.business_tags),
                format_leaders(t),
                t.last_inspected_on.isoformat() if t.last_inspected_on else "",
                t.last_inspected_round,
            ]
        ]
        for t in targets
    ]


# What each column takes (the template's second sheet), in EXPORT_HEADER's order.
COLUMN_HELP = {
    "name": "必填。单位全称；已有同名单位时更新该单位。",
    "level": "必填。市管、县管、乡镇或村社区。",
    "category": "选填。如党政机关、国有企业、事业单位。",
    "managing_org_code": "必填。负责巡察该单位的巡察机构的行政区划代码（6 位数字）。",
    "region_code": "选填。单位所在地区的行政区划代码（6 位数字）。",
    "business_tags": "选填。业务标签，用顿号或逗号分隔。",
    "leaders": "选填。领导班子：姓名:职务，多人用分号分隔，主要负责人后加 *。",
    "last_inspected_on": "选填。最近一次被巡察的日期，格式 2024-05-31。",
    "last_inspected_round": "选填。最近一次被巡察的轮次名称。",
}


def targets_import_template(*, organization) -> bytes:
    """The import's template (.xlsx): its columns, one example row that imports as it is (a unit this office
    inspects), and a sheet saying what each column takes. The importer reads the first sheet only."""
    example = {
        "name": "示例：某某局党组",
        "level": LEVEL_TEXT[TargetLevel.CITY if organization.kind == "city" else TargetLevel.COUNTY],
        "category": "党政机关",
        "managing_org_code": organization.code,
        "region_code": organization.code,
        "business_tags": "财务、工程建设",
        "leaders": "张三:党组书记*; 李四:副局长",
        "last_inspected_on": "2024-05-31",
        "last_inspected_round": "2024年第一轮巡察",
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "巡察对象"
    sheet.append(EXPORT_HEADER)
    sheet.append([example[key] for key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, key in zip(sheet.columns, COLUMNS, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = max(12, len(example[key]) * 2 + 2)
    guide = workbook.create_sheet("填写说明")
    guide.append(["列名", "说明"])
    for key, (header, *_accepted) in COLUMNS.items():
        guide.append([header, COLUMN_HELP[key]])
    guide.append(["", "任何一行有误时整份文件都不导入；页面会列出每一行的问题。导入时只读取第一个工作表。"])
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 20, 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def targets_export(*, targets, fmt: str) -> bytes:
    """The targets as .xlsx or .csv with the import's columns (so an export can be re-imported)."""
    rows = _export_rows(targets)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "巡察对象"
        sheet.append(EXPORT_HEADER)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValidationError(_("Export as xlsx or csv."))
