"""The transfer ledger (.xlsx; no clue content)."""

from __future__ import annotations

import datetime

from tenants.kernel.documents import due_cell, xlsx_bytes
from tenants.transfers.services import transfer_is_overdue

TRANSFER_LEDGER_HEADER = [
    "编号",
    "轮次",
    "移交类型",
    "接收单位",
    "速查速办",
    "状态",
    "交接日期",
    "反馈期限",
    "是否逾期",
    "办理方式",
    "反馈日期",
]


def transfer_ledger_xlsx(*, transfers, today: datetime.date | None = None) -> bytes:
    """移交台账: what was handed to whom and whether it is overdue. Subjects are referred to by number only."""
    rows = [
        [
            f"YJ-{t.pk}",
            t.round.name,
            t.get_transfer_type_display(),
            t.agency.name,
            "是" if t.fast_track else "否",
            t.get_status_display(),
            t.handed_over_on,
            due_cell(t.feedback_due, t.feedback_due_provisional),
            "逾期" if transfer_is_overdue(transfer=t, today=today) else "",
            t.get_handling_kind_display(),
            t.handling_reported_on,
        ]
        for t in transfers
    ]
    return xlsx_bytes(sheet_title="移交台账", header=TRANSFER_LEDGER_HEADER, rows=rows)
