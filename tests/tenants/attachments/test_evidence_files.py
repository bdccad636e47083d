"""Files with a rectification item's evidence (issue 15, point 4), on the page and the API, as the unit's liaison
and the office: PDF, images and Office documents told apart by their content (an executable renamed .pdf is
refused, and nothing of that submission is kept), within the size limit; stored with the item in the
organisation's schema and classified with it; served only to who may open the item, every download audited,
and watermarked with the reader, office and time when the item is 秘密."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader, PdfWriter

from shared.accounts.models import Classification
from tenants.attachments.models import Attachment
from tenants.audit.models import AuditEvent
from tenants.rectification.models import ItemStatus
from tests.tenants.workflow import API, RECEIPT_SIGNERS, WEB, signed_feedback

ITEM = {
    "problem": "三重一大决策不规范",
    "task": "修订议事规则",
    "responsible_unit": "办公室",
    "responsible_person": "李书记",
}
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def pdf_bytes(text_pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(text_pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(colour=(255, 255, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _item(flow, classification=None):
    from tenants.rectification.services import feedback_create, receipt_sign, rectification_items_add

    admin, access = flow.users["admin"], flow.access("admin")
    with flow.schema():
        if classification is None:
            feedback = signed_feedback(flow)
        else:
            feedback = feedback_create(
                actor=admin,
                access=access,
                round=flow.round,
                target=flow.target,
                leadership_content="领导班子存在的问题……",
                principal_content="主要负责人存在的问题……",
                classification=classification,
            )
            for party, name in RECEIPT_SIGNERS:
                feedback = receipt_sign(
                    actor=admin,
                    access=access,
                    feedback=feedback,
                    party=party,
                    signer_name=name,
                    signed_on=datetime.date(2025, 9, 26),
                )
        [item] = rectification_items_add(actor=admin, access=access, feedback=feedback, items=[ITEM])
    return feedback, item


def test_the_liaison_attaches_a_scan_and_the_office_downloads_it_audited(client, flow):
    feedback, item = _item(flow)
    client.force_login(flow.users["liaison"])
    response = client.post(
        f"{WEB}/rectification/items/{item.pk}/evidence/",
        {
            "evidence": "修订后的议事规则",
            "files": [upload("议事规则.pdf", pdf_bytes()), upload("照片.png", png_bytes())],
        },
        follow=True,
    )
    assert "整改材料已提交" in response.content.decode() or response.status_code == 200
    with flow.schema():
        files = list(Attachment.objects.filter(record_type="rectification.rectificationitem", record_key=str(item.pk)))
        item.refresh_from_db()
    assert [(f.name, f.content_type) for f in files] == [("议事规则.pdf", "application/pdf"), ("照片.png", "image/png")]
    assert item.status == ItemStatus.EVIDENCE_SUBMITTED
    assert all(f.classification == Classification.INTERNAL for f in files)

    page = client.get(f"{WEB}/rectification/feedback/{feedback.pk}/").content.decode()
    assert f"/attachments/{files[0].pk}/" in page and "议事规则.pdf" in page

    client.force_login(flow.users["admin"])
    with flow.schema():
        before = AuditEvent.objects.count()
    download = client.get(f"{WEB}/attachments/{files[0].pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    assert download.content == pdf_bytes()  # 内部: served as uploaded, no watermark
    with flow.schema():
        [event] = AuditEvent.objects.filter(seq__gt=before)
    assert event.action == "export" and event.user_id == flow.users["admin"].pk
    assert files[0].sha256 in event.detail and "议事规则" not in event.detail  # the file by digest, not by name


def test_an_executable_renamed_pdf_is_refused_and_nothing_of_the_submission_is_kept(client, flow):
    feedback, item = _item(flow)
    client.force_login(flow.users["liaison"])
    response = client.post(
        f"{WEB}/rectification/items/{item.pk}/evidence/",
        {"evidence": "整改报告", "files": [upload("整改报告.pdf", pdf_bytes()), upload("整改报告2.pdf", ELF)]},
        follow=True,
    )
    text = response.content.decode()
    assert "“整改报告2.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。" in text
    with flow.schema():
        item.refresh_from_db()
        assert not Attachment.objects.exists()
    assert item.status == ItemStatus.OPEN and item.evidence == ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("照片.pdf", png_bytes(), "“照片.pdf”的内容是图片，文件名却以“.pdf”结尾：请改正文件名。"),
        ("空.pdf", b"", "“空.pdf”是空文件。"),
        ("坏.pdf", b"%PDF-1.7\n garbage", "“坏.pdf”已损坏，无法打开。"),
        ("程序.exe", b"MZ" + b"\x90" * 300, "“程序.exe”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。"),
    ],
)
def test_bad_files_get_a_clear_chinese_error_on_the_api(client, flow, name, content, message):
    _feedback, item = _item(flow)
    client.force_login(flow.users["liaison"])
    response = client.post(
        f"{API}/rectification/items/{item.pk}/evidence/", {"evidence": "材料", "files": [upload(name, content)]}
    )
    assert response.status_code == 400 and response.json()["files"] == [message]
    with flow.schema():
        assert not Attachment.objects.exists()


@override_settings(XUNCHA_ATTACHMENT_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused(client, flow):
    _feedback, item = _item(flow)
    client.force_login(flow.users["liaison"])
    response = client.post(
        f"{API}/rectification/items/{item.pk}/evidence/",
        {"evidence": "材料", "files": [upload("大.pdf", pdf_bytes(30))]},
    )
    assert response.status_code == 400 and response.json()["files"] == ["“大.pdf”超过 1.0\xa0KB。"]
    with flow.schema():
        assert not Attachment.objects.exists()


def test_the_api_lists_and_serves_the_files_to_who_may_open_the_item_only(client, flow):
    _feedback, item = _item(flow)
    client.force_login(flow.users["liaison"])
    posted = client.post(
        f"{API}/rectification/items/{item.pk}/evidence/",
        {"evidence": "会议记录", "files": [upload("会议记录.docx", _docx())]},
    )
    assert posted.status_code == 200, posted.content
    [described] = posted.json()["attachments"]
    assert described["name"] == "会议记录.docx" and described["content_type"].endswith("wordprocessingml.document")
    assert client.get(described["url"]).content == _docx_bytes_cache["content"]
    listed = client.get(f"{API}/rectification/items/?feedback={item.feedback_id}").json()
    assert [a["name"] for a in listed["results"][0]["attachments"]] == ["会议记录.docx"]

    client.force_login(flow.users["other_liaison"])  # another unit's liaison: not this item
    assert client.get(described["url"]).status_code == 403
    assert client.get(f"{WEB}/attachments/{described['id']}/").status_code == 403
    client.force_login(flow.users["liaison"])  # positive control on the page address too
    assert client.get(f"{WEB}/attachments/{described['id']}/").status_code == 200


def test_a_secret_items_pdf_and_image_are_watermarked_with_the_reader_office_and_time(client, flow):
    _feedback, item = _item(flow, classification=Classification.SECRET)
    admin = flow.users["admin"]
    client.force_login(admin)
    posted = client.post(
        f"{API}/rectification/items/{item.pk}/evidence/",
        {"evidence": "整改材料", "files": [upload("材料.pdf", pdf_bytes()), upload("现场.png", png_bytes())]},
    )
    assert posted.status_code == 200, posted.content
    pdf, image = posted.json()["attachments"]
    assert pdf["classification"] == Classification.SECRET

    marked = client.get(pdf["url"]).content
    pages = PdfReader(io.BytesIO(marked)).pages
    assert len(pages) == 2
    for page in pages:
        text = page.extract_text()
        assert admin.display_name in text and flow.org.name in text, text[:200]
    picture = Image.open(io.BytesIO(client.get(image["url"]).content)).convert("RGB")
    assert picture.size == (400, 300)
    assert len(picture.getcolors(1 << 20)) > 1  # the white picture now carries the red text
    assert Image.open(io.BytesIO(png_bytes())).convert("RGB").getcolors() == [(400 * 300, (255, 255, 255))]  # control

    client.force_login(flow.users["liaison"])  # cleared for 内部 only: refused the 秘密 file
    assert client.get(pdf["url"]).status_code in (403, 404)


_docx_bytes_cache: dict = {}


def _docx() -> bytes:
    from tenants.kernel.documents import docx_bytes

    if "content" not in _docx_bytes_cache:
        _docx_bytes_cache["content"] = docx_bytes(title="会议记录", sections=[("", ["研究整改工作。"])])
    return _docx_bytes_cache["content"]


def test_the_unit_submits_its_plan_with_the_scan_and_the_office_reads_it(client, flow):
    feedback, _item_row = _item(flow)
    client.force_login(flow.users["liaison"])
    client.post(
        f"{WEB}/rectification/feedback/{feedback.pk}/submit/",
        {"kind": "plan", "content": "整改方案（见附件）", "files": [upload("整改方案.pdf", pdf_bytes(3))]},
    )
    client.force_login(flow.users["admin"])
    page = client.get(f"{WEB}/rectification/feedback/{feedback.pk}/").content.decode()
    with flow.schema():
        [scan] = Attachment.objects.filter(record_type="rectification.submission")
    assert "整改方案（见附件）" in page and f"/attachments/{scan.pk}/" in page and "整改方案.pdf" in page
    assert len(PdfReader(io.BytesIO(client.get(f"{WEB}/attachments/{scan.pk}/").content)).pages) == 3

    client.force_login(flow.users["liaison"])  # the API: a refused file leaves no submission behind
    refused = client.post(
        f"{API}/rectification/feedbacks/{feedback.pk}/submit/",
        {"kind": "report", "content": "整改报告", "files": [upload("整改报告.pdf", ELF)]},
    )
    assert refused.status_code == 400 and "整改报告.pdf" in refused.json()["files"][0]
    with flow.schema():
        assert list(feedback.submissions.values_list("kind", flat=True)) == ["plan"]


def test_a_deleted_items_files_go_with_it(client, flow):
    feedback, item = _item(flow)
    client.force_login(flow.users["liaison"])
    client.post(
        f"{WEB}/rectification/items/{item.pk}/evidence/",
        {"evidence": "材料", "files": [upload("材料.pdf", pdf_bytes())]},
    )
    with flow.schema():
        assert Attachment.objects.count() == 1  # positive control
        feedback.delete()  # the cascade takes the item
        assert not Attachment.objects.exists()
