"""A filing downloaded by the city carries its 密级 on the Word document when it is classified (a 秘密
hearing record) and none when it is not (an internal one), in the official layout."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django_tenants.utils import schema_context
from docx import Document

from shared.accounts.models import Classification
from tenants.reports.services import filing_submit, hearing_record_create

from .helpers import round_with_targets


@pytest.fixture
def city_admin(orgs, make_member):
    return make_member(orgs["city"], "office_admin", clearance=Classification.SECRET)


def _filed_hearing(orgs, user, classification):
    with schema_context(orgs["city"].schema_name):
        round, _targets = round_with_targets(user)
        record = hearing_record_create(
            round_id=round.pk,
            heard_on=datetime.date(2026, 5, 20),
            chaired_by="张书记",
            attendees="领导小组成员",
            decisions="同意巡察报告",
            actor=user,
            classification=classification,
        )
        return filing_submit(kind="hearing_record", actor=user, organization=orgs["city"], subject_id=record.pk)


def test_a_secret_filing_is_marked_and_an_internal_one_is_not(client, orgs, city_admin):
    secret = _filed_hearing(orgs, city_admin, Classification.SECRET)
    internal = _filed_hearing(orgs, city_admin, Classification.INTERNAL)
    client.force_login(city_admin)
    paragraphs = {}
    for name, filing in (("secret", secret), ("internal", internal)):
        response = client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/export.docx")
        assert response.status_code == 200
        paragraphs[name] = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert paragraphs["secret"][0] == "秘密" and paragraphs["secret"][1] == secret.title
    assert paragraphs["internal"][0] == internal.title and "秘密" not in paragraphs["internal"]


def test_a_filings_documents_write_their_dates_in_chinese_whatever_the_readers_language(client, orgs, city_admin):
    """The filed forms are Chinese, the same at the city and the province: 听取汇报时间 2026年5月20日 and 报送时间
    in zh-hans's SHORT_DATETIME_FORMAT, in Word and Excel (the body keeps its ISO dates)."""
    from django.utils import translation
    from openpyxl import load_workbook

    from tenants.reports.exports import filing_layout

    filing = _filed_hearing(orgs, city_admin, Classification.INTERNAL)
    assert filing.content["heard_on"] == "2026-05-20"  # the machine format travels
    client.force_login(city_admin)
    word = Document(io.BytesIO(client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/export.docx").content))
    fields = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows[1:]}
    assert fields["听取汇报时间"] == "2026年5月20日"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", fields["报送时间"]), fields["报送时间"]
    sheet = load_workbook(
        io.BytesIO(client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/export.xlsx").content)
    ).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert cells["听取汇报时间"] == "2026年5月20日" and cells["报送时间"] == fields["报送时间"]
    with translation.override("en"):
        layout = filing_layout(
            body={
                "kind": "annual_plan",
                "revision": 1,
                "filed_at": "2026-05-04T23:30:00+00:00",
                "content": {
                    "approvals": [{"decision": "approved", "note": "", "decided_at": "2026-03-01T17:00:00+00:00"}],
                    "rounds": [{"name": "第一轮", "kind": "regular", "onsite_start": "2026-04-01", "onsite_end": None}],
                },
            },
            source_name="鹤壁市",
            status="sent",
        )
    assert dict(layout.fields)["报送时间"] == "2026年5月5日 07:30"
    approvals, rounds = layout.tables
    assert approvals.rows[0][0] == "2026年3月2日"  # decided 01:00 on 2 March, the office's time
    assert rounds.rows == [["第一轮", "常规巡察", "2026年4月1日", "—"]]
