"""Issue 12 point 1: a unified campaign's attachments for the counties. The city office attaches files when it
launches the campaign and adds or removes them while it runs, on the page and the API; files are told apart by
their content (an executable renamed .pdf is refused next to the field and nothing is written); whoever may open
the campaign's page downloads the same bytes (audited); the city's other roles are refused the changes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django_tenants.utils import schema_context

from sync.models import OutboxMessage
from sync.replicas import replicas_of
from sync.testing import messages_deliver
from tenants.attachments.models import Attachment, ReceivedFile
from tenants.audit.models import AuditEvent
from tenants.crossorg.campaigns import campaign_close
from tenants.crossorg.models import Campaign
from tests.tenants.attachments.test_evidence_files import ELF, pdf_bytes, png_bytes, upload

from .conftest import TODAY

CITY = "/org/410600"
NEW = f"{CITY}/crossorg/campaigns/new/"
TITLE = "2026年农村集体“三资”管理专项联动巡察"


def _form(**changes) -> dict:
    data = {
        "title": TITLE,
        "topic": "农村集体三资",
        "start_date": TODAY().isoformat(),
        "end_date": (TODAY() + timedelta(days=60)).isoformat(),
        "county_codes": ["410621", "410622"],
        "summary": "各县区对照工作方案开展专项巡察。",
    }
    data.update(changes)
    return data


def _campaign(orgs) -> Campaign:
    with schema_context(orgs["city"].schema_name):
        return Campaign.objects.get(title=TITLE)


def _files(orgs, campaign) -> list[tuple[str, int]]:
    with schema_context(orgs["city"].schema_name):
        rows = Attachment.objects.filter(record_type="crossorg.campaign", record_key=str(campaign.pk))
        return sorted(rows.values_list("name", "size"))


@pytest.fixture
def launched(orgs, client, city_admin):
    """The city office launched the campaign on its page with the work plan (PDF) and a chart (PNG)."""
    client.force_login(city_admin)
    files = [upload("工作方案.pdf", pdf_bytes(3)), upload("进度安排.png", png_bytes())]
    assert client.post(NEW, {**_form(), "files": files}).status_code == 302
    return _campaign(orgs)


def test_the_city_launches_a_campaign_with_its_attachments_on_the_page_and_downloads_them(
    orgs, launched, client, city_admin
):
    assert _files(orgs, launched) == sorted([("工作方案.pdf", len(pdf_bytes(3))), ("进度安排.png", len(png_bytes()))])
    page = client.get(f"{CITY}/crossorg/campaigns/{launched.pk}/").content.decode()
    listed = page.split('data-testid="campaign-files"', 1)[1].split("</ul>", 1)[0]
    assert "工作方案.pdf" in listed and "进度安排.png" in listed
    with schema_context(orgs["city"].schema_name):
        plan = Attachment.objects.get(record_key=str(launched.pk), name="工作方案.pdf")
    download = client.get(f"{CITY}/attachments/{plan.pk}/")
    assert download.status_code == 200 and download.content == pdf_bytes(3)  # 内部: as uploaded
    with schema_context(orgs["city"].schema_name):
        event = AuditEvent.objects.get(action="export", record_type="attachments.attachment")
        assert json.loads(event.detail)["sha256"] == plan.sha256 and event.user_id == city_admin.pk
    edit = client.get(f"{CITY}/crossorg/campaigns/{launched.pk}/edit/").content.decode()
    assert 'enctype="multipart/form-data"' in edit and "工作方案.pdf" in edit  # the files already sent


def test_a_renamed_executable_is_refused_next_to_the_field_and_no_campaign_is_made(orgs, client, city_admin):
    client.force_login(city_admin)
    response = client.post(NEW, {**_form(), "files": [upload("方案.pdf", pdf_bytes()), upload("附件.pdf", ELF)]})
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        "“附件.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。"
    ]
    with schema_context(orgs["city"].schema_name):
        assert not Campaign.objects.filter(title=TITLE).exists()
        assert not Attachment.objects.filter(record_type="crossorg.campaign").exists()


def test_while_it_runs_the_city_adds_a_file_on_the_edit_page_and_removes_one_on_the_campaign_page(
    orgs, launched, client
):
    edit = f"{CITY}/crossorg/campaigns/{launched.pk}/edit/"
    assert client.post(edit, {**_form(), "files": [upload("补充通知.pdf", pdf_bytes(1))]}).status_code == 302
    assert [name for name, _size in _files(orgs, launched)] == ["工作方案.pdf", "补充通知.pdf", "进度安排.png"]
    with schema_context(orgs["city"].schema_name):
        chart = Attachment.objects.get(record_key=str(launched.pk), name="进度安排.png")
    page = client.get(f"{CITY}/crossorg/campaigns/{launched.pk}/").content.decode()
    assert f'data-testid="remove-file-{chart.pk}"' in page
    removed = client.post(f"{CITY}/crossorg/campaigns/{launched.pk}/files/{chart.pk}/remove/", follow=True)
    assert "附件已删除，各县区不再收到该附件。" in removed.content.decode()
    assert [name for name, _size in _files(orgs, launched)] == ["工作方案.pdf", "补充通知.pdf"]
    # a bad file on the edit page changes nothing, not even the title
    refused = client.post(edit, {**_form(title="改名"), "files": [upload("x.pdf", ELF)]})
    assert refused.status_code == 200 and refused.context["form"].errors["files"]
    assert _campaign(orgs).title == TITLE and len(_files(orgs, launched)) == 2


def test_the_api_launches_with_files_lists_adds_and_removes_them(orgs, client, city_admin):
    client.force_login(city_admin)
    created = client.post(
        f"{CITY}/api/crossorg/campaigns/", {**_form(), "files": [upload("工作方案.pdf", pdf_bytes(2))]}
    )
    assert created.status_code == 201
    url = f"{CITY}/api/crossorg/campaigns/{created.json()['id']}/"
    [plan] = client.get(url).json()["files"]
    assert (plan["name"], plan["content_type"], plan["size"]) == ("工作方案.pdf", "application/pdf", len(pdf_bytes(2)))
    assert client.get(plan["url"]).content == pdf_bytes(2)
    changed = client.put(
        url,
        encode_multipart(BOUNDARY, {**_form(), "files": [upload("名单.png", png_bytes())]}),
        content_type=MULTIPART_CONTENT,
    )
    assert changed.status_code == 200
    assert sorted(f["name"] for f in client.get(url).json()["files"]) == ["名单.png", "工作方案.pdf"]
    bad = client.post(f"{CITY}/api/crossorg/campaigns/", {**_form(title="另一个"), "files": [upload("a.pdf", ELF)]})
    assert bad.status_code == 400 and bad.json() == {
        "files": ["“a.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。"]
    }
    assert client.delete(f"{url}files/{plan['id']}/").status_code == 204
    assert [f["name"] for f in client.get(url).json()["files"]] == ["名单.png"]
    gone = client.delete(f"{url}files/{plan['id']}/")
    assert gone.status_code == 400 and gone.json() == {"files": ["该附件不属于本次统一部署。"]}


def test_a_closed_campaigns_files_stay_and_cannot_be_changed(orgs, launched, client, city_admin):
    with schema_context(orgs["city"].schema_name):
        campaign_close(campaign=launched, actor=city_admin)
        plan = Attachment.objects.get(record_key=str(launched.pk), name="工作方案.pdf")
    page = client.get(f"{CITY}/crossorg/campaigns/{launched.pk}/").content.decode()
    assert "工作方案.pdf" in page and "remove-file-" not in page
    refused = client.delete(f"{CITY}/api/crossorg/campaigns/{launched.pk}/files/{plan.pk}/")
    assert refused.status_code == 400 and refused.json() == {"files": ["统一部署已结束，附件不能再更改。"]}
    assert len(_files(orgs, launched)) == 2


def test_the_citys_other_roles_may_not_change_the_files_and_a_team_member_may_not_download_them(
    orgs, launched, client, city_leading, make_member
):
    with schema_context(orgs["city"].schema_name):
        plan = Attachment.objects.get(record_key=str(launched.pk), name="工作方案.pdf")
    client.force_login(city_leading)  # reads the campaign and its files, changes nothing
    page = client.get(f"{CITY}/crossorg/campaigns/{launched.pk}/").content.decode()
    assert "工作方案.pdf" in page and "remove-file-" not in page
    assert client.get(f"{CITY}/attachments/{plan.pk}/").content == pdf_bytes(3)
    assert client.post(f"{CITY}/crossorg/campaigns/{launched.pk}/files/{plan.pk}/remove/").status_code == 403
    assert client.delete(f"{CITY}/api/crossorg/campaigns/{launched.pk}/files/{plan.pk}/").status_code == 403
    edit = f"{CITY}/crossorg/campaigns/{launched.pk}/edit/"
    assert client.post(edit, {**_form(), "files": [upload("x.pdf", pdf_bytes(1))]}).status_code == 403
    member = make_member(orgs["city"], "team_member", clearance=3)
    client.force_login(member)
    assert client.get(f"{CITY}/attachments/{plan.pk}/").status_code == 403
    assert client.get(f"{CITY}/api/attachments/{plan.pk}/").status_code == 403
    assert len(_files(orgs, launched)) == 2


# --- the files go with the campaign to the counties taking part (docs/SYNC.md "Files with their record") ---------

CAMPAIGN_TYPES = ("planning.campaign", "attachments.file", "attachments.chunk")


def _deliver(orgs):
    """The relay and the consumers, minus the transport: the campaign first, then its files and their pieces."""
    outcomes = []
    for record_type in CAMPAIGN_TYPES:
        verdicts = messages_deliver(source=orgs["city"], receivers=orgs, record_type=record_type)
        outcomes += [verdict.outcome for verdict in verdicts]
    return outcomes


def _arrived(orgs, county):
    with schema_context(orgs[county].schema_name):
        [replica] = replicas_of(record_type="planning.campaign")
        return replica


def test_the_files_reach_each_county_taking_part_and_nobody_else(orgs, launched, client, make_member):
    assert set(_deliver(orgs)) == {"applied"}
    with schema_context(orgs["city"].schema_name):
        destinations = set(
            OutboxMessage.objects.filter(record_type="attachments.file").values_list("destination", flat=True)
        )
    assert destinations == {"410621", "410622"}  # the two counties taking part; 鹤山区 (410611) is not one

    replica = _arrived(orgs, "county_a")
    office = make_member(orgs["county_a"], "office_staff")
    client.force_login(office)
    page = client.get(f"/org/410621/crossorg/campaigns/received/{replica.pk}/").content.decode()
    listed = page.split('data-testid="campaign-received-files"', 1)[1].split("</ul>", 1)[0]
    assert "工作方案.pdf" in listed and "进度安排.png" in listed
    answer = client.get(f"/org/410621/api/crossorg/campaigns/received/{replica.pk}/").json()
    assert sorted(f["name"] for f in answer["files"]) == ["工作方案.pdf", "进度安排.png"]
    with schema_context(orgs["county_a"].schema_name):
        plan = ReceivedFile.objects.get(name="工作方案.pdf")
    download = client.get(f"/org/410621/attachments/received/{plan.pk}/")
    assert download.status_code == 200 and download.content == pdf_bytes(3)  # the bytes the city attached

    with schema_context(orgs["county_b"].schema_name):
        assert ReceivedFile.objects.count() == 2  # 淇县 takes part too
    with schema_context(orgs["county_c"].schema_name):
        assert ReceivedFile.objects.count() == 0 and replicas_of(record_type="planning.campaign") == []
    outsider = make_member(orgs["county_c"], "office_staff")
    client.force_login(outsider)
    assert client.get(f"/org/410621/attachments/received/{plan.pk}/").status_code in (403, 404)


def test_a_file_the_city_removes_is_withdrawn_from_the_counties(orgs, launched, client, city_admin, make_member):
    _deliver(orgs)
    with schema_context(orgs["city"].schema_name):
        chart = Attachment.objects.get(record_key=str(launched.pk), name="进度安排.png")
    client.force_login(city_admin)
    assert client.post(f"{CITY}/crossorg/campaigns/{launched.pk}/files/{chart.pk}/remove/").status_code == 302
    _deliver(orgs)
    with schema_context(orgs["county_a"].schema_name):
        assert list(ReceivedFile.objects.values_list("name", flat=True)) == ["工作方案.pdf"]
    replica = _arrived(orgs, "county_a")
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    page = client.get(f"/org/410621/crossorg/campaigns/received/{replica.pk}/").content.decode()
    assert "工作方案.pdf" in page and "进度安排.png" not in page


def test_a_county_taken_off_the_campaign_loses_its_files(orgs, launched, city_admin):
    from tenants.crossorg.setup import campaign_update

    _deliver(orgs)
    with schema_context(orgs["county_b"].schema_name):
        assert ReceivedFile.objects.count() == 2  # 淇县 holds both files while it takes part
    with schema_context(orgs["city"].schema_name):
        campaign = Campaign.objects.get(pk=launched.pk)
        campaign_update(
            campaign=campaign,
            title=campaign.title,
            topic=campaign.topic,
            summary=campaign.summary,
            start_date=campaign.start_date,
            end_date=campaign.end_date,
            county_codes=["410621"],
            actor=city_admin,
        )
    _deliver(orgs)
    with schema_context(orgs["county_b"].schema_name):
        assert ReceivedFile.objects.count() == 0  # taken off: the files went with the campaign
    with schema_context(orgs["county_a"].schema_name):
        assert ReceivedFile.objects.count() == 2  # 浚县 still takes part
