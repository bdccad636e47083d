"""A county's evidence on a supervised rectification item (督办) reaches the city with its progress, over the
real relay (publisher confirms) and consumer (issue 15 point 4): the county's office attaches a photo on its
ledger page, the city's view of the item lists the file once complete and its office downloads the same bytes
(audited); the other county's queue gets nothing, and a county reader may not report nor attach."""

from __future__ import annotations

import json

import pytest
from django_tenants.utils import schema_context

from shared.accounts.selectors import organization_access
from sync import inbox
from sync.models import OutboxMessage
from tenants.attachments.models import Attachment, ReceivedFile
from tenants.audit.models import AuditEvent
from tenants.rectification.models import SupervisedItem
from tests.tenants.attachments.test_evidence_files import ELF, png_bytes, upload
from tests.tenants.reports.test_filing_bus import _consume, _relay
from tests.tenants.workflow import supervised_item_add

pytestmark = pytest.mark.bus


def _pending(org, destination=None):
    with schema_context(org.schema_name):
        rows = OutboxMessage.objects.filter(sent_at__isnull=True)
        return (rows if destination is None else rows.filter(destination=destination)).count()


def test_the_county_s_evidence_reaches_the_city_with_its_progress(orgs, bus, make_member, client):
    city, county, other = orgs["city"], orgs["county_a"], orgs["county_b"]
    city_user, leading = make_member(city, "office_admin"), make_member(city, "leading_group")
    with schema_context(city.schema_name):
        item = supervised_item_add(
            office=city_user,
            office_access=organization_access(person=city_user, organization_id=city.pk),
            leading=leading,
            leading_access=organization_access(person=leading, organization_id=city.pk),
            county_code="410621",
            target_name="浚县证据单位",
            round_name="证据总线轮次",
            problem="证据随进展上报",
        )
    expected = _pending(city, "410621")
    assert _relay(city, bus) >= expected
    assert set(_consume(bus, county, expected)) == {inbox.APPLIED}
    with schema_context(county.schema_name):
        row = SupervisedItem.objects.get(source="410600", record_key=str(item.pk))
    photo = png_bytes((30, 160, 90))

    reader = make_member(county, "leading_group")  # reads the ledger, may not report
    client.force_login(reader)
    refused = client.post(
        f"/org/410621/rectification/supervised/{row.pk}/progress/",
        {"status": "in_progress", "progress_note": "读者不能上报", "files": [upload("整改照片.png", photo)]},
    )
    assert refused.status_code == 403
    county_staff = make_member(county, "office_staff")
    client.force_login(county_staff)
    bad = client.post(
        f"/org/410621/rectification/supervised/{row.pk}/progress/",
        {"status": "in_progress", "progress_note": "附件有误", "files": [upload("整改报告.pdf", ELF)]},
        follow=True,
    )
    assert "“整改报告.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。" in bad.content.decode()
    with schema_context(county.schema_name):
        assert not Attachment.objects.filter(record_type="rectification.superviseditem").exists()
        assert SupervisedItem.objects.get(pk=row.pk).progress_note == ""  # nothing of the refused report kept
    done = client.post(
        f"/org/410621/rectification/supervised/{row.pk}/progress/",
        {"status": "in_progress", "progress_note": "已整改，附现场照片", "files": [upload("整改照片.png", photo)]},
    )
    assert done.status_code == 302
    listing = client.get("/org/410621/rectification/supervised/").content.decode()
    assert "整改照片.png" in listing  # the county sees what it sent

    assert _pending(county, "410622") == 0 and _pending(other) == 0  # nothing for the other county
    expected = _pending(county, "410600")
    assert expected == 3  # the progress, the file's manifest, its one piece
    assert _relay(county, bus) == expected
    assert _consume(bus, city, expected) == [inbox.APPLIED] * expected
    with schema_context(other.schema_name):
        assert not ReceivedFile.objects.exists()

    client.force_login(city_user)
    progress = client.get(f"/org/410600/api/rectification/items/{item.pk}/").json()["county_progress"]
    [file] = progress["files"]
    assert (file["name"], file["size"], file["content_type"]) == ("整改照片.png", len(photo), "image/png")
    page = client.get(f"/org/410600/rectification/feedback/{item.feedback_id}/").content.decode()
    assert "整改照片.png" in page and file["download"] in page
    download = client.get(file["download"])
    assert download.status_code == 200 and download.content == photo  # the same bytes (内部: not watermarked)
    assert client.get(file["url"]).content == photo  # and through the API
    with schema_context(city.schema_name):
        events = AuditEvent.objects.filter(record_type="attachments.receivedfile", record_key=str(file["id"]))
        assert [json.loads(event.detail) for event in events] == [{"sha256": file["sha256"], "watermarked": False}] * 2

    liaison = make_member(city, "unit_liaison")  # of no unit: may not open the item, nor its files
    client.force_login(liaison)
    assert client.get(file["download"]).status_code == 403
    assert client.get(file["url"]).status_code == 403
