"""The units import's template (issue 15 point 6): offered on the import page and the API, its columns and one
example row, and the template imported back as it is through the page and the API (round trip)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from tenants.targets.models import Target

pytestmark = pytest.mark.django_db

WEB = "/org/410621"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "单位名称",
    "级别",
    "类别",
    "主管巡察机构代码",
    "所在地区代码",
    "业务标签",
    "领导班子",
    "最近巡察日期",
    "最近巡察轮次",
]
EXAMPLE = [
    "示例：某某局党组",
    "县管",
    "党政机关",
    "410621",
    "410621",
    "财务、工程建设",
    "张三:党组书记*; 李四:副局长",
    "2024-05-31",
    "2024年第一轮巡察",
]


def _sheets(content: bytes):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def test_the_import_page_offers_the_template_and_it_imports_back_as_it_is(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    page = client.get(f"{WEB}/targets/import/").content.decode()
    assert f'href="{WEB}/targets/import/template.xlsx"' in page and "下载导入模板" in page
    response = client.get(f"{WEB}/targets/import/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheets = _sheets(content)
    assert list(sheets) == ["巡察对象", "填写说明"]  # the importer reads the first sheet
    assert sheets["巡察对象"] == [HEADER, EXAMPLE]
    assert [row[0] for row in sheets["填写说明"][1:10]] == HEADER
    upload = SimpleUploadedFile("导入模板.xlsx", content, content_type=XLSX)
    imported = client.post(f"{WEB}/targets/import/", {"file": upload})
    assert imported.status_code == 302
    with schema_context(orgs["county_a"].schema_name):
        unit = Target.objects.get(name="示例：某某局党组")
        assert (unit.level, unit.managing_org_code, unit.business_tags) == ("county", "410621", ["财务", "工程建设"])
        assert unit.principal.name == "张三" and unit.leaders.count() == 2
        assert unit.last_inspected_on.isoformat() == "2024-05-31"


def test_the_city_s_template_is_for_a_city_unit_and_the_api_round_trips_it(client, orgs, make_member):
    client.force_login(make_member(orgs["city"], "office_admin"))
    response = client.get("/org/410600/api/targets/import/template/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content) if response.streaming else response.content
    example = _sheets(content)["巡察对象"][1]
    assert example[1:5] == ["市管", "党政机关", "410600", "410600"]
    upload = SimpleUploadedFile("template.xlsx", content, content_type=XLSX)
    answer = client.post("/org/410600/api/targets/import/", {"file": upload})
    assert answer.status_code == 200 and answer.json() == {"created": 1, "updated": 0}
    again = client.post(
        "/org/410600/api/targets/import/", {"file": SimpleUploadedFile("template.xlsx", content, content_type=XLSX)}
    )
    assert again.json() == {"created": 0, "updated": 1}  # the same unit by name: updated, not doubled


@pytest.mark.parametrize("role", ["leading_group", "unit_liaison", "team_member"])
def test_who_may_not_import_gets_no_template(client, orgs, make_member, role):
    client.force_login(make_member(orgs["county_a"], role))
    assert client.get(f"{WEB}/targets/import/template.xlsx").status_code == 403
    assert client.get(f"{WEB}/api/targets/import/template/").status_code == 403
    home = client.get(f"{WEB}/")
    assert home.status_code == 200  # positive control: the same person is signed in and served
