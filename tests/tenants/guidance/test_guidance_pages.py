"""The guidance pages (issue 15, point 4): the city's office lists, issues and revises its guidance documents
with their files (a bad file refused next to the field, nothing issued), removes a file; a county's office lists
what it received and downloads the files, each shown only once it arrived whole. Wrong roles are refused: a unit's
liaison reads no guidance page, a team member issues nothing, a county's office issues nothing."""

from __future__ import annotations

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


def _files(document) -> list[Attachment]:
    return list(Attachment.objects.filter(record_type="guidance.guidancedocument", record_key=str(document.pk)))


def test_the_city_office_issues_revises_and_removes_files_on_its_pages(client, orgs, make_member):
    city = orgs["city"]
    client.force_login(make_member(city, "office_admin", 2))
    assert client.get(f"{CITY}/guidance/new/").status_code == 200
    response = client.post(f"{CITY}/guidance/new/", {**DOCUMENT, "files": [upload("通知.pdf", pdf_bytes())]})
    assert response.status_code == 302
    with schema_context(city.schema_name):
        document = GuidanceDocument.objects.get(title=DOCUMENT["title"])
        [notice] = _files(document)
    assert (notice.name, notice.classification) == ("通知.pdf", 1)
    index = client.get(f"{CITY}/guidance/").content.decode()
    assert DOCUMENT["title"] in index and "通知.pdf" in index and f"/guidance/{document.pk}/" in index
    assert '<span lang="zxx">' in index.split("通知.pdf", 1)[1]  # its size (… KB) is marked as no language

    edit = client.get(f"{CITY}/guidance/{document.pk}/").content.decode()
    assert DOCUMENT["title"] in edit and "通知.pdf" in edit and 'name="title"' in edit
    revised = client.post(
        f"{CITY}/guidance/{document.pk}/",
        {**DOCUMENT, "title": "关于做好整改督促工作的通知（修订）", "files": [upload("附表.png", png_bytes())]},
    )
    assert revised.status_code == 302
    with schema_context(city.schema_name):
        document.refresh_from_db()
        assert document.title == "关于做好整改督促工作的通知（修订）"
        assert [f.name for f in _files(document)] == ["通知.pdf", "附表.png"]

    removed = client.post(f"{CITY}/guidance/{document.pk}/files/{notice.pk}/remove/", follow=True)
    assert "附件已移除，各下级巡察办不再收到该附件。" in removed.content.decode()
    with schema_context(city.schema_name):
        assert [f.name for f in _files(document)] == ["附表.png"]
    again = client.post(f"{CITY}/guidance/{document.pk}/files/{notice.pk}/remove/", follow=True)
    assert "该文件不属于本指导文件。" in again.content.decode()


def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_issued(client, orgs, make_member):
    city = orgs["city"]
    client.force_login(make_member(city, "office_staff"))
    response = client.post(f"{CITY}/guidance/new/", {**DOCUMENT, "files": [upload("通知.pdf", ELF)]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "“通知.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。" in text
    assert 'data-testid="guidance-form"' in text and DOCUMENT["summary"] in text  # the form again, as typed
    high = client.post(f"{CITY}/guidance/new/", {**DOCUMENT, "classification": "3"})  # above the author's clearance
    assert high.status_code == 200 and "classification" in high.context["form"].errors
    with schema_context(city.schema_name):
        assert not GuidanceDocument.objects.exists() and not Attachment.objects.exists()


def test_wrong_roles_are_refused(client, orgs, make_member):
    city, county = orgs["city"], orgs["county_a"]
    client.force_login(make_member(city, "office_admin"))
    assert client.get(f"{CITY}/guidance/").status_code == 200  # positive control
    client.force_login(make_member(city, "unit_liaison"))
    assert client.get(f"{CITY}/guidance/").status_code == 403
    assert client.post(f"{CITY}/guidance/new/", DOCUMENT).status_code == 403
    member = make_member(city, "team_member")
    client.force_login(member)
    page = client.get(f"{CITY}/guidance/").content.decode()
    assert "从上级收到" in page and 'data-testid="guidance-issued"' not in page  # reads, does not issue
    assert client.get(f"{CITY}/guidance/new/").status_code == 403
    client.force_login(make_member(county, "office_admin"))  # a county has no office below it
    assert client.get(f"{COUNTY}/guidance/").status_code == 200
    assert client.get(f"{COUNTY}/guidance/new/").status_code == 403
    with schema_context(city.schema_name):
        assert not GuidanceDocument.objects.exists()


def test_a_county_lists_what_it_received_and_downloads_a_file_once_it_arrived_whole(client, orgs, make_member):
    city, county = orgs["city"], orgs["county_a"]
    client.force_login(make_member(city, "office_admin"))
    content = png_bytes((30, 90, 160))
    client.post(f"{CITY}/guidance/new/", {**DOCUMENT, "files": [upload("督促要点.png", content)]})

    guidance_deliver_without_pieces(city=city, county=county)  # the document and the manifest, no piece yet
    office = make_member(county, "office_staff")
    client.force_login(office)
    page = client.get(f"{COUNTY}/guidance/").content.decode()
    assert DOCUMENT["title"] in page and DOCUMENT["summary"] in page and "通知" in page
    assert "督促要点.png" not in page and "/attachments/received/" not in page  # not whole: not shown

    guidance_deliver_pieces(city=city, county=county)
    page = client.get(f"{COUNTY}/guidance/").content.decode()
    assert "督促要点.png" in page
    start = page.index(f"{COUNTY}/attachments/received/")
    url = page[start : page.index('"', start)]
    download = client.get(url)
    assert download.status_code == 200 and download.content == content  # the same bytes

    client.force_login(make_member(county, "unit_liaison"))
    assert client.get(f"{COUNTY}/guidance/").status_code == 403
    # ... nor the file by its link (the office's download above is the positive control): who may not read the
    # guidance pages may not read what came with them either
    assert client.get(url).status_code in (403, 404)


def test_a_liaison_opens_no_guidance_file_of_its_own_office_by_its_link(client, orgs, make_member):
    city = orgs["city"]
    client.force_login(make_member(city, "office_admin"))
    content = png_bytes((160, 30, 90))
    client.post(f"{CITY}/guidance/new/", {**DOCUMENT, "files": [upload("要点.png", content)]})
    with schema_context(city.schema_name):
        (notice,) = _files(GuidanceDocument.objects.get(title=DOCUMENT["title"]))
    page = client.get(f"{CITY}/guidance/").content.decode()
    start = page.index(f"{CITY}/attachments/")
    url = page[start : page.index('"', start)]
    assert client.get(url).status_code == 200  # the office: positive control
    client.force_login(make_member(city, "unit_liaison"))
    assert client.get(url).status_code in (403, 404)
