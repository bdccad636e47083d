"""Spreadsheet imports (.xlsx or .csv), the same for every register: the rows read, the header mapped to the
columns, every bad row named with its problem in Chinese (nothing is written when one is bad: the importing
service is one transaction and raises ImportRowsError before it saves), and the template download with the
columns, one example row that imports as it is and a sheet saying what each column takes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]  # no stubs shipped
from openpyxl.styles import Font  # type: ignore[import-untyped]

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 2000


class ImportRowsError(ValidationError):
    """Nothing was imported; `row_errors` says which rows are wrong and why."""

    def __init__(self, row_errors: list[str]):
        self.row_errors = row_errors
        super().__init__(row_errors, code="import_rows")


@dataclass(frozen=True)
class Column:
    key: str  # the service's name for it
    header: str  # the template's column title (Chinese: the sheet is filled in by people)
    help: str  # what it takes (the template's second sheet)
    example: str  # the example row's cell
    required: bool = False
    accepted: tuple[str, ...] = ()  # other titles read as this column


def import_rows_read(*, content: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet (or of the CSV, UTF-8 or GB18030) as stripped text."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRowsError([_("The file is larger than 5 MB.")])
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a damaged file
            raise ImportRowsError([_("The file is not a readable Excel (.xlsx) workbook.")]) from None
        sheet = workbook.worksheets[0]
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        return rows
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportRowsError([_("The CSV file is neither UTF-8 nor GB18030 text.")])
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise ImportRowsError([_("Upload an .xlsx or .csv file.")])


def import_body(*, content: bytes, filename: str, columns: Iterable[Column]) -> list[tuple[int, dict[str, str]]]:
    """The data rows as (row number in the sheet, {column key: text}), blank rows left out; the header must name
    every required column."""
    columns = list(columns)
    rows = import_rows_read(content=content, filename=filename)
    if not rows:
        raise ImportRowsError([_("The file is empty.")])
    index: dict[str, int] = {}
    for position, title in enumerate(rows[0]):
        for column in columns:
            if title.strip().lower() in {name.lower() for name in (column.header, *column.accepted)}:
                index[column.key] = position
    missing = [column.header for column in columns if column.required and column.key not in index]
    if missing:
        raise ImportRowsError([_("Missing columns: %(columns)s") % {"columns": "、".join(missing)}])
    body = [
        (number, {key: row[position] if position < len(row) else "" for key, position in index.items()})
        for number, row in enumerate(rows[1:], start=2)
        if any(cell for cell in row)
    ]
    if not body:
        raise ImportRowsError([_("The file has no data rows.")])
    if len(body) > MAX_IMPORT_ROWS:
        raise ImportRowsError([_("At most %(max)s rows per file.") % {"max": MAX_IMPORT_ROWS}])
    return body


def import_rows_check(
    *, body: list[tuple[int, dict[str, str]]], columns: Iterable[Column], prepare: Callable[[int, dict[str, str]], Any]
) -> list[Any]:
    """`prepare(number, row)` for every row (it raises ValidationError for a bad one); every bad row named, with the
    column each problem is in, before anything is written."""
    labels = {column.key: column.header for column in columns}
    prepared, errors = [], []
    for number, row in body:
        try:
            prepared.append(prepare(number, row))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                problems = [
                    f"{labels.get(name, name)}: {message}"
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
            else:
                problems = error.messages
            errors.append(_("Row %(row)s: %(problems)s") % {"row": number, "problems": "; ".join(problems)})
    if errors:
        raise ImportRowsError(errors)
    return prepared


def import_template(*, title: str, columns: Iterable[Column], note: str = "") -> bytes:
    """The template (.xlsx): the columns, one example row, and a sheet saying what each column takes."""
    columns = list(columns)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([column.header for column in columns])
    sheet.append([column.example for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, column in enumerate(columns):
        letter = sheet.cell(row=1, column=position + 1).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.example) * 2 + 2, len(column.header) * 2 + 2)
    guide = workbook.create_sheet("填写说明")
    guide.append(["列名", "说明"])
    for column in columns:
        guide.append([column.header, ("必填。" if column.required else "选填。") + column.help])
    guide.append(["", note or "任何一行有误时整份文件都不导入；页面会列出每一行的问题。导入时只读取第一个工作表。"])
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 20, 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
