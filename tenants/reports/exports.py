"""Each filing as .docx and .xlsx in one fixed layout (the same for the city and the province).

The layout is built from the filing's shared body (what the province holds as a replica), so both
ends print the same document. The documents are official forms filed in Chinese: their labels are
fixed here, whatever the UI language, and so are their dates (2026年1月31日, 2026年12月3日 15:28: zh-hans's
DATE_FORMAT and SHORT_DATETIME_FORMAT), written from the body's ISO dates.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.http import Http404, HttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tenants.kernel.documents import (
    DOCX,
    XLSX,
    document_bytes,
    document_date,
    document_moment,
    marking_of,
    official_document,
    official_heading,
    official_paragraph,
    official_table,
)
from tenants.kernel.files import file_response

COUNT_LABELS = [
    ("rounds", "巡察轮次（轮）"),
    ("targets_covered", "巡察对象（个）"),
    ("findings", "发现问题（个）"),
    ("fixed_on_the_spot", "立行立改（个）"),
    ("on_deadline_list", "列入限期整改（个）"),
    ("clues_transferred", "移交问题线索（件）"),
    ("transfers", "移交事项（件）"),
    ("transfers_handled", "已反馈办理结果（件）"),
    ("transfers_pending", "正在办理（件）"),
    ("rectification_items", "整改事项（项）"),
    ("rectification_closed", "已整改销号（项）"),
    ("rectification_completion", "整改完成率（%）"),
]
KIND_LABELS = {
    "term_plan": "巡察规划",
    "annual_plan": "年度巡察计划",
    "phase_schedule": "阶段任务安排",
    "round_summary": "轮次工作总结",
    "hearing_record": "领导小组听取汇报记录",
    "statistics": "巡察工作统计",
    "annual_summary": "年度工作总结",
}
STATUS_LABELS = {"sent": "已报送", "received": "已接收", "acknowledged": "已备案", "returned": "退回修改"}
ROUND_KIND_LABELS = {
    "regular": "常规巡察",
    "special": "专项巡察",
    "ad_hoc": "机动巡察",
    "look_back": "回头看",
    "elevated": "提级巡察",
    "cross": "交叉巡察",
    "linked": "联动巡察",
}


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Layout:
    title: str
    fields: list[tuple[str, str]]
    texts: list[tuple[str, str]]
    tables: list[Table]
    marking: str = ""  # 密级 printed on the document (秘密/机密); empty below 秘密


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


FILING_LANGUAGE = "zh-hans"  # the language of the filed forms, whatever the reader's


def _local_minute(value) -> str:
    """An ISO timestamp from the body as the office's local date and time: 2026年12月3日 15:28."""
    with translation.override(FILING_LANGUAGE):
        return _value(document_moment(value))


def _date(value) -> str:
    """An ISO date from the body as the form writes it: 2026年1月31日 (— for none)."""
    with translation.override(FILING_LANGUAGE):
        return _value(document_date(value))


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else _value(value)


def _cell(value):
    """Numbers stay numbers; text never starts a formula (=, +, -, @) in Excel."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _value(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _counts_table(title: str, columns: list[tuple[str, dict | None]]) -> Table:
    table = Table(title, ["项目"] + [name for name, _counts in columns])
    for key, label in COUNT_LABELS:
        table.rows.append([label] + [_number(counts.get(key)) if counts else "未报送" for _name, counts in columns])
    return table


def _category_table(counts: dict) -> Table:
    table = Table("问题分类统计", ["问题类别", "数量（个）"])
    for name, number in sorted((counts.get("findings_by_category") or {}).items()):
        table.rows.append([name or "未分类", number])
    return table


def _rounds_table(rounds: list[dict]) -> Table:
    table = Table("轮次安排", ["轮次", "类型", "进驻开始", "进驻结束"])
    for item in rounds or []:
        table.rows.append(
            [
                item.get("name"),
                ROUND_KIND_LABELS.get(item.get("kind"), item.get("kind")),
                _date(item.get("onsite_start")),
                _date(item.get("onsite_end")),
            ]
        )
    return table


def filing_layout(*, body: dict, source_name: str, status: str, status_comment: str = "") -> Layout:
    """The fixed layout of a filing; `body` is the filing's shared snapshot."""
    kind, content = body.get("kind"), body.get("content") or {}
    fields = [
        ("报送单位", source_name),
        ("文件类型", KIND_LABELS.get(kind, kind)),
        ("标题", body.get("title")),
        ("所属期间", _value(body.get("period"))),
        ("版本", f"第{body.get('revision')}版"),
        ("报送时间", _local_minute(body.get("filed_at"))),
        ("状态", STATUS_LABELS.get(status, status)),
    ]
    if status_comment:
        fields.append(("省委巡视办意见", status_comment))
    texts, tables = [], []
    if body.get("note"):
        texts.append(("报送说明", body["note"]))
    if kind in ("term_plan", "annual_plan", "phase_schedule"):
        if kind == "term_plan":
            fields.append(("规划期", f"{content.get('start_year')}—{content.get('end_year')}年"))
        if kind == "phase_schedule":
            fields.append(("起止时间", f"{_date(content.get('start_date'))} 至 {_date(content.get('end_date'))}"))
        texts.append(("正文", _value(content.get("text"))))
        approvals = Table("领导小组审议情况", ["审议时间", "决定", "意见"])
        for approval in content.get("approvals") or []:
            approvals.rows.append(
                [
                    _date(approval.get("decided_at")),  # its local date
                    "同意" if approval.get("decision") == "approved" else "退回修改",
                    _value(approval.get("note")),
                ]
            )
        tables.append(approvals)
        if kind == "annual_plan":
            tables.append(_rounds_table(content.get("rounds")))
    elif kind == "round_summary":
        fields += [
            ("轮次", content.get("name")),
            ("类型", ROUND_KIND_LABELS.get(content.get("kind"), content.get("kind"))),
            ("进驻时间", f"{_date(content.get('onsite_start'))} 至 {_date(content.get('onsite_end'))}"),
            ("巡察组（个）", _value(content.get("teams"))),
        ]
        counts = content.get("counts") or {}
        tables += [_counts_table("主要数据", [("本轮", counts)]), _category_table(counts)]
    elif kind == "hearing_record":
        fields += [
            ("轮次", content.get("round")),
            ("听取汇报时间", _date(content.get("heard_on"))),
            ("主持人", content.get("chaired_by")),
        ]
        texts += [("参加人员", _value(content.get("attendees"))), ("研究决定事项", _value(content.get("decisions")))]
    elif kind in ("statistics", "annual_summary"):
        own, total = content.get("own") or {}, content.get("total") or {}
        tables.append(_counts_table("主要数据", [("市本级", own), ("全市合计（含县区）", total)]))
        tables.append(
            _counts_table("县（市、区）情况", [(c.get("name"), c.get("counts")) for c in content.get("counties") or []])
        )
        tables.append(_category_table(total))
        tables.append(_rounds_table(content.get("rounds")))
    return Layout(
        title=body.get("title") or "",
        fields=fields,
        texts=texts,
        tables=tables,
        marking=marking_of(body.get("classification")),
    )


def filing_docx(layout: Layout) -> bytes:
    """The filing in the official layout (GB/T 9704, kernel.documents); its 密级 at the top left when classified."""
    document = official_document(title=layout.title, marking=layout.marking)
    official_table(document, ["项目", "内容"], [[label, _value(value)] for label, value in layout.fields])
    for label, text in layout.texts:
        official_heading(document, label)
        for paragraph in str(text).splitlines() or [""]:
            official_paragraph(document, paragraph)
    for table in layout.tables:
        official_heading(document, table.title)
        official_table(document, table.header, table.rows)
    return document_bytes(document)


def filing_xlsx(layout: Layout) -> bytes:

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "备案"
    sheet.append([_cell(layout.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in layout.fields:
        sheet.append([label, _cell(value)])
    for label, text in layout.texts:
        sheet.append([])
        sheet.append([label])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([_cell(text)])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    for table in layout.tables:
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([_cell(text) for text in table.header])
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
    sheet.column_dimensions["A"].width = 28
    for column in "BCDEFG":
        sheet.column_dimensions[column].width = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filing_file(layout: Layout, *, fmt: str, filename: str) -> HttpResponse:
    """A filing in its fixed layout as a download, .docx or .xlsx (any other format: 404)."""
    if fmt == "docx":
        return file_response(filing_docx(layout), content_type=DOCX, filename=f"{filename}.{fmt}")
    if fmt == "xlsx":
        return file_response(filing_xlsx(layout), content_type=XLSX, filename=f"{filename}.{fmt}")
    raise Http404
