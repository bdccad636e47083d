"""The holiday table's import (issue 15 point 6) on its page, as the office administrator: the template with its
columns and one example row imports back as it is; a date already in the table is changed; a bad row is named in
Chinese and nothing of the file is written; office staff (who may not edit the settings) may not import."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from tenants.office.models import HolidayOverride
from tests.tenants.workflow import XLSX, xlsx_upload

WEB = "/org/410621"
HEADER = ["日期", "类型", "说明"]


def test_the_template_imports_back_and_a_known_date_is_changed(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    assert f'href="{WEB}/office/holidays/import/"' in client.get(f"{WEB}/office/holidays/").content.decode()
    page = client.get(f"{WEB}/office/holidays/import/").content.decode()
    assert f'href="{WEB}/office/holidays/import/template.xlsx"' in page
    response = client.get(f"{WEB}/office/holidays/import/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert [ws.title for ws in workbook.worksheets] == ["节假日", "填写说明"]
    assert [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)] == [
        HEADER,
        ["2026-10-01", "放假", "国庆节"],
    ]
    imported = client.post(
        f"{WEB}/office/holidays/import/", {"file": SimpleUploadedFile("t.xlsx", response.content, content_type=XLSX)}
    )
    assert imported.status_code == 302 and imported["Location"] == f"{WEB}/office/holidays/"
    with schema_context(orgs["county_a"].schema_name):
        day = HolidayOverride.objects.get(date=datetime.date(2026, 10, 1))
        assert (day.is_working_day, day.note) == (False, "国庆节")
    again = client.post(
        f"{WEB}/office/holidays/import/",
        {"file": xlsx_upload([HEADER, ["2026-10-01", "上班", "改为上班"], ["2026-10-11", "上班", "国庆调休"]])},
    )
    assert again.status_code == 302
    assert "导入完成：新增1个，更新1个。" in client.get(again["Location"]).content.decode()
    with schema_context(orgs["county_a"].schema_name):
        assert list(HolidayOverride.objects.values_list("date", "is_working_day", "note")) == [
            (datetime.date(2026, 10, 1), True, "改为上班"),
            (datetime.date(2026, 10, 11), True, "国庆调休"),
        ]


def test_a_bad_row_is_named_and_nothing_is_written(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    page = client.post(
        f"{WEB}/office/holidays/import/",
        {
            "file": xlsx_upload(
                [HEADER, ["2027-01-01", "放假", "元旦"], ["2027/02/30", "放假", ""], ["2027-01-01", "休假", ""]]
            )
        },
    )
    text = page.content.decode()
    assert page.status_code == 200 and "未导入任何数据" in text
    assert "第3行：日期: 日期的格式应为 2026-10-01" in text
    assert "第4行：日期: 该日期已在第2行出现" in text
    assert "第2行：" not in text
    with schema_context(orgs["county_a"].schema_name):
        assert not HolidayOverride.objects.filter(date__year=2027).exists()


def test_office_staff_may_not_import_the_holiday_table(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    assert client.get(f"{WEB}/office/holidays/import/").status_code == 403
    refused = client.post(f"{WEB}/office/holidays/import/", {"file": xlsx_upload([HEADER, ["2028-01-01", "放假", ""]])})
    assert refused.status_code == 403
    with schema_context(orgs["county_a"].schema_name):
        assert not HolidayOverride.objects.filter(date__year=2028).exists()


def test_the_system_administrator_imports_the_holiday_table_as_they_keep_it_by_hand(client, orgs, make_member):
    """三员分立: the holiday table is configuration, which the system administrator keeps (on the holidays page
    already); the import and its template are open to them too, and still not to the security administrator."""
    client.force_login(make_member(orgs["county_a"], "system_admin", clearance=0))
    assert client.get(f"{WEB}/office/holidays/").status_code == 200
    assert client.get(f"{WEB}/office/holidays/import/template.xlsx").status_code == 200
    imported = client.post(
        f"{WEB}/office/holidays/import/", {"file": xlsx_upload([HEADER, ["2029-05-01", "放假", ""]])}
    )
    assert imported.status_code == 302
    with schema_context(orgs["county_a"].schema_name):
        assert HolidayOverride.objects.filter(date=datetime.date(2029, 5, 1), is_working_day=False).exists()
    client.force_login(make_member(orgs["county_a"], "security_admin", clearance=0))
    assert client.get(f"{WEB}/office/holidays/import/").status_code == 403
