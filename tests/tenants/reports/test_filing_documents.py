"""A filing's documents (issue 15 point 4): the city's office files a plan with its signed scan on the page, the
province receives the document with the filing over the bus (in process: signed, policy on both ends, inbox) and
its readers open it on the inbox page and the API, the same bytes, audited; a renamed executable is refused in
Chinese and nothing is filed; the leading group (who reads filings) may not file, and a province member who is no
reader of filings may not open the document."""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

from tenants.attachments.models import ReceivedFile
from tenants.audit.models import AuditEvent
from tenants.reports.models import Filing
from tests.tenants.attachments.test_evidence_files import ELF, pdf_bytes, upload

from .helpers import approved_annual_plan, deliver_all

CITY, PROVINCE = "/org/410600", "/org/410000"


def _plan(orgs, user, year):
    with schema_context(orgs["city"].schema_name):
        return approved_annual_plan(user, year=year)


def test_a_filing_s_document_reaches_the_province_with_it(client, orgs, make_member):
    office = make_member(orgs["city"], "office_admin")
    plan = _plan(orgs, office, 2035)
    scan = pdf_bytes(2)
    client.force_login(office)
    bad = client.post(
        f"{CITY}/reports/filings/new/",
        {"subject": f"annual_plan:{plan.pk}", "period": "", "note": "", "files": [upload("计划签发件.pdf", ELF)]},
    )
    assert bad.status_code == 200
    assert "“计划签发件.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。" in bad.content.decode()
    with schema_context(orgs["city"].schema_name):
        assert not Filing.objects.filter(subject=f"annual_plan:{plan.pk}").exists()  # nothing filed

    done = client.post(
        f"{CITY}/reports/filings/new/",
        {
            "subject": f"annual_plan:{plan.pk}",
            "period": "",
            "note": "附签发件",
            "files": [upload("计划签发件.pdf", scan)],
        },
    )
    assert done.status_code == 302
    detail = client.get(done["Location"]).content.decode()
    assert "计划签发件.pdf" in detail
    with schema_context(orgs["city"].schema_name):
        filing = Filing.objects.get(subject=f"annual_plan:{plan.pk}")
    api = client.get(f"{CITY}/api/reports/filings/{filing.pk}/").json()
    assert [a["name"] for a in api["attachments"]] == ["计划签发件.pdf"]

    assert deliver_all(orgs["city"], orgs["province"], record_type="reports.filing") == ["applied"]
    assert deliver_all(orgs["city"], orgs["province"], record_type="attachments.file") == ["applied"]
    assert set(deliver_all(orgs["city"], orgs["province"], record_type="attachments.chunk")) == {"applied"}

    reader = make_member(orgs["province"], "province_viewer")
    client.force_login(reader)
    page = client.get(f"{PROVINCE}/reports/inbox/410600/{filing.key}/").content.decode()
    assert "计划签发件.pdf" in page
    answer = client.get(f"{PROVINCE}/api/reports/inbox/410600/{filing.key}/").json()
    [document] = answer["files"]
    assert (document["name"], document["size"]) == ("计划签发件.pdf", len(scan))
    assert client.get(document["url"]).content == scan
    with schema_context(orgs["province"].schema_name):
        received = ReceivedFile.objects.get(source="410600")
        assert f'href="{PROVINCE}/attachments/received/{received.pk}/"' in page
        assert client.get(f"{PROVINCE}/attachments/received/{received.pk}/").content == scan
        events = AuditEvent.objects.filter(record_type="attachments.receivedfile", record_key=str(received.pk))
        assert [json.loads(e.detail)["sha256"] for e in events] == [received.sha256] * 2

    outsider = make_member(orgs["province"], "team_member")  # a member of the province, no reader of filings
    client.force_login(outsider)
    assert client.get(document["url"]).status_code == 403


def test_the_leading_group_reads_filings_but_may_not_file_one(client, orgs, make_member):
    office = make_member(orgs["city"], "office_admin")
    plan = _plan(orgs, office, 2036)
    client.force_login(make_member(orgs["city"], "leading_group"))
    assert client.get(f"{CITY}/reports/filings/").status_code == 200  # positive control: they read the list
    refused = client.post(
        f"{CITY}/reports/filings/new/",
        {"subject": f"annual_plan:{plan.pk}", "note": "", "files": [upload("计划.pdf", pdf_bytes(1))]},
    )
    assert refused.status_code == 403
    with schema_context(orgs["city"].schema_name):
        assert not Filing.objects.filter(subject=f"annual_plan:{plan.pk}").exists()
