"""Text the platform writes and keeps is in the office's language (zh-hans), whatever language the request
that caused it was in: a reader in Chinese never meets a deadline note saved in English (issue 10).
Each action is taken on the page by a browser that asks for English; the note is then read in Chinese."""

from __future__ import annotations

from django.utils import timezone

from tests.tenants.workflow import API, RECEIPT_SIGNERS, WEB, clue_transfer, new_feedback

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _post_in_english(client, url, data):
    response = client.post(url, data, **ENGLISH)
    assert response.status_code == 302, response.content.decode()[:1000]


def test_a_receipt_signed_from_an_english_browser_keeps_its_deadline_note_in_chinese(client, flow):
    with flow.schema():
        feedback = new_feedback(flow)
    client.force_login(flow.users["admin"])
    for party, name in RECEIPT_SIGNERS:
        data = {"party": party, "signer_name": name, "signed_on": "2025-09-26"}
        _post_in_english(client, f"{WEB}/rectification/feedback/{feedback.pk}/sign/", data)
    page = client.get(f"{WEB}/rectification/feedback/{feedback.pk}/", **CHINESE).content.decode()
    assert "自 2025年9月26日 起 10 个工作日" in page  # the plan's deadline note, in Chinese
    assert "自 2025年9月26日 起 2 个月" in page  # the report's
    assert "working days from" not in page and "months from" not in page


def test_a_transfer_handed_over_from_an_english_browser_keeps_its_deadline_note_in_chinese(client, flow):
    with flow.schema():
        transfer = clue_transfer(flow)
    for party, user in (("team", "member"), ("office", "admin"), ("agency", "discipline_receiver")):
        client.force_login(flow.users[user])
        _post_in_english(client, f"{WEB}/transfers/{transfer.pk}/sign/", {"party": party})
    client.force_login(flow.users["admin"])
    today = timezone.localdate()
    today = f"{today.year}年{today.month}月{today.day}日"  # zh-hans DATE_FORMAT, as the pages write dates
    note = client.get(f"{API}/transfers/{transfer.pk}/", **CHINESE).json()["feedback_due_note"]
    assert note.startswith(f"自 {today} 起 3 个月")  # the handling deadline's note, in Chinese
    assert "months from" not in note
