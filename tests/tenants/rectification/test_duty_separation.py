"""Separation of duties (issue 10, point 7): whoever submitted an item's evidence does not verify it
(核验销号) unless the office relaxed the rule; one person signs a transfer's hand-over for one party;
receipt signatures and hand-overs dated in the future are refused. Walked on the pages and the API
as the roles that use them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from shared.accounts.models import Classification, Membership
from tenants.rectification.models import ItemStatus, ReceiptParty, ReceiptSignature
from tests.tenants.workflow import API, WEB, make_clue, signed_feedback

ITEM = {
    "problem": "三重一大决策不规范",
    "task": "修订议事规则",
    "responsible_unit": "办公室",
    "responsible_person": "李书记",
}
OWN_EVIDENCE = "该事项的整改材料由您提交，须由其他人员核验销号（职责分离，见巡察办设置）。"


def _item(flow):
    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        feedback = signed_feedback(flow)
        [item] = rectification_items_add(
            actor=flow.users["admin"], access=flow.access("admin"), feedback=feedback, items=[ITEM]
        )
    return feedback, item


def _status(flow, item):
    with flow.schema():
        item.refresh_from_db()
    return item.status


def test_the_staff_member_who_submitted_the_evidence_cannot_verify_it_on_the_page(client, flow):
    feedback, item = _item(flow)
    page_url = f"{WEB}/rectification/feedback/{feedback.pk}/"
    client.force_login(flow.users["staff_internal"])
    client.post(f"{WEB}/rectification/items/{item.pk}/evidence/", {"evidence": "修订后的议事规则（附件）"})
    assert _status(flow, item) == ItemStatus.EVIDENCE_SUBMITTED

    page = client.get(page_url).content.decode()
    assert "待他人核验" in page  # the submitter sees why there is no button
    assert f"/rectification/items/{item.pk}/accept/" not in page
    assert f"/rectification/items/{item.pk}/reject/" not in page
    assert f"/rectification/items/{item.pk}/evidence/" in page  # positive control: the item's row is there

    refused = client.post(f"{WEB}/rectification/items/{item.pk}/accept/", {}, follow=True).content.decode()
    assert OWN_EVIDENCE in refused
    assert _status(flow, item) == ItemStatus.EVIDENCE_SUBMITTED
    refused = client.post(
        f"{WEB}/rectification/items/{item.pk}/reject/", {"note": "不够"}, follow=True
    ).content.decode()
    assert OWN_EVIDENCE in refused
    assert _status(flow, item) == ItemStatus.EVIDENCE_SUBMITTED

    client.force_login(flow.users["admin"])  # another member of the office verifies
    page = client.get(page_url).content.decode()
    assert f"/rectification/items/{item.pk}/accept/" in page and "待他人核验" not in page
    done = client.post(f"{WEB}/rectification/items/{item.pk}/accept/", {}, follow=True).content.decode()
    assert "核验结果已登记。" in done
    with flow.schema():
        item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED
    assert item.evidence_submitted_by_id == flow.users["staff_internal"].pk
    assert item.verified_by_id == flow.users["admin"].pk


def test_the_api_refuses_the_submitter_s_verification_in_chinese_and_changes_nothing(client, flow):
    _feedback, item = _item(flow)
    client.force_login(flow.users["admin"])
    assert (
        client.post(f"{API}/rectification/items/{item.pk}/evidence/", {"evidence": "会议记录"}).json()["status"]
        == ItemStatus.EVIDENCE_SUBMITTED
    )
    response = client.post(f"{API}/rectification/items/{item.pk}/verify/", {"accept": True})
    assert response.status_code == 400
    assert response.json() == {"status": [OWN_EVIDENCE]}
    assert _status(flow, item) == ItemStatus.EVIDENCE_SUBMITTED
    rejected = client.post(f"{API}/rectification/items/{item.pk}/verify/", {"accept": False, "note": "材料不全"})
    assert rejected.status_code == 400 and _status(flow, item) == ItemStatus.EVIDENCE_SUBMITTED

    client.force_login(flow.users["leader"])  # the round's team leader may verify: not the submitter
    closed = client.post(f"{API}/rectification/items/{item.pk}/verify/", {"accept": True})
    assert closed.status_code == 200 and closed.json()["status"] == ItemStatus.CLOSED


def test_the_office_admin_relaxes_the_rule_on_the_settings_page_and_then_one_person_may_do_both(client, flow):
    from tenants.office.forms import OfficeSettingsForm
    from tenants.office.models import OfficeSettings

    _feedback, item = _item(flow)
    client.force_login(flow.users["admin"])
    page = client.get(f"{WEB}/office/settings/").content.decode()
    assert 'name="duty_separation"' in page and "职责分离" in page
    with flow.schema():
        data = {
            name: value
            for name, value in OfficeSettingsForm(instance=OfficeSettings.current()).initial.items()
            if value is not None
        }
    data["duty_separation"] = "same_person"
    client.post(f"{WEB}/office/settings/", data)
    with flow.schema():
        assert OfficeSettings.current().duty_separation == "same_person"

    client.force_login(flow.users["staff_internal"])
    client.post(f"{WEB}/rectification/items/{item.pk}/evidence/", {"evidence": "修订后的议事规则"})
    page = client.get(f"{WEB}/rectification/feedback/{item.feedback_id}/").content.decode()
    assert f"/rectification/items/{item.pk}/accept/" in page and "待他人核验" not in page
    client.post(f"{WEB}/rectification/items/{item.pk}/accept/", {})
    assert _status(flow, item) == ItemStatus.CLOSED


def test_the_setting_is_in_the_api_office_staff_may_not_change_it_and_the_preset_restores_separation(client, flow):
    client.force_login(flow.users["admin"])
    assert client.get(f"{API}/office/settings/").json()["duty_separation"] == "separate"
    bad = client.patch(f"{API}/office/settings/", {"duty_separation": "nobody"}, content_type="application/json")
    assert bad.status_code == 400
    relaxed = client.patch(
        f"{API}/office/settings/", {"duty_separation": "same_person"}, content_type="application/json"
    )
    assert relaxed.status_code == 200 and relaxed.json()["duty_separation"] == "same_person"
    client.post(f"{WEB}/office/settings/preset/", {"preset": "seed_004"})
    assert client.get(f"{API}/office/settings/").json()["duty_separation"] == "separate"

    client.force_login(flow.users["staff_internal"])
    refused = client.patch(
        f"{API}/office/settings/", {"duty_separation": "same_person"}, content_type="application/json"
    )
    assert refused.status_code == 403
    client.force_login(flow.users["admin"])
    assert client.get(f"{API}/office/settings/").json()["duty_separation"] == "separate"


def _unsigned_feedback(flow):
    from tenants.rectification.services import feedback_create

    with flow.schema():
        return feedback_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            round=flow.round,
            target=flow.target,
            leadership_content="班子问题",
            principal_content="个人问题",
        )


def test_a_receipt_signature_dated_in_the_future_is_refused_on_the_page_and_the_api(client, flow):
    feedback = _unsigned_feedback(flow)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client.force_login(flow.users["leader"])  # the team leader records his own signature
    form = client.get(f"{WEB}/rectification/feedback/{feedback.pk}/").content.decode()
    assert f'name="signed_on" max="{timezone.localdate().isoformat()}"' in form  # the browser offers no later day
    page = client.post(
        f"{WEB}/rectification/feedback/{feedback.pk}/sign/",
        {"party": ReceiptParty.TEAM_LEADER, "signer_name": "张组长", "signed_on": tomorrow},
        follow=True,
    ).content.decode()
    assert "签收日期不能晚于今天。" in page
    response = client.post(
        f"{API}/rectification/feedbacks/{feedback.pk}/sign/",
        {"party": ReceiptParty.TEAM_LEADER, "signer_name": "张组长", "signed_on": tomorrow},
    )
    assert response.status_code == 400 and response.json() == {"signed_on": ["签收日期不能晚于今天。"]}
    with flow.schema():
        assert not ReceiptSignature.objects.filter(feedback=feedback).exists()
    today = timezone.localdate().isoformat()  # positive control: today is fine
    assert (
        client.post(
            f"{API}/rectification/feedbacks/{feedback.pk}/sign/",
            {"party": ReceiptParty.TEAM_LEADER, "signer_name": "张组长", "signed_on": today},
        ).status_code
        == 200
    )


def test_one_signer_cannot_sign_the_receipt_for_two_parties(client, flow):
    feedback = _unsigned_feedback(flow)
    client.force_login(flow.users["admin"])  # the office records the paper receipt
    sign = f"{API}/rectification/feedbacks/{feedback.pk}/sign/"
    assert (
        client.post(
            sign, {"party": ReceiptParty.TEAM_LEADER, "signer_name": "张组长", "signed_on": "2025-09-25"}
        ).status_code
        == 200
    )
    response = client.post(
        sign, {"party": ReceiptParty.OFFICE_HEAD, "signer_name": " 张组长 ", "signed_on": "2025-09-26"}
    )
    assert response.status_code == 400
    assert response.json() == {"signer_name": ["同一人不能代表两方在签收单上签字。"]}
    with flow.schema():
        assert ReceiptSignature.objects.filter(feedback=feedback).count() == 1


def _transfer(flow):
    from tenants.transfers.models import TransferType
    from tenants.transfers.services import transfer_create

    with flow.schema():
        return transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.DISCIPLINE_CLUE,
            clue=make_clue(flow),
        )


def test_a_team_member_who_is_also_office_staff_signs_the_hand_over_for_one_party_only(client, flow):
    from tenants.transfers.models import TransferSignature

    member = flow.users["member"]
    Membership.objects.create(
        user=member, organization=flow.org, role="office_staff", clearance=Classification.CONFIDENTIAL
    )
    transfer = _transfer(flow)
    client.force_login(member)
    sign = f"{WEB}/transfers/{transfer.pk}/sign/"
    client.post(sign, {"party": "team"})
    page = client.post(sign, {"party": "office"}, follow=True).content.decode()
    assert "您已代表另一方在移交单上签字，每一方须由不同人员签字。" in page
    with flow.schema():
        assert list(TransferSignature.objects.filter(transfer=transfer).values_list("party", flat=True)) == ["team"]
    api = client.post(f"{API}/transfers/{transfer.pk}/sign/", {"party": "office"})
    assert api.status_code == 400
    client.force_login(flow.users["admin"])  # positive control: another person signs for the office
    client.post(sign, {"party": "office"})
    with flow.schema():
        assert set(TransferSignature.objects.filter(transfer=transfer).values_list("party", flat=True)) == {
            "team",
            "office",
        }


def test_a_hand_over_dated_in_the_future_is_refused(flow):
    from tenants.transfers.models import Party, TransferSignature
    from tenants.transfers.services import transfer_sign

    transfer = _transfer(flow)
    with flow.schema(), translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            transfer_sign(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                transfer=transfer,
                party=Party.OFFICE,
                today=timezone.localdate() + datetime.timedelta(days=3),
            )
        assert error.value.messages == ["移交日期不能晚于今天。"]
        assert not TransferSignature.objects.filter(transfer=transfer).exists()
