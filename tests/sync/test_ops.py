"""The operators' view of the bus: the page for office admins and the CLI."""

import datetime
import io

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
