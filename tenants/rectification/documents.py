"""Feedback notice, rectification notice, round report (.docx) and the rectification ledger (.xlsx)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shared.accounts.models import Classification
from tenants.kernel.documents import document_date, docx_bytes, due_cell, due_text, xlsx_bytes
from tenants.rectification.models import Feedback, ItemStatus, ReceiptParty
from tenants.rectification.services import status_colour

COLOUR_LABEL = {"red": "红", "yellow": "黄", "green": "绿"}
# Only findings at or below this level are printed in documents that leave the office.
DOCUMENT_MAX_LEVEL = Classification.INTERNAL


def _findings_rows(findings) -> list[list]:
    return [
        [n, f.category.name, f.get_severity_display(), f.title, "是" if f.fixed_on_spot else "否"]
        for n, f in enumerate(findings, start=1)
    ]


def feedback_notice_docx(*, feedback: Feedback) -> bytes:
    """巡察反馈意见: to the leadership and to the principal, with the findings on this unit."""
    findings = (
        feedback.round.findings.filter(target=feedback.target, classification__lte=DOCUMENT_MAX_LEVEL)
        .select_related("category")
        .order_by("id")
    )
    signatures = {s.party: s for s in feedback.receipt_signatures.all()}
    receipt_lines = [
        f"{ReceiptParty(party).label}：{signatures[party].signer_name}（{document_date(signatures[party].signed_on)}）"
        if party in signatures
        else f"{ReceiptParty(party).label}：未签"
        for party in ReceiptParty.values
    ]
    return docx_bytes(
        title=f"巡察反馈意见 — {feedback.target.name}",
        sections=[
            ("", [f"巡察轮次：{feedback.round.name}", f"被巡察单位：{feedback.target.name}"]),
            ("向领导班子反馈", [feedback.leadership_content]),
            ("向主要负责人反馈", [feedback.principal_content]),
            ("巡察反馈材料签收单", receipt_lines),
        ],
        tables=[("发现的问题", ["序号", "类别", "程度", "问题", "立行立改"], _findings_rows(findings))],
    )


def rectification_notice_docx(*, feedback: Feedback, today: datetime.date | None = None) -> bytes:
    """整改通知: deadlines from the signed receipt and the three lists."""
    items = list(feedback.items.all())
    deadlines = [
        f"签收日期：{document_date(feedback.receipt_signed_on) or '签收单尚未签齐'}",
        f"整改方案报送期限：{due_text(feedback.plan_due, feedback.plan_due_provisional) or '待签收后计算'}",
        f"整改情况报告及主要负责人组织落实情况报告报送期限："
        f"{due_text(feedback.report_due, feedback.report_due_provisional) or '待签收后计算'}",
    ]
    if feedback.plan_due_provisional or feedback.report_due_provisional or any(i.due_provisional for i in items):
        deadlines.append(
            "注：标注“暂定”的期限所在年度尚未公布节假日安排，按法定节假日规则和周末推算，公布后以办公室调整为准。"
        )
    return docx_bytes(
        title=f"巡察整改通知 — {feedback.target.name}",
        sections=[
            (
                "",
                [
                    f"巡察轮次：{feedback.round.name}",
                    f"被巡察单位：{feedback.target.name}",
                    "被巡察单位党组织主要负责人为落实整改工作的第一责任人。",
                ],
            ),
            ("整改期限", deadlines),
        ],
        tables=[
            ("问题清单", ["序号", "问题"], [[n, i.problem] for n, i in enumerate(items, 1)]),
            (
                "任务清单",
                ["序号", "整改任务", "完成时限"],
                [[n, i.task, due_text(i.due_date, i.due_provisional)] for n, i in enumerate(items, 1)],
            ),
            (
                "责任清单",
                ["序号", "责任单位", "责任人"],
                [[n, i.responsible_unit, i.responsible_person] for n, i in enumerate(items, 1)],
            ),
        ],
    )


def round_report_docx(*, round) -> bytes:
    """巡察报告: counts and the findings by category; clue and petition content stays out."""
    findings = list(
        round.findings.filter(classification__lte=DOCUMENT_MAX_LEVEL)
        .select_related("category", "target")
        .order_by("target__name", "id")
    )
    all_findings = round.findings.count()
    by_category: dict[str, int] = {}
    for finding in findings:
        by_category[finding.category.name] = by_category.get(finding.category.name, 0) + 1
    transfers = round.transfers.all()
    summary = [
        f"巡察轮次：{round.name}",
        f"发现问题 {all_findings} 个，其中立行立改 {round.findings.filter(fixed_on_spot=True).count()} 个。",
        f"移交问题线索和问题 {transfers.count()} 件，其中速查速办 {transfers.filter(fast_track=True).count()} 件。",
        f"反馈单位 {round.feedbacks.count()} 个。",
    ]
    if all_findings > len(findings):
        summary.append(f"另有 {all_findings - len(findings)} 个涉密问题未列入本报告，详见专题报告。")
    return docx_bytes(
        title=f"巡察报告 — {round.name}",
        sections=[
            ("总体情况", summary),
            ("问题分类", [f"{name}：{count} 个" for name, count in sorted(by_category.items())] or ["无"]),
        ],
        tables=[("问题列表", ["序号", "类别", "程度", "问题", "立行立改"], _findings_rows(findings))],
    )


LEDGER_HEADER = [
    "序号",
    "轮次",
    "被巡察单位",
    "问题",
    "整改任务",
    "责任单位",
    "责任人",
    "完成时限",
    "状态",
    "预警",
    "整改佐证",
    "核验人",
    "销号日期",
]


def rectification_ledger_xlsx(*, items, today: datetime.date | None = None, yellow_within_days: int) -> bytes:
    """整改台账: one row per item with its red/yellow/green status."""
    today = today or timezone.localdate()
    rows = []
    for number, item in enumerate(items, start=1):
        colour = status_colour(
            due=item.due_date, done=item.status == ItemStatus.CLOSED, today=today, yellow_within_days=yellow_within_days
        )
        rows.append(
            [
                number,
                item.feedback.round.name,
                item.feedback.target.name,
                item.problem,
                item.task,
                item.responsible_unit,
                item.responsible_person,
                due_cell(item.due_date, item.due_provisional),  # a date cell, 暂定 when from a year without a table
                item.get_status_display(),
                COLOUR_LABEL[colour],
                item.evidence,
                str(item.verified_by or ""),
                item.verified_on,
            ]
        )
    return xlsx_bytes(sheet_title="整改台账", header=LEDGER_HEADER, rows=rows)
