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
from typing import Any

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


def xlsx_bytes(*, sheet_title: str, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if value is None else value for value in row])
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def due_text(due: datetime.date | None, provisional: bool) -> str:
    if due is None:
        return ""
    return f"{due.isoformat()}（暂定）" if provisional else due.isoformat()
