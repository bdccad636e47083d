"""Feedback, the three-signature receipt, deadlines across holidays, red/yellow/green, item-by-item closure."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from docx import Document
from openpyxl import load_workbook

from tenants.rectification.models import ItemStatus, ReceiptParty, RectificationItem
from tests.tenants.walk import round_walk
from tests.tenants.workflow import API, WEB, make_clue, make_finding, signed_feedback

ITEM = {
    "problem": "三重一大决策不规范",
    "task": "修订议事规则",
    "responsible_unit": "办公室",
    "responsible_person": "李书记",
}


def test_receipt_incomplete_sets_no_deadline_and_the_third_signature_does(flow):
    from tenants.rectification.services import feedback_create, receipt_sign

    with flow.schema():
        admin, access = flow.users["admin"], flow.access("admin")
        feedback = feedback_create(
            actor=admin,
            access=access,
            round=flow.round,
            target=flow.target,
            leadership_content="班子问题",
            principal_content="个人问题",
        )
        feedback = receipt_sign(
            actor=flow.users["leader"],
            access=flow.access("leader"),
            feedback=feedback,
            party=ReceiptParty.TEAM_LEADER,
            signer_name="张组长",
            signed_on=datetime.date(2025, 9, 25),
        )
        feedback = receipt_sign(
            actor=flow.users["liaison"],
            access=flow.access("liaison"),
            feedback=feedback,
            party=ReceiptParty.UNIT_PRINCIPAL,
            signer_name="李书记",
            signed_on=datetime.date(2025, 9, 26),
        )
        assert feedback.receipt_signed_on is None and feedback.plan_due is None and feedback.report_due is None
        with pytest.raises(PermissionDenied):  # the liaison cannot sign for the office
            receipt_sign(
                actor=flow.users["liaison"],
                access=flow.access("liaison"),
                feedback=feedback,
                party=ReceiptParty.OFFICE_HEAD,
                signer_name="赵主任",
                signed_on=datetime.date(2025, 9, 26),
            )
        feedback = receipt_sign(
            actor=admin,
            access=access,
            feedback=feedback,
            party=ReceiptParty.OFFICE_HEAD,
            signer_name="赵主任",
            signed_on=datetime.date(2025, 9, 26),
        )
        assert feedback.receipt_signed_on == datetime.date(2025, 9, 26)


def test_deadlines_from_the_receipt_skip_the_national_day_holiday(flow):
    with flow.schema():
        feedback = signed_feedback(flow, signed_on=datetime.date(2025, 9, 26))
        # 10 working days: 9/28 (调休 Sunday), 9/29, 9/30, [10/1-10/8 off], 10/9, 10/10, 10/11 (调休 Saturday),
        # 10/13, 10/14, 10/15, 10/16.
        assert feedback.plan_due == datetime.date(2025, 10, 16) and not feedback.plan_due_provisional
        assert feedback.report_due == datetime.date(2025, 11, 26)  # two months, a working day


def test_the_office_holiday_table_moves_the_deadline(flow):
    from tenants.office.models import HolidayOverride

    with flow.schema():
        HolidayOverride.objects.create(date=datetime.date(2025, 10, 13), is_working_day=False, note="本地假日")
        feedback = signed_feedback(flow, signed_on=datetime.date(2025, 9, 26))
        assert feedback.plan_due == datetime.date(2025, 10, 17)


def test_a_deadline_in_a_year_without_a_holiday_table_is_marked_provisional(client, flow):
    with flow.schema():  # signed in the past (a receipt is never dated ahead): the report falls in 2027
        feedback = signed_feedback(flow, signed_on=datetime.date(2026, 11, 20))
        assert feedback.report_due == datetime.date(2027, 1, 20) and feedback.report_due_provisional
        assert not feedback.plan_due_provisional
        assert feedback.deadline_note
    client.force_login(flow.users["admin"])
    page = client.get(f"{WEB}/rectification/feedback/{feedback.pk}/").content.decode()
    assert 'data-testid="report-provisional"' in page and 'data-testid="plan-provisional"' not in page
    assert client.get(f"{API}/rectification/feedbacks/{feedback.pk}/").json()["report_due_provisional"] is True


@pytest.mark.parametrize(
    "due, done, colour",
    [
        (datetime.date(2025, 5, 31), False, "red"),  # past due
        (datetime.date(2025, 6, 1), False, "yellow"),  # due today
        (datetime.date(2025, 6, 8), False, "yellow"),  # within 7 days
        (datetime.date(2025, 6, 9), False, "green"),  # 8 days away
        (datetime.date(2025, 5, 1), True, "green"),  # done
    ],
)
def test_red_yellow_green(due, done, colour):
    from tenants.rectification.services import status_colour

    assert status_colour(due=due, done=done, today=datetime.date(2025, 6, 1), yellow_within_days=7) == colour


def test_thresholds_are_a_setting_the_admin_changes(client, flow):
    client.force_login(flow.users["staff_internal"])
    assert (
        client.put(
            f"{API}/rectification/thresholds/", {"yellow_within_days": 3}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(flow.users["admin"])
    assert (
        client.put(
            f"{API}/rectification/thresholds/", {"yellow_within_days": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    response = client.put(
        f"{API}/rectification/thresholds/", {"yellow_within_days": 3}, content_type="application/json"
    )
    assert response.json() == {"yellow_within_days": 3}
    with flow.schema():
        from tenants.rectification.models import StatusThresholds
        from tenants.rectification.services import status_colour

        assert StatusThresholds.current().yellow_within_days == 3
        assert status_colour(due=datetime.date(2025, 6, 6), done=False, today=datetime.date(2025, 6, 1)) == "green"


def test_items_close_one_by_one_only_with_evidence_and_verification(flow):
    from tenants.rectification.services import item_submit_evidence, item_verify, rectification_items_add

    with flow.schema():
        feedback = signed_feedback(flow)
        first, second = rectification_items_add(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            feedback=feedback,
            items=[ITEM, {**ITEM, "task": "整改第二项"}],
        )
        assert first.due_date == datetime.date(2025, 11, 26)  # the report's deadline, two months after the receipt
        with pytest.raises(ValidationError):  # no evidence yet
            item_verify(actor=flow.users["admin"], access=flow.access("admin"), item=first, accept=True)
        with pytest.raises(ValidationError):
            item_submit_evidence(actor=flow.users["liaison"], access=flow.access("liaison"), item=first, evidence=" ")
        first = item_submit_evidence(
            actor=flow.users["liaison"], access=flow.access("liaison"), item=first, evidence="修订后的议事规则（附件）"
        )
        with pytest.raises(PermissionDenied):  # the unit cannot close its own item
            item_verify(actor=flow.users["liaison"], access=flow.access("liaison"), item=first, accept=True)
        with pytest.raises(ValidationError):  # rejecting needs a reason
            item_verify(actor=flow.users["admin"], access=flow.access("admin"), item=first, accept=False)
        first = item_verify(
            actor=flow.users["leader"], access=flow.access("leader"), item=first, accept=True, note="核验属实"
        )
        assert first.status == ItemStatus.CLOSED and first.verified_by == flow.users["leader"]
        second.refresh_from_db()
        assert second.status == ItemStatus.OPEN


def test_the_database_refuses_a_closed_item_without_evidence_and_verification(flow):
    with flow.schema():
        feedback = signed_feedback(flow)
        with pytest.raises(IntegrityError), transaction.atomic():
            RectificationItem.objects.create(
                feedback=feedback, due_date=feedback.report_due, status=ItemStatus.CLOSED, **ITEM
            )


def test_bad_items_are_all_or_nothing(client, flow):
    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        feedback = signed_feedback(flow)
        with pytest.raises(ValidationError) as error:
            rectification_items_add(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                feedback=feedback,
                items=[ITEM, {**ITEM, "task": ""}],
            )
        assert "Item 2" in str(error.value)
        assert not RectificationItem.objects.exists()
    client.force_login(flow.users["admin"])
    response = client.post(
        f"{API}/rectification/feedbacks/{feedback.pk}/items/",
        [ITEM, {**ITEM, "responsible_person": ""}],
        content_type="application/json",
    )
    assert response.status_code == 400
    with flow.schema():
        assert not RectificationItem.objects.exists()


def test_liaison_submits_plan_and_evidence_for_its_own_unit_only(client, flow):
    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        feedback = signed_feedback(flow)
        item = rectification_items_add(
            actor=flow.users["admin"], access=flow.access("admin"), feedback=feedback, items=[ITEM]
        )[0]
    client.force_login(flow.users["other_liaison"])
    assert client.get(f"{API}/rectification/feedbacks/").json()["results"] == []
    assert client.post(f"{API}/rectification/items/{item.pk}/evidence/", {"evidence": "x"}).status_code == 404
    client.force_login(flow.users["liaison"])
    assert [f["id"] for f in client.get(f"{API}/rectification/feedbacks/").json()["results"]] == [feedback.pk]
    plan = client.post(f"{API}/rectification/feedbacks/{feedback.pk}/submit/", {"kind": "plan", "content": "整改方案"})
    assert plan.status_code == 201 and plan.json()["on_time"] is False  # the plan was due on 2025-10-16
    assert (
        client.post(
            f"{API}/rectification/feedbacks/{feedback.pk}/submit/", {"kind": "plan", "content": "again"}
        ).status_code
        == 400
    )
    assert (
        client.post(f"{API}/rectification/items/{item.pk}/evidence/", {"evidence": "规则文本"}).json()["status"]
        == "evidence"
    )
    assert client.post(f"{API}/rectification/items/{item.pk}/verify/", {"accept": True}).status_code == 403
    client.force_login(flow.users["admin"])
    closed = client.post(f"{API}/rectification/items/{item.pk}/verify/", {"accept": True}).json()
    assert closed["status"] == "closed" and closed["colour"] == "green"


def test_feedback_needs_the_hearing_first_and_complete_content(flow):
    from tenants.rectification.models import Feedback
    from tenants.rectification.services import feedback_create

    def give(round, target, principal="主要负责人问题"):
        return feedback_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            round=round,
            target=target,
            leadership_content="班子问题",
            principal_content=principal,
        )

    with flow.schema():
        assert flow.other_round.state == "on_site"
        with pytest.raises(ValidationError):  # still on site: no feedback before the leading group's hearing
            give(flow.other_round, flow.other_target)
        with pytest.raises(ValidationError):
            give(flow.round, flow.target, principal="")
        with pytest.raises(ValidationError):  # not a target of this round
            give(flow.round, flow.other_target)
        assert not Feedback.objects.exists()
        heard = round_walk(flow.other_round, "hearing", **flow.walkers())
        feedback = give(heard, flow.other_target)
        assert list(Feedback.objects.values_list("round_id", "target_id", "principal_content")) == [
            (flow.other_round.pk, flow.other_target.pk, "主要负责人问题")
        ]
        assert feedback.receipt_signed_on is None


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_notices_and_round_report_are_word_documents_without_confidential_content(client, flow):
    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        make_finding(flow, title="会议纪要不规范", fixed=True)
        make_finding(flow, title="涉密问题标题", classification=2)
        make_clue(flow, summary="某副局长收受礼金线索")
        feedback = signed_feedback(flow)
        rectification_items_add(actor=flow.users["admin"], access=flow.access("admin"), feedback=feedback, items=[ITEM])
    client.force_login(flow.users["admin"])
    notice = _docx_text(client.get(f"{API}/rectification/feedbacks/{feedback.pk}/feedback-notice.docx/").content)
    assert "领导班子存在的问题" in notice and "主要负责人存在的问题" in notice and "会议纪要不规范" in notice
    assert "张组长" in notice and "涉密问题标题" not in notice and "礼金" not in notice
    web_notice = client.get(f"{WEB}/rectification/documents/{feedback.pk}/rectification-notice.docx")
    text = _docx_text(web_notice.content)
    assert "2025年10月16日" in text and "修订议事规则" in text and "李书记" in text and "问题清单" in text
    report = client.get(f"{API}/rectification/rounds/{flow.round.pk}/report.docx").content
    text = _docx_text(report)
    assert "发现问题 2 个，其中立行立改 1 个" in text and "会议纪要不规范" in text
    assert "涉密问题标题" not in text and "礼金" not in text and "王某某" not in text
    client.force_login(flow.users["outsider_leader"])
    assert client.get(f"{API}/rectification/rounds/{flow.round.pk}/report.docx").status_code == 403


def test_rectification_ledger_is_a_readable_workbook_with_colours(client, flow):
    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        feedback = signed_feedback(flow, signed_on=datetime.date(2025, 1, 6))
        rectification_items_add(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            feedback=feedback,
            items=[ITEM, {**ITEM, "task": "远期任务", "due_date": datetime.date(2099, 1, 1)}],
        )
    client.force_login(flow.users["liaison"])
    response = client.get(f"{WEB}/rectification/ledger.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "序号" and len(rows) == 3
    assert {row[4]: row[9] for row in rows[1:]} == {"修订议事规则": "红", "远期任务": "绿"}
    client.force_login(flow.users["other_liaison"])
    rows = list(
        load_workbook(io.BytesIO(client.get(f"{WEB}/rectification/ledger.xlsx").content)).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1


def test_the_rectification_index_is_paged_fifty_items_at_a_time(client, flow):
    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        feedback = signed_feedback(flow)
        rectification_items_add(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            feedback=feedback,
            items=[{**ITEM, "task": f"整改任务{n:02d}"} for n in range(1, 52)],
        )
    client.force_login(flow.users["admin"])
    first = client.get(f"{WEB}/rectification/").content.decode()
    assert "整改任务50" in first and "整改任务51" not in first
    assert "第 1 / 2 页，共 51 条" in first and 'href="?items=2"' in first and "下一页" in first
    second = client.get(f"{WEB}/rectification/?items=2").content.decode()
    assert "整改任务51" in second and "整改任务01" not in second and "上一页" in second
    assert "市交通运输局党组" in second  # the feedback list (one page, no pager) is still there
    assert client.get(f"{WEB}/rectification/?items=x").status_code == 200
