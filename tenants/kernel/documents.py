"""Word and Excel output for the inspection-work apps (python-docx, openpyxl).

These documents go to inspected units and agencies: they carry findings, deadlines and
statuses, never clue content or informant identities. The one exception is the clue ledger, which
only `clue_ledger_xlsx` (tenants/findings/documents.py) builds and only the API/web view for cleared
office users calls.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, get_format
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs shipped
from openpyxl.styles import Font  # type: ignore[import-untyped]

from shared.accounts.models import Classification

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# GB/T 9704-2012 (党政机关公文格式): A4; 版心 156 × 225 mm, i.e. margins top 37, bottom 35, left 28, right 26 mm;
# body in 仿宋 三号 (16 pt), 22 lines a page (fixed 28.95 pt); title in 小标宋 二号 (22 pt), centred; first-level
# headings in 黑体 三号; 密级 in 黑体 三号 at the top left; page numbers 四号 (14 pt) "— 1 —", odd pages right,
# even pages left. The East Asian font names are the ones Chinese offices have installed; Word falls back to a
# similar face elsewhere.
BODY_FONT, TITLE_FONT, HEADING_FONT, NUMBER_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体", "宋体"
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NUMBER_PT = 16, 22, 12, 14
LINE_PITCH_PT = 28.95
MARGINS_MM = {"top_margin": 37, "bottom_margin": 35, "left_margin": 28, "right_margin": 26}


def _font(run_or_style: Any, *, name: str, size: float, bold: bool = False) -> None:
    run_or_style.font.name, run_or_style.font.size, run_or_style.font.bold = name, Pt(size), bold
    element = run_or_style.element
    properties = element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_number(paragraph: Any, alignment: int) -> None:
    """ "— PAGE —" as a field, so Word numbers the pages itself."""
    paragraph.alignment = alignment
    for text, field in (("— ", None), (None, "PAGE"), (" —", None)):
        run = paragraph.add_run()
        _font(run, name=NUMBER_FONT, size=PAGE_NUMBER_PT)
        if field is None:
            run.text = text
            continue
        for kind, instruction in (("begin", None), (None, field), ("end", None)):
            if kind:
                node = OxmlElement("w:fldChar")
                node.set(qn("w:fldCharType"), kind)
            else:
                node = OxmlElement("w:instrText")
                node.set(qn("xml:space"), "preserve")
                node.text = instruction
            run._r.append(node)


MARKINGS: dict[int, str] = {Classification.SECRET.value: "秘密", Classification.CONFIDENTIAL.value: "机密"}


def marking_of(classification: int | None) -> str:
    """The 密级 a document carries for a record's classification: only state-secret levels are marked."""
    return MARKINGS.get(int(classification or 0), "")


def official_document(*, title: str, marking: str = "") -> Any:
    """A python-docx Document laid out as GB/T 9704 asks, with its 密级 marking (empty: none) and title."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, millimetres in MARGINS_MM.items():
        setattr(section, side, Mm(millimetres))
    normal = document.styles["Normal"]
    _font(normal, name=BODY_FONT, size=BODY_PT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    normal.paragraph_format.space_after = Pt(0)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    if marking:
        _font(document.add_paragraph().add_run(marking), name=HEADING_FONT, size=BODY_PT)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(title), name=TITLE_FONT, size=TITLE_PT)
    return document


def official_heading(document: Any, text: str) -> None:
    """一级标题: 黑体 三号, flush with the body's first-line indent."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    _font(paragraph.add_run(text), name=HEADING_FONT, size=BODY_PT)


def official_paragraph(document: Any, text: str) -> None:
    """Body text: 仿宋 三号, first line indented by two characters."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    paragraph.add_run(text)


def official_table(document: Any, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> Any:
    """A ruled table in 仿宋 小四 with a bold header row, single-spaced so rows stay compact."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    cells_rows = [(table.rows[0].cells, header, True)]
    for row in rows:
        cells_rows.append((table.add_row().cells, row, False))
    for cells, values, bold in cells_rows:
        for cell, value in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            paragraph.paragraph_format.first_line_indent = Pt(0)
            _font(paragraph.add_run("" if value is None else str(value)), name=BODY_FONT, size=TABLE_PT, bold=bold)
    return table


def document_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_bytes(
    *,
    title: str,
    sections: Sequence[tuple[str, Sequence[Any]]],
    tables: Sequence[tuple[str, Sequence[Any], Sequence[Sequence[Any]]]] = (),
    marking: str = "",
) -> bytes:
    """A notice or report in the official layout: `sections` are (heading, paragraphs), `tables` (heading,
    header, rows); `marking` is the 密级 printed at the top left (empty for unclassified documents)."""
    document = official_document(title=title, marking=marking)
    for heading, paragraphs in sections:
        if heading:
            official_heading(document, heading)
        for paragraph in paragraphs:
            official_paragraph(document, str(paragraph))
    for heading, header, rows in tables:
        official_heading(document, heading)
        official_table(document, header, rows)
    return document_bytes(document)


# --- Dates a person reads ---------------------------------------------------------------------------------------
# A document writes a date as the pages do: Django's localised formats of the active language (DATE_FORMAT, in
# zh-hans "Y年n月j日": 2026年1月31日), a moment in local time as SHORT_DATETIME_FORMAT (2026年12月3日 15:28), or the
# date so and the time with its seconds where they matter (the audit log). A spreadsheet keeps a date a real date
# cell (it sorts and filters) shown in the same format (Excel's 'yyyy"年"m"月"d"日"'). Machine formats stay ISO:
# bus bodies, JSON, file names, the audit hash, an import's own columns.
TIME_WITH_SECONDS = "H:i:s"


def _parsed(value: str) -> datetime.date | None:
    """A body's ISO date, or the office's local date of its ISO timestamp; None for text that is neither."""
    try:
        moment = parse_datetime(value) if len(value) > 10 else None
        if moment is not None:
            return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date()
        return parse_date(value)
    except ValueError:  # well-formed but no such day
        return None


def document_date(value: datetime.date | str | None) -> str:
    """A date (or a body's ISO date or timestamp) as a person reads it: DATE_FORMAT of the active language; ""
    for none, and text that is no date as it is."""
    if value is None or value == "":
        return ""
    day = _parsed(value) if isinstance(value, str) else value
    if day is None:
        return str(value)
    return date_format(day, "DATE_FORMAT")


def document_moment(value: datetime.datetime | str | None, *, seconds: bool = False) -> str:
    """A moment (or a body's ISO timestamp) in the office's local time: SHORT_DATETIME_FORMAT, or with `seconds`
    the date and the time to the second; "" for none, text that is no timestamp as it is."""
    if value is None or value == "":
        return ""
    try:
        moment = parse_datetime(value) if isinstance(value, str) else value
    except ValueError:  # well-formed but no such moment
        moment = None
    if moment is None:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    if seconds:
        return f"{date_format(moment, 'DATE_FORMAT')} {date_format(moment, TIME_WITH_SECONDS)}"
    return date_format(moment, "SHORT_DATETIME_FORMAT")


# Django's date-format characters as Excel number-format codes; any other character is written as a literal.
_EXCEL_CODES = {
    "Y": "yyyy",
    "y": "yy",
    "m": "mm",
    "n": "m",
    "d": "dd",
    "j": "d",
    "b": "mmm",
    "M": "mmm",
    "N": "mmm",
    "F": "mmmm",
    "H": "hh",
    "G": "h",
    "h": "hh",
    "g": "h",
    "i": "mm",
    "s": "ss",
    "A": "AM/PM",
    "a": "AM/PM",
    "P": "h:mm AM/PM",
}


def excel_number_format(django_format: str) -> str:
    """A Django date format (DATE_FORMAT's 'Y年n月j日') as an Excel number format ('yyyy"年"m"月"d"日"')."""
    codes: list[str] = []
    literal, escaped = "", False

    def flush() -> None:
        nonlocal literal
        if literal:
            codes.append('"' + literal.replace('"', "") + '"')
            literal = ""

    for character in django_format:
        if escaped:
            literal, escaped = literal + character, False
        elif character == "\\":
            escaped = True
        elif character in _EXCEL_CODES:
            flush()
            codes.append(_EXCEL_CODES[character])
        else:
            literal += character
    flush()
    return "".join(codes)


def excel_date_format(*, suffix: str = "") -> str:
    """The number format of a date cell in the active language, optionally followed by literal text."""
    return excel_number_format(str(get_format("DATE_FORMAT")) + suffix)


def excel_moment_format(*, seconds: bool = False) -> str:
    """The number format of a moment's cell: SHORT_DATETIME_FORMAT, or the date and the time to the second."""
    if seconds:
        return excel_number_format(f"{get_format('DATE_FORMAT')} {TIME_WITH_SECONDS}")
    return excel_number_format(str(get_format("SHORT_DATETIME_FORMAT")))


@dataclass(frozen=True)
class Due:
    """A deadline in a ledger's cell: a date cell, marked （暂定） in its format when derived from a year without a
    holiday table (so it still sorts with the others)."""

    day: datetime.date
    provisional: bool = False


PROVISIONAL = "（暂定）"


def due_cell(due: datetime.date | None, provisional: bool) -> Due | None:
    return None if due is None else Due(due, provisional)


def excel_value(value: Any) -> Any:
    """What a cell holds for a row's value: a Due's date, a moment in local time without its zone."""
    if isinstance(value, Due):
        return value.day
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def excel_format(value: Any) -> str | None:
    """The number format a person reads a row's value in (None: the cell's own): dates and Due deadlines in
    DATE_FORMAT (（暂定） after a provisional one), moments in SHORT_DATETIME_FORMAT."""
    if isinstance(value, Due):
        return excel_date_format(suffix=PROVISIONAL if value.provisional else "")
    if isinstance(value, datetime.datetime):
        return excel_moment_format()
    if isinstance(value, datetime.date):
        return excel_date_format()
    return None


def _width(value: Any) -> int:
    if isinstance(value, (datetime.date, Due)):
        return 12  # 2026年12月31日（暂定） and the like
    return len(str(value or ""))


def xlsx_bytes(*, sheet_title: str, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    """One sheet: a bold header and the rows; dates (and Due deadlines) are date cells in the active language's
    format, moments in SHORT_DATETIME_FORMAT."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = ["" if value is None else value for value in row]
        sheet.append([excel_value(value) for value in values])
        for cell, value in zip(sheet[sheet.max_row], values, strict=False):  # a short row: its cells only
            if (number_format := excel_format(value)) is not None:
                cell.number_format = number_format
    for column in sheet.columns:
        width = max(_width(cell.value) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def due_text(due: datetime.date | None, provisional: bool) -> str:
    """A deadline as a document's text: 2026年1月31日, or 2026年1月31日（暂定）."""
    if due is None:
        return ""
    return document_date(due) + (PROVISIONAL if provisional else "")
