"""What the guidance pages' and API's tests share: the document the city's office issues, and its journey to a
county in two steps (the document and the file's manifest first, the file's pieces after), so that a test sees
the file listed only once it arrived whole."""

from __future__ import annotations

from sync.testing import messages_deliver

CITY, COUNTY = "/org/410600", "/org/410621"
DOCUMENT = {
    "title": "关于做好本轮巡察整改督促工作的通知",
    "doc_type": "notice",
    "issued_on": "2026-03-01",
    "summary": "请各县区按要求督促整改。",
    "content": "一、……",
    "classification": "1",
}


def guidance_deliver_without_pieces(*, city, county) -> None:
    for record_type in ("guidance.document", "attachments.file"):
        messages_deliver(source=city, receivers=[county], record_type=record_type)


def guidance_deliver_pieces(*, city, county) -> None:
    messages_deliver(source=city, receivers=[county], record_type="attachments.chunk")
