"""The office's bundle page (issue 16 point 4): /org/<code>/office/bundles/, the office administrator's, over the
same services as `xuncha sync bundle` for this office's messages only. What waits for each destination reached by
bundles; the export's download (audited, only this office's messages); the upload of a bundle (applied, its
acknowledgement to download and carry back) or of an acknowledgement (this office's messages delivered), and the
Chinese reasons for refusing one: twice, out of order, truncated, altered, forged, for another office. The far side
is played by the test (tests/sync/farside.py)."""

from __future__ import annotations

import base64
import datetime
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from shared.orgs.models import BundleRecord
from sync.envelope import envelope_parse
from sync.models import InboxMessage, OutboxMessage, Replica
from tenants.audit.models import AuditEvent
from tenants.guidance.services import guidance_document_issue
from tests.sync.farside import REMOTE, REMOTE_CITY, FarSide

CITY = "/org/410600"
PAGE = f"{CITY}/office/bundles/"


@pytest.fixture
def far(orgs):
    return FarSide(with_city=True)


@pytest.fixture
def admin(client, orgs, make_member):
    user = make_member(orgs["city"], "office_admin", clearance=3)
    client.force_login(user)
    return user


def _upload(client, raw, *, page=PAGE):
    """Upload as the browser does and land back on the page: the messages it shows (this upload's only)."""
    file = SimpleUploadedFile("bundle.json", raw, content_type="application/json")
    response = client.post(page, {"file": file}, follow=True)
    assert response.redirect_chain == [(page, 302)] and response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def _waiting_cell(page, code):
    row = page.split(f'data-code="{code}"', 1)[1].split("</tr>", 1)[0]
    return row.split('data-testid="waiting">', 1)[1].split("<", 1)[0]


def _city_replica(orgs):
    with schema_context(orgs["city"].schema_name):
        return Replica.objects.filter(source=REMOTE, record_type="statistics.report").first()


def test_the_admin_sees_what_waits_exports_it_and_takes_the_acknowledgement(client, orgs, far, admin):
    with schema_context(orgs["province"].schema_name):  # the province's, for the remote city: not the city's
        guidance_document_issue(title="省级模板", doc_type="template", issued_on=datetime.date(2026, 3, 1))
    with schema_context(orgs["city"].schema_name):
        guidance_document_issue(title="市级模板", doc_type="template", issued_on=datetime.date(2026, 3, 1))
        waiting = OutboxMessage.objects.get(destination=REMOTE)
    page = client.get(PAGE).content.decode()
    assert "各接收单位待传递的消息" in page and "远端县（410628）" in page
    assert (_waiting_cell(page, REMOTE), _waiting_cell(page, REMOTE_CITY)) == ("1", "0")
    assert re.search(r"<td>[1-9]\d* 字节</td>", page) and "约 0 千字节" not in page  # bytes, not "about 0 kB"
    assert f'action="{CITY}/office/bundles/export/{REMOTE}/"' in page
    # The export: a download of this office's messages, sealed to the destination, logged and audited.
    response = client.post(f"{CITY}/office/bundles/export/{REMOTE}/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"] and "市级模板".encode() not in response.content
    (message,) = [envelope_parse(base64.b64decode(m))[1] for m in far.open_bundle(response.content)["messages"]]
    assert (message.source, message.message_id) == ("410600", str(waiting.message_id))
    record = BundleRecord.objects.get(kind="exported", office="410600")
    assert (record.organization_code, record.operator, record.counts["messages"]) == (REMOTE, admin.username, 1)
    with schema_context(orgs["city"].schema_name):
        event = AuditEvent.objects.get(record_type="sync.bundle")
        assert (event.action, event.username, event.record_key) == (
            "export",
            admin.username,
            f"{REMOTE}#{record.sequence}",
        )
    # The city's export to the remote city holds none of the province's messages.
    other = client.post(f"{CITY}/office/bundles/export/{REMOTE_CITY}/")
    assert far.open_bundle(other.content, sealing=far.city_sealing)["messages"] == []
    # The acknowledgement carried back marks it delivered; twice changes nothing and says so.
    ack = far.ack([str(waiting.message_id)])
    (done,) = _upload(client, ack)
    assert "1 条消息已送达" in done
    with schema_context(orgs["city"].schema_name):
        assert OutboxMessage.objects.get(pk=waiting.pk).sent_at is not None
    assert _waiting_cell(client.get(PAGE).content.decode(), REMOTE) == "0"
    (again,) = _upload(client, ack)
    assert "此前已导入" in again and "0 条消息已送达" in again


def test_an_imported_bundle_is_applied_and_its_acknowledgement_downloaded_to_carry_back(
    client, orgs, far, admin, settings
):
    raw, _body = far.statistics(version=2, findings=7)
    bundle = far.bundle([raw])
    (done,) = _upload(client, bundle)
    assert "已应用 1" in done and "仍缺 0 条记录" in done
    assert _city_replica(orgs).body["findings"] == 7
    page = client.get(PAGE).content.decode()
    record = BundleRecord.objects.get(kind="imported", office="410600")
    assert f'href="{CITY}/office/bundles/{record.pk}/ack/"' in page
    response = client.get(f"{CITY}/office/bundles/{record.pk}/ack/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    message_id = envelope_parse(raw)[1].message_id
    assert far.open_ack(response.content)["acknowledged"] == [message_id]
    assert message_id.encode() not in response.content and b"statistics.report" not in response.content
    # Twice: the inbox knows it; out of order: an older version changes nothing.
    (twice,) = _upload(client, bundle)
    assert "此前已导入" in twice and "此前已收到 1" in twice
    old, _ = far.statistics(version=1, findings=3)
    (older,) = _upload(client, far.bundle([old]))
    assert "比现有版本旧，未采用 1" in older
    assert _city_replica(orgs).body["findings"] == 7
    # The log is paged: three imports, two a page.
    settings.XUNCHA_PAGE_SIZE = 2
    paged = client.get(PAGE).content.decode()
    assert 'data-testid="pager"' in paged and paged.count('data-testid="ack-download"') == 2
    assert client.get(f"{PAGE}?page=2").content.decode().count('data-testid="ack-download"') == 1


def _altered(far, raw):
    document = json.loads(far.bundle([raw]))
    ct = document["payload"]["sealed"]["ct"]
    document["payload"]["sealed"]["ct"] = ("A" if ct[0] != "A" else "B") + ct[1:]
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda far, raw: far.bundle([raw])[:-40], "截断"),
        (_altered, "签名"),
        (lambda far, raw: far.bundle([raw], key=Ed25519PrivateKey.generate()), "签名"),
        (lambda far, raw: far.bundle([raw], to="410621"), "不是本单位"),  # a bundle for another office here
        (lambda far, raw: far.ack([envelope_parse(raw)[1].message_id], sealed_to="410000"), "不是本单位"),
    ],
    ids=["truncated", "altered", "forged", "for-another-office", "ack-for-another-office"],
)
def test_a_bad_file_is_refused_in_chinese_and_nothing_is_imported(client, orgs, far, admin, make, reason):
    raw, _ = far.statistics(version=1, findings=7)
    (refusal,) = _upload(client, make(far, raw))
    assert reason in refusal
    assert _city_replica(orgs) is None
    for org in (orgs["city"], orgs["county_a"]):
        with schema_context(org.schema_name):
            assert not InboxMessage.objects.exists()
    assert not BundleRecord.objects.exists()
    # positive control: the same message in a good bundle is taken on this page
    (done,) = _upload(client, far.bundle([raw]))
    assert "已应用 1" in done


def test_the_sync_page_answers_with_a_county_behind_bundles_below_and_links_here(client, orgs, far, admin):
    # (it listed every child's code for the status rows, and a remote one made it answer 500: no schema here)
    response = client.get(f"{CITY}/sync/")
    page = response.content.decode()
    assert response.status_code == 200 and f'href="{PAGE}"' in page
    assert 'data-org="410621"' in page and f'data-org="{REMOTE}"' not in page


def test_an_upload_without_a_file_shows_the_form_again(client, orgs, far, admin):
    response = client.post(PAGE, {})
    assert response.status_code == 200 and "数据包或回执文件" in response.content.decode()


def test_other_roles_are_refused_and_another_office_s_acknowledgement_is_not_found(client, orgs, far, make_member):
    client.force_login(make_member(orgs["city"], "office_admin"))
    _upload(client, far.bundle([far.statistics(version=1, findings=1)[0]]))
    record = BundleRecord.objects.get(kind="imported")
    assert client.get(f"{CITY}/office/bundles/{record.pk}/ack/").status_code == 200  # positive control
    for role in ("office_staff", "team_leader", "leading_group"):
        client.force_login(make_member(orgs["city"], role, clearance=3))
        for response in (
            client.get(PAGE),
            client.post(f"{CITY}/office/bundles/export/{REMOTE}/"),
            client.get(f"{CITY}/office/bundles/{record.pk}/ack/"),
        ):
            assert response.status_code == 403, role
            assert "无权" in response.content.decode() or "不允许" in response.content.decode()
    assert not BundleRecord.objects.filter(kind="exported").exists()
    # The county's administrator: its own page answers, the city's acknowledgement is not its to download.
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    assert client.get("/org/410621/office/bundles/").status_code == 200
    assert client.get(f"/org/410621/office/bundles/{record.pk}/ack/").status_code == 404
    assert client.get(f"{CITY}/office/bundles/export/{REMOTE}/").status_code in (403, 404)
