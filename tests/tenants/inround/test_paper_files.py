"""Files on working papers (工作底稿; issue 15, point 4): attached on the page and the API by the round's team or
the office, checked by their content, classified with the paper, listed, downloaded (audited) by who may open the
paper only, removed while the paper is not approved; they never leave the office (working papers have no bus
policy: no file message is queued for them, while a guidance document's file is, in the same test)."""

from __future__ import annotations

import datetime

from shared.accounts.models import Classification
from sync.models import OutboxMessage
from tenants.attachments.models import Attachment
from tenants.audit.models import AuditEvent
from tenants.inround.models import WorkingPaper
from tests.tenants.attachments.test_evidence_files import ELF, pdf_bytes, png_bytes, upload
from tests.tenants.workflow import API, WEB

PAPER_TYPE = "inround.workingpaper"


def _paper_files(paper_id) -> list[Attachment]:
    return list(Attachment.objects.filter(record_type=PAPER_TYPE, record_key=str(paper_id)))


def test_the_team_member_attaches_files_on_the_page_and_the_leader_downloads_them_audited(client, flow):
    client.force_login(flow.users["member"])
    client.post(
        f"{WEB}/inround/paper/new/",
        {
            "round": flow.round.pk,
            "target": flow.target.pk,
            "title": "财务抽查底稿",
            "content": "抽查凭证50张",
            "files": [upload("凭证抽查表.pdf", pdf_bytes())],
        },
    )
    with flow.schema():
        paper = WorkingPaper.objects.get(title="财务抽查底稿")
        [scan] = _paper_files(paper.pk)
    assert (scan.name, scan.content_type, scan.classification) == ("凭证抽查表.pdf", "application/pdf", 1)

    page = f"{WEB}/inround/paper/{paper.pk}/"
    response = client.post(f"{WEB}/inround/papers/{paper.pk}/files/", {"files": [upload("现场.png", png_bytes())]})
    assert response.status_code == 302
    text = client.get(page).content.decode()
    assert "凭证抽查表.pdf" in text and "现场.png" in text and "已附上文件" in text
    assert 'data-testid="paper-files-form"' in text

    client.force_login(flow.users["leader"])
    with flow.schema():
        before = AuditEvent.objects.count()
    download = client.get(f"{WEB}/attachments/{scan.pk}/")
    assert download.status_code == 200 and download.content == pdf_bytes()
    with flow.schema():
        [event] = AuditEvent.objects.filter(seq__gt=before)
    assert event.action == "export" and event.record_type == "attachments.attachment" and scan.sha256 in event.detail

    for outsider in ("outsider_leader", "liaison"):  # another round's leader, a unit's liaison: refused
        client.force_login(flow.users[outsider])
        assert client.get(f"{WEB}/attachments/{scan.pk}/").status_code == 403
        assert client.get(f"{API}/attachments/{scan.pk}/").status_code == 403
        refused = client.post(f"{WEB}/inround/papers/{paper.pk}/files/", {"files": [upload("x.png", png_bytes())]})
        assert refused.status_code in (403, 404)
    with flow.schema():
        assert len(_paper_files(paper.pk)) == 2


def test_an_executable_renamed_pdf_is_refused_with_the_chinese_reason_and_nothing_is_kept(client, flow):
    client.force_login(flow.users["member"])
    paper = client.post(
        f"{API}/inround/working-papers/",
        {"round": flow.round.pk, "target": flow.target.pk, "title": "谈话底稿", "content": "谈话要点"},
    ).json()
    response = client.post(
        f"{WEB}/inround/papers/{paper['id']}/files/",
        {"files": [upload("要点.pdf", pdf_bytes()), upload("谈话录音.pdf", ELF)]},
        follow=True,
    )
    assert "“谈话录音.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。" in response.content.decode()
    refused = client.post(
        f"{API}/inround/working-papers/",
        {
            "round": flow.round.pk,
            "target": flow.target.pk,
            "title": "另一底稿",
            "content": "x",
            "files": [upload("a.pdf", ELF)],
        },
    )
    assert refused.status_code == 400 and "a.pdf" in refused.json()["files"][0]
    with flow.schema():
        assert not Attachment.objects.exists()
        assert not WorkingPaper.objects.filter(title="另一底稿").exists()  # the refused create left no paper


def test_the_api_lists_adds_and_removes_files_until_the_paper_is_approved(client, flow):
    client.force_login(flow.users["member"])
    created = client.post(
        f"{API}/inround/working-papers/",
        {
            "round": flow.round.pk,
            "target": flow.target.pk,
            "title": "秘密底稿",
            "content": "内容",
            "classification": Classification.SECRET,
            "files": [upload("表一.pdf", pdf_bytes())],
        },
    )
    assert created.status_code == 201, created.content
    paper = created.json()
    [first] = paper["attachments"]
    assert first["classification"] == Classification.SECRET  # classified with the paper

    added = client.post(
        f"{API}/inround/working-papers/{paper['id']}/files/", {"files": [upload("表二.png", png_bytes())]}
    )
    assert added.status_code == 201 and [a["name"] for a in added.json()["attachments"]] == ["表一.pdf", "表二.png"]
    listed = client.get(f"{API}/inround/working-papers/").json()["results"]
    assert [a["name"] for a in next(p for p in listed if p["id"] == paper["id"])["attachments"]] == [
        "表一.pdf",
        "表二.png",
    ]
    empty = client.post(f"{API}/inround/working-papers/{paper['id']}/files/", {}, format="multipart")
    assert empty.status_code == 400

    assert client.delete(f"{API}/inround/working-papers/{paper['id']}/files/{first['id']}/").status_code == 204
    assert [a["name"] for a in client.get(f"{API}/inround/working-papers/{paper['id']}/").json()["attachments"]] == [
        "表二.png"
    ]
    assert client.delete(f"{API}/inround/working-papers/{paper['id']}/files/{first['id']}/").status_code == 400

    client.post(f"{API}/inround/working-papers/{paper['id']}/submit/")
    client.force_login(flow.users["leader"])
    assert client.post(f"{API}/inround/working-papers/{paper['id']}/decide/", {"approve": True}).status_code == 200
    late = client.post(
        f"{API}/inround/working-papers/{paper['id']}/files/", {"files": [upload("表三.png", png_bytes())]}
    )
    assert late.status_code == 400 and late.json()["files"] == ["底稿已审批，其文件不能再更改。"]
    [kept] = client.get(f"{API}/inround/working-papers/{paper['id']}/").json()["attachments"]
    assert client.delete(f"{API}/inround/working-papers/{paper['id']}/files/{kept['id']}/").status_code == 400
    page = client.get(f"{WEB}/inround/paper/{paper['id']}/").content.decode()
    assert "表二.png" in page and 'data-testid="paper-files-form"' not in page  # listed, no longer changeable


def test_a_papers_files_are_never_queued_for_the_bus_while_a_guidance_documents_are(client, flow):
    from tenants.guidance.services import guidance_document_issue

    client.force_login(flow.users["member"])
    paper = client.post(
        f"{API}/inround/working-papers/",
        {
            "round": flow.round.pk,
            "target": flow.target.pk,
            "title": "底稿",
            "content": "x",
            "files": [upload("p.pdf", pdf_bytes())],
        },
    ).json()
    [paper_file] = paper["attachments"]
    with flow.schema():
        document = guidance_document_issue(
            title="工作指引",
            doc_type="guidance",
            issued_on=datetime.date(2026, 3, 1),
            actor=flow.users["admin"],
            files=[upload("指引.pdf", pdf_bytes())],
        )
        [guidance_file] = Attachment.objects.filter(
            record_type="guidance.guidancedocument", record_key=str(document.pk)
        )
        queued = set(OutboxMessage.objects.filter(record_type="attachments.file").values_list("record_key", flat=True))
        assert str(guidance_file.pk) in queued  # positive control: a travelling record's file is queued
        assert str(paper_file["id"]) not in queued
        assert not OutboxMessage.objects.filter(record_type__startswith="inround.").exists()
