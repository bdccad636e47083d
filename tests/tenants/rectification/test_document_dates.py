"""The Word and Excel documents write dates as the zh-hans pages do (2026年11月20日, DATE_FORMAT), not ISO: the
notices' receipt date and deadlines (（暂定） kept), the ledgers' dates as real date cells (they sort) with the
same Chinese number format. English stays English. The receipt is signed on Fri 20 Nov 2026: the plan is due
Fri 4 Dec 2026, the report Wed 20 Jan 2027 (provisional), a transfer's handling report Mon 22 Feb 2027
(provisional)."""

from __future__ import annotations

import datetime
import io
import re

from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from tests.tenants.workflow import WEB, handed_over_transfer, signed_feedback

D = datetime.date
SIGNED = D(2026, 11, 20)
ITEM = {"problem": "三重一大决策不规范", "responsible_unit": "办公室", "responsible_person": "李书记"}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DAY, PROVISIONAL_DAY = 'yyyy"年"m"月"d"日"', 'yyyy"年"m"月"d"日（暂定）"'


def _word(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(io.BytesIO(content))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


def test_the_notices_and_the_ledger_write_dates_in_chinese(client, flow):
    with flow.schema():
        feedback = signed_feedback(flow, signed_on=SIGNED)
    client.force_login(flow.users["leader"])  # the round's team leader writes the lists
    items = f"{WEB}/rectification/feedback/{feedback.pk}/items/"
    client.post(items, {**ITEM, "task": "修订议事规则", "due_date": ""})  # inherits the provisional report deadline
    client.post(items, {**ITEM, "task": "建立台账", "due_date": "2027-01-15"})
    client.force_login(flow.users["admin"])

    paragraphs, tables = _word(
        client.get(f"{WEB}/rectification/documents/{feedback.pk}/rectification-notice.docx").content
    )
    assert "签收日期：2026年11月20日" in paragraphs
    assert "整改方案报送期限：2026年12月4日" in paragraphs
    assert "整改情况报告及主要负责人组织落实情况报告报送期限：2027年1月20日（暂定）" in paragraphs
    tasks = next(table for table in tables if table[0] == ["序号", "整改任务", "完成时限"])
    assert {task: due for _n, task, due in tasks[1:]} == {
        "修订议事规则": "2027年1月20日（暂定）",
        "建立台账": "2027年1月15日",
    }
    assert not ISO.search("\n".join(paragraphs + [cell for t in tables for row in t for cell in row]))

    paragraphs, _tables = _word(client.get(f"{WEB}/rectification/documents/{feedback.pk}/feedback-notice.docx").content)
    start = paragraphs.index("巡察反馈材料签收单") + 1
    receipt = paragraphs[start : start + 3]  # the three signatures, each with its date
    assert len(receipt) == 3 and all(p.endswith("（2026年11月20日）") for p in receipt), receipt

    sheet = load_workbook(io.BytesIO(client.get(f"{WEB}/rectification/ledger.xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    due = header.index("完成时限")
    cells = {row[header.index("整改任务")].value: row[due] for row in sheet.iter_rows(min_row=2)}
    assert {task: (cell.value, cell.number_format) for task, cell in cells.items()} == {
        "修订议事规则": (datetime.datetime(2027, 1, 20), PROVISIONAL_DAY),
        "建立台账": (datetime.datetime(2027, 1, 15), DAY),
    }
    assert all(cell.is_date for cell in cells.values())


def test_the_transfer_ledger_has_date_cells_in_the_chinese_format(client, flow):
    with flow.schema():
        transfer = handed_over_transfer(flow, today=SIGNED)
    client.force_login(flow.users["admin"])
    sheet = load_workbook(io.BytesIO(client.get(f"{WEB}/transfers/ledger.xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    [row] = [row for row in sheet.iter_rows(min_row=2) if row[0].value == f"YJ-{transfer.pk}"]
    handed, due = row[header.index("交接日期")], row[header.index("反馈期限")]
    assert (handed.value, handed.number_format) == (datetime.datetime(2026, 11, 20), DAY)
    assert (due.value, due.number_format) == (datetime.datetime(2027, 2, 22), PROVISIONAL_DAY)


def test_english_stays_english():
    from tenants.kernel.documents import document_moment, due_text, excel_date_format, excel_moment_format

    moment = datetime.datetime(2026, 12, 3, 7, 28, 5, tzinfo=datetime.UTC)  # 15:28:05 in the office's time
    with translation.override("zh-hans"):
        assert due_text(D(2027, 1, 20), True) == "2027年1月20日（暂定）"
        assert document_moment(moment) == "2026年12月3日 15:28"
        assert document_moment(moment, seconds=True) == "2026年12月3日 15:28:05"
        assert excel_moment_format(seconds=True) == 'yyyy"年"m"月"d"日 "hh":"mm":"ss'
    with translation.override("en"):
        assert due_text(D(2027, 1, 20), False) == "Jan. 20, 2027"
        assert excel_date_format() == 'mmm" "d", "yyyy'
