"""The guidance API (issue 15, point 4): the same reading and issuing as the guidance pages, for the same people.
The city's office issues a document with a file, revises it with another, removes a file (a removed one is refused
in Chinese), and a bad file or a 密级 above the author's clearance is refused by field with nothing written. A
county lists what it received with the files that arrived whole; a unit's liaison is refused the list (the office's
answer is the positive control), a county issues nothing and a team member reads but does not issue."""

from __future__ import annotations

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django_tenants.utils import schema_context

from tenants.attachments.models import Attachment
from tenants.guidance.models import GuidanceDocument
from tests.tenants.attachments.test_evidence_files import ELF, pdf_bytes, png_bytes, upload
from tests.tenants.guidance.helpers import (
    CITY,
    COUNTY,
    DOCUMENT,
    guidance_deliver_pieces,
    guidance_deliver_without_pieces,
)

DOCUMENTS = f"{CITY}/api/guidance/documents/"


def test_the_city_office_issues_revises_and_removes_a_file_through_the_api(client, orgs, make_member):
    client.force_login(make_member(orgs["city"], "office_admin", 2))
    created = client.post(DOCUMENTS, {**DOCUMENT, "files": [upload("通知.pdf", pdf_bytes())]})
    assert created.status_code == 201
    body = created.json()
    assert (body["title"], body["doc_type"], body["issued_on"], body["classification"]) == (
        "关于做好本轮巡察整改督促工作的通知",
        "notice",
        "2026-03-01",
        1,
    )
    [notice] = body["files"]
    assert (notice["name"], notice["content_type"]) == ("通知.pdf", "application/pdf")
    assert client.get(notice["url"]).content == pdf_bytes()

    listed = client.get(DOCUMENTS).json()
    assert listed["count"] == 1 and [row["title"] for row in listed["results"]] == [DOCUMENT["title"]]

    url = f"{DOCUMENTS}{body['id']}/"
    revised = client.put(
        url,
        encode_multipart(
            BOUNDARY,
            {**DOCUMENT, "title": "关于做好整改督促工作的通知（修订）", "files": [upload("附表.png", png_bytes())]},
        ),
        content_type=MULTIPART_CONTENT,
    )
    assert revised.status_code == 200
    assert revised.json()["title"] == "关于做好整改督促工作的通知（修订）"
    assert [f["name"] for f in client.get(url).json()["files"]] == ["通知.pdf", "附表.png"]

    assert client.delete(f"{url}files/{notice['id']}/").status_code == 204
    assert [f["name"] for f in client.get(url).json()["files"]] == ["附表.png"]
    again = client.delete(f"{url}files/{notice['id']}/")
    assert again.status_code == 400 and again.json() == {"files": ["该文件不属于本指导文件。"]}


def test_a_bad_file_or_a_level_above_the_authors_clearance_is_refused_by_field_and_nothing_is_written(
    client, orgs, make_member
):
    client.force_login(make_member(orgs["city"], "office_staff"))
    bad = client.post(DOCUMENTS, {**DOCUMENT, "files": [upload("通知.pdf", ELF)]})
    assert bad.status_code == 400 and bad.json() == {
        "files": ["“通知.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。"]
    }
    high = client.post(DOCUMENTS, {**DOCUMENT, "classification": "3"})
    assert high.status_code == 400 and high.json() == {"classification": ["不能将文件的密级定得高于本人的密级权限。"]}
    unknown = client.post(DOCUMENTS, {**DOCUMENT, "doc_type": "memo"})
    assert unknown.status_code == 400 and list(unknown.json()) == ["doc_type"]
    with schema_context(orgs["city"].schema_name):
        assert not GuidanceDocument.objects.exists() and not Attachment.objects.exists()
    assert client.post(DOCUMENTS, DOCUMENT).status_code == 201  # positive control: the same author, good values


def test_wrong_roles_and_organisations_are_refused(client, orgs, make_member):
    city, county = orgs["city"], orgs["county_a"]
    client.force_login(make_member(city, "office_admin"))
    assert client.get(DOCUMENTS).status_code == 200  # positive control
    assert client.get(f"{CITY}/api/guidance/received/").status_code == 200

    client.force_login(make_member(city, "unit_liaison"))
    refused = client.get(f"{CITY}/api/guidance/received/")
    assert refused.status_code == 403 and refused.json() == {"detail": "您在本单位的角色不允许此操作。"}
    assert client.get(DOCUMENTS).status_code == 403
    assert client.post(DOCUMENTS, DOCUMENT).status_code == 403

    client.force_login(make_member(city, "team_member"))  # reads what came from above, issues nothing
    assert client.get(f"{CITY}/api/guidance/received/").status_code == 200
    assert client.post(DOCUMENTS, DOCUMENT).status_code == 403

    client.force_login(make_member(county, "office_admin"))  # a county has no office below it
    assert client.get(f"{COUNTY}/api/guidance/received/").status_code == 200
    assert client.get(f"{COUNTY}/api/guidance/documents/").status_code == 404
    assert client.post(f"{COUNTY}/api/guidance/documents/", DOCUMENT).status_code == 404
    with schema_context(city.schema_name):
        assert not GuidanceDocument.objects.exists()


def test_a_county_lists_what_it_received_with_the_files_that_arrived_whole(client, orgs, make_member):
    city, county = orgs["city"], orgs["county_a"]
    client.force_login(make_member(city, "office_admin"))
    content = png_bytes((30, 90, 160))
    assert client.post(DOCUMENTS, {**DOCUMENT, "files": [upload("督促要点.png", content)]}).status_code == 201
    guidance_deliver_without_pieces(city=city, county=county)  # the document and the manifest, no piece yet

    client.force_login(make_member(county, "office_staff"))
    [received] = client.get(f"{COUNTY}/api/guidance/received/").json()["results"]
    assert (received["source"], received["title"], received["summary"], received["issued_on"]) == (
        "410600",
        "关于做好本轮巡察整改督促工作的通知",
        "请各县区按要求督促整改。",
        "2026-03-01",
    )
    assert received["files"] == []  # not whole yet: not listed

    guidance_deliver_pieces(city=city, county=county)
    [received] = client.get(f"{COUNTY}/api/guidance/received/").json()["results"]
    [arrived] = received["files"]
    assert arrived["name"] == "督促要点.png" and client.get(arrived["url"]).content == content

    client.force_login(make_member(county, "unit_liaison"))
    assert client.get(f"{COUNTY}/api/guidance/received/").status_code == 403


def test_a_cross_county_member_let_in_by_a_grant_reads_no_guidance_of_the_granting_office(client, orgs, make_member):
    """Found walking the demo: 浚县's team leader of the city's cross-county round opened the city's 指导与通知 page
    and API (what the city received from the province), though a grant reaches its round's targets and nothing
    else. The city's own team member, a member of the city, is the positive control."""
    from datetime import timedelta

    from django.utils import timezone

    from shared.grants.services import grant_create

    city, county = orgs["city"], orgs["county_a"]
    granted = make_member(county, "office_staff")
    grant_create(
        organization=city,
        person=granted,
        home_organization=county,
        round_key="5",
        target_keys=["11"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=10),
        actor=make_member(city, "office_admin"),
        role="team_leader",
    )
    client.force_login(make_member(city, "team_leader"))
    assert client.get(f"{CITY}/guidance/").status_code == 200
    assert client.get(f"{CITY}/api/guidance/received/").status_code == 200
    assert "/guidance/" in client.get(f"{CITY}/").content.decode()

    client.force_login(granted)
    home = client.get(f"{CITY}/")
    assert home.status_code == 200 and "/rounds/" in home.content.decode()  # the grant lets them in ...
    assert f"{CITY}/guidance/" not in home.content.decode()  # ... with no way to the guidance
    assert client.get(f"{CITY}/guidance/").status_code == 403
    assert client.get(f"{CITY}/api/guidance/received/").status_code == 403
