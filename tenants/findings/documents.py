"""The confidential clue ledger (问题线索台账, .xlsx): the one document that carries clue content."""

from __future__ import annotations

from tenants.kernel.documents import xlsx_bytes

CLUE_LEDGER_HEADER = ["线索编号", "轮次", "被巡察单位", "类别", "线索内容", "涉及人员", "密级", "移交情况"]


def clue_ledger_xlsx(*, clues) -> bytes:
    """问题线索台账 (机密). Callers must have checked office role and 机密 clearance."""
    rows = []
    for clue in clues:
        persons = "；".join(f"{p.name}（{p.position}）" if p.position else p.name for p in clue.persons.all())
        transfers = "；".join(f"YJ-{t.pk} {t.agency.name} {t.get_status_display()}" for t in clue.transfers.all())
        rows.append(
            [
                f"XS-{clue.pk}",
                clue.round_label,
                clue.target_label,
                clue.category.name if clue.category else "",
                clue.summary,
                persons,
                clue.get_classification_display(),
                transfers,
            ]
        )
    return xlsx_bytes(sheet_title="问题线索台账（机密）", header=CLUE_LEDGER_HEADER, rows=rows)
