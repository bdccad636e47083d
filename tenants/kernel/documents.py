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
from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs shipped
from openpyxl.styles import Font  # type: ignore[import-untyped]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_bytes(
    *,
    title: str,
    sections: Sequence[tuple[str, Sequence[Any]]],
    tables: Sequence[tuple[str, Sequence[Any], Sequence[Sequence[Any]]]] = (),
) -> bytes:
    document = Document()
    document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        if heading:
            document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(str(paragraph))
    for heading, header, rows in tables:
        document.add_heading(heading, level=1)
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = str(text)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = "" if value is None else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


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
