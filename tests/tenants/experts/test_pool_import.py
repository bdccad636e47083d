"""The pool's import (巡察人才库, issue 15 point 6) on its page, as the county office: the template offered with its
columns and one example row, imported back as it is; a re-import updates the same person; a bad row is named in
Chinese and nothing of the file is written; a team member may not import."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from tenants.experts.models import Expert
from tests.tenants.workflow import XLSX, xlsx_upload

WEB = "/org/410621"
HEADER = ["姓名", "现任单位", "现任职务", "籍贯地区代码", "专长", "备注"]
EXAMPLE = ["示例：王某某", "某某县审计局", "副局长", "410621", "审计", None]


def _sheets(content: bytes):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def test_the_template_imports_back_and_a_reimport_updates_the_person(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    listing = client.get(f"{WEB}/experts/").content.decode()
    assert f'href="{WEB}/experts/import/"' in listing
    page = client.get(f"{WEB}/experts/import/").content.decode()
    assert f'href="{WEB}/experts/import/template.xlsx"' in page and "下载导入模板" in page
    response = client.get(f"{WEB}/experts/import/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheets = _sheets(response.content)
    assert list(sheets) == ["巡察人才库", "填写说明"]
    assert sheets["巡察人才库"] == [HEADER, EXAMPLE]
    assert [row[0] for row in sheets["填写说明"][1:7]] == HEADER
    imported = client.post(
        f"{WEB}/experts/import/", {"file": SimpleUploadedFile("模板.xlsx", response.content, content_type=XLSX)}
    )
    assert imported.status_code == 302 and imported["Location"] == f"{WEB}/experts/"
    assert "导入完成：新增1个，更新0个。" in client.get(imported["Location"]).content.decode()
    with schema_context(orgs["county_a"].schema_name):
        person = Expert.objects.get(name="示例：王某某")
        assert (person.unit, person.post, person.home_region_code, person.specialty) == (
            "某某县审计局",
            "副局长",
            "410621",
            "audit",
        )
    again = client.post(
        f"{WEB}/experts/import/",
        {"file": xlsx_upload([HEADER, ["示例：王某某", "某某县审计局", "局长", "410621", "财政", "调任"]])},
    )
    assert again.status_code == 302
    with schema_context(orgs["county_a"].schema_name):
        person = Expert.objects.get(name="示例：王某某")  # the same person, updated
        assert (person.post, person.specialty, person.note) == ("局长", "finance", "调任")


def test_a_bad_row_is_named_and_nothing_of_the_file_is_written(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    with schema_context(orgs["county_a"].schema_name):
        before = Expert.objects.count()
    page = client.post(
        f"{WEB}/experts/import/",
        {
            "file": xlsx_upload(
                [
                    HEADER,
                    ["赵某", "某某镇政府", "镇长", "410621", "审计", ""],
                    ["钱某", "某某局", "科长", "4106", "占卜", ""],
                    ["赵某", "某某镇政府", "", "", "", ""],
                ]
            )
        },
    )
    text = page.content.decode()
    assert page.status_code == 200 and "未导入任何数据" in text
    assert "第3行：专长: 未知的专长“占卜”" in text
    assert "第4行：与第2行是同一人" in text
    assert "第2行：" not in text  # the good row has no error (positive control: the bad rows above are listed)
    with schema_context(orgs["county_a"].schema_name):
        assert Expert.objects.count() == before
        assert not Expert.objects.filter(name="赵某").exists()


def test_a_team_member_may_not_import_the_pool(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "team_member"))
    assert client.get(f"{WEB}/experts/import/").status_code == 403
    assert client.get(f"{WEB}/experts/import/template.xlsx").status_code == 403
    refused = client.post(f"{WEB}/experts/import/", {"file": xlsx_upload([HEADER, ["孙某", "", "", "", "", ""]])})
    assert refused.status_code == 403
    with schema_context(orgs["county_a"].schema_name):
        assert not Expert.objects.filter(name="孙某").exists()
