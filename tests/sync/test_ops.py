"""The operators' view of the bus: the page for office admins and the CLI."""

import datetime
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from shared.accounts.models import Role
from sync import inbox
from sync.envelope import canonical_json
from tenants.guidance.services import guidance_document_issue


@pytest.fixture
def city_backlog_and_dead_letter(orgs):
    with schema_context(orgs["city"].schema_name):
        guidance_document_issue(title="模板", doc_type="template", issued_on=datetime.date(2026, 1, 5))
    inbox.message_receive(receiver=orgs["county_a"], raw=canonical_json({"envelope": {"format": 1}}))


def test_office_admin_sees_backlog_and_dead_letters_of_the_city_and_its_counties(
    client, orgs, make_member, city_backlog_and_dead_letter
):
    client.force_login(make_member(orgs["city"], Role.OFFICE_ADMIN))
    page = client.get("/org/410600/sync/").content.decode()
    for code in ("410600", "410621", "410622", "410611"):
        assert f'data-org="{code}"' in page
    city_row = page.split('data-org="410600"', 1)[1].split("</tr>", 1)[0]
    assert "<td>3</td>" in city_row  # three outbox rows waiting (one per county)
    client.force_login(make_member(orgs["county_a"], Role.OFFICE_ADMIN))
    county_page = client.get("/org/410621/sync/").content.decode()
    assert "malformed" in county_page and 'data-org="410600"' not in county_page
    dead_letters = county_page.split('data-testid="dead-letters"', 1)[1].split("</table>", 1)[0]
    assert '<td title="malformed">消息格式错误</td>' in dead_letters  # the reason in words, its code on hover


def test_other_roles_may_not_see_the_sync_page(client, orgs, make_member):
    client.force_login(make_member(orgs["city"], Role.OFFICE_STAFF))
    assert client.get("/org/410600/sync/").status_code == 403


def test_status_command_prints_backlog_per_organisation(orgs, city_backlog_and_dead_letter):
    out = io.StringIO()
    call_command("sync", "status", "--org", "410600", "--org", "410621", stdout=out)
    lines = {line.split()[0]: line.split() for line in out.getvalue().splitlines()[1:]}
    assert lines["410600"][1] == "3"  # backlog
    assert lines["410621"][5] == "1"  # dead letters


def test_verify_command_reports_missing_replicas_without_repairing_on_dry_run(orgs, city_backlog_and_dead_letter):
    out = io.StringIO()
    call_command("sync", "verify", "--org", "410600", "--dry-run", stdout=out)
    assert "410600 -> 410621: 1 record(s) missing 1" in out.getvalue()
    assert "differences found" in out.getvalue()


def _cells(table: str, column: int) -> list[str]:
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)[column]).strip() for row in rows]


def test_dead_letters_are_explained_in_chinese_with_their_codes_on_hover(client, orgs, make_member):
    """Issue 13 leftover 5: the reason, its detail and the record type read in Chinese; the codes stay in title."""
    fields = {"format": 1, "id": str(uuid.uuid4()), "type": "guidance.document", "schema": 1, "source": "410600"}
    fields.update(destination="410621", key="7", version=1, classification=1, tombstone=False, body={"title": "x"})
    for raw in (
        canonical_json({"envelope": {"format": 1}}),  # malformed: a field missing
        canonical_json({"envelope": fields}),  # unsigned
        canonical_json({"envelope": {**fields, "id": str(uuid.uuid4()), "destination": "410622"}}),  # misaddressed
        b"[" * 40 + b"]" * 40,  # nested too deep
        b" " * (300 * 1024),  # oversized
    ):
        inbox.message_receive(receiver=orgs["county_a"], raw=raw)
    client.force_login(make_member(orgs["county_a"], Role.OFFICE_ADMIN))
    page = client.get("/org/410621/sync/").content.decode()
    table = page.split('data-testid="dead-letters"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    reasons, details, types = _cells(table, 1), _cells(table, 2), _cells(table, 4)
    assert {"消息格式错误", "未签名", "收件单位不符", "消息过大"} <= set(reasons)  # positive control: the labels
    assert "字段“消息编号”缺失或类型不对" in details and "没有签名" in details
    assert "发往 410622，却到达 410621" in details and "嵌套超过 32 层" in details
    assert "指导文件" in types  # guidance.document named by its model
    for text in reasons + details + types:
        assert not re.search(r"[A-Za-z]{2,}", text), text  # no English word, no internal code in the cell
    assert 'title="unsigned"' in table and 'title="guidance.document"' in table  # the codes, on hover
