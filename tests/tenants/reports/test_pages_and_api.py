"""The pages and the API: the city files, downloads .docx/.xlsx in the fixed layout, the province
answers; roles and organisation kinds are enforced; the province sees filings only."""

import io
import json

import pytest
from django.utils import translation
from django_tenants.utils import schema_context
from docx import Document
from openpyxl import load_workbook

from sync.models import Replica
from tenants.reports.models import Filing, FilingReceipt

from .helpers import approved_annual_plan, deliver_all, round_with_targets


@pytest.fixture
def city_admin(orgs, make_member):
    return make_member(orgs["city"], "office_admin", clearance=2)


@pytest.fixture
def province_admin(orgs, make_member):
    return make_member(orgs["province"], "office_admin")


@pytest.fixture
def plan(orgs, city_admin):
    with schema_context(orgs["city"].schema_name):
        return approved_annual_plan(city_admin, year=2033, title="鹤壁市2033年度巡察工作计划")


def _file_by_page(client, orgs, plan, note="随文报送"):
    response = client.post(
        f"{orgs['city'].route}reports/filings/new/", {"subject": f"annual_plan:{plan.pk}", "period": "", "note": note}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context(orgs["city"].schema_name):
        return Filing.objects.get(subject=f"annual_plan:{plan.pk}")


def test_city_files_by_page_and_downloads_both_formats(client, orgs, city_admin, plan):
    client.force_login(city_admin)
    filing = _file_by_page(client, orgs, plan)
    page = client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/").content.decode()
    assert "鹤壁市2033年度巡察工作计划" in page and "全年安排四轮巡察。" in page
    docx = client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/export.docx")
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(docx.content))
    header = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert header["报送单位"] == "鹤壁市" and header["文件类型"] == "年度巡察计划" and header["版本"] == "第1版"
    assert header["状态"] == "已报送"
    xlsx = client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = {row[0]: row[1] if len(row) > 1 else None for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert cells["报送单位"] == "鹤壁市" and cells["标题"] == "鹤壁市2033年度巡察工作计划"
    assert client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/export.pdf").status_code == 404


def test_bad_filing_input_gets_a_clear_error_and_writes_nothing(client, orgs, city_admin):
    client.force_login(city_admin)
    response = client.post(f"{orgs['city'].route}reports/filings/new/", {"subject": "statistics:", "period": "26"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    with translation.override("en"):
        api = client.post(
            f"{orgs['city'].route}api/reports/filings/",
            {"kind": "annual_plan", "subject_id": 999999},
            content_type="application/json",
        )
    assert api.status_code == 400 and "subject" in api.json()
    with schema_context(orgs["city"].schema_name):
        assert not Filing.objects.filter(kind="statistics", period="26").exists()
        assert not Filing.objects.filter(subject="annual_plan:999999").exists()


def test_the_api_files_refiles_and_answers(client, orgs, city_admin, province_admin, plan):
    client.force_login(city_admin)
    created = client.post(
        f"{orgs['city'].route}api/reports/filings/",
        {"kind": "annual_plan", "subject_id": plan.pk, "note": "API"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "sent" and created.json()["revision"] == 1
    key = created.json()["key"]
    deliver_all(orgs["city"], orgs["province"], record_type="reports.filing")

    client.force_login(province_admin)
    listed = client.get(f"{orgs['province'].route}api/reports/inbox/").json()["results"]
    assert [(item["source"], item["status"]) for item in listed if item["key"] == key] == [("410600", "received")]
    refused = client.post(
        f"{orgs['province'].route}api/reports/inbox/410600/{key}/",
        {"status": "returned"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "comment" in refused.json()
    returned = client.post(
        f"{orgs['province'].route}api/reports/inbox/410600/{key}/",
        {"status": "returned", "comment": "请补充轮次安排", "revision": 1},
        content_type="application/json",
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    xlsx = client.get(f"{orgs['province'].route}api/reports/inbox/410600/{key}/export.xlsx")
    values = [
        cell
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for cell in row
        if cell
    ]
    assert "省委巡视办意见" in values and "请补充轮次安排" in values
    deliver_all(orgs["province"], orgs["city"], record_type="reports.filing_receipt")

    client.force_login(city_admin)
    filing_id = created.json()["id"]
    detail = client.get(f"{orgs['city'].route}api/reports/filings/{filing_id}/").json()
    assert (detail["status"], detail["status_comment"]) == ("returned", "请补充轮次安排")
    refiled = client.post(
        f"{orgs['city'].route}api/reports/filings/{filing_id}/refile/",
        {"note": "已补充"},
        content_type="application/json",
    )
    assert refiled.status_code == 200 and refiled.json()["revision"] == 2
    assert [r["outcome"] for r in refiled.json()["revisions"]] == ["sent", "returned"]


def test_province_answers_by_page(client, orgs, city_admin, province_admin, plan):
    client.force_login(city_admin)
    filing = _file_by_page(client, orgs, plan)
    deliver_all(orgs["city"], orgs["province"], record_type="reports.filing")
    client.force_login(province_admin)
    inbox = client.get(f"{orgs['province'].route}reports/inbox/").content.decode()
    assert "鹤壁市2033年度巡察工作计划" in inbox
    url = f"{orgs['province'].route}reports/inbox/410600/{filing.key}/"
    page = client.post(url, {"status": "returned", "comment": "", "revision": 1})
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert client.post(url, {"status": "returned", "comment": "请补充", "revision": 1}).status_code == 302
    with schema_context(orgs["province"].schema_name):
        assert FilingReceipt.objects.get(filing_key=filing.key).status == "returned"
    docx = client.get(f"{url}export.docx")
    assert docx.status_code == 200


def test_roles_and_kinds_are_enforced(client, orgs, make_member, plan):
    liaison = make_member(orgs["city"], "unit_liaison")
    client.force_login(liaison)
    assert client.get(f"{orgs['city'].route}reports/filings/").status_code == 403
    assert client.get(f"{orgs['city'].route}api/reports/filings/").status_code == 403
    leader = make_member(orgs["city"], "leading_group")
    client.force_login(leader)
    assert client.get(f"{orgs['city'].route}reports/filings/").status_code == 200
    assert (
        client.post(
            f"{orgs['city'].route}api/reports/filings/",
            {"kind": "annual_plan", "subject_id": plan.pk},
            content_type="application/json",
        ).status_code
        == 403
    )
    county_admin = make_member(orgs["county_a"], "office_admin")
    client.force_login(county_admin)
    assert client.get(f"{orgs['county_a'].route}reports/filings/").status_code == 403
    assert client.get(f"{orgs['county_a'].route}reports/inbox/").status_code == 403


def test_the_province_sees_filings_only(client, orgs, city_admin, province_admin, make_member):
    """Pages, API and replicated tables: nothing of a round's detail reaches the province."""
    county_user = make_member(orgs["county_a"], "office_admin")
    with schema_context(orgs["county_a"].schema_name):
        from tenants.reports.services import statistics_send_up

        round_with_targets(county_user, name="浚县第一轮")
        statistics_send_up(organization=orgs["county_a"], period="2026-Q1")
    deliver_all(orgs["county_a"], orgs["city"], record_type="reports.statistics")
    with schema_context(orgs["city"].schema_name):
        from tenants.reports.services import filing_submit

        round, targets = round_with_targets(city_admin, name="市委第一轮巡察")
        keys = {
            str(
                filing_submit(
                    kind="round_summary", subject_id=round.pk, actor=city_admin, organization=orgs["city"]
                ).key
            ),
            str(filing_submit(kind="statistics", period="2026-Q1", actor=city_admin, organization=orgs["city"]).key),
        }
        from sync.models import OutboxMessage

        # Queued for the province: the two filings and the city round's schedule, which the policy files with
        # the province (sync/policy.py FILINGS, "province gets the round schedule" in tests/sync/test_policy.py);
        # the outbox writes a row only where the policy allows one, so nothing else is queued there.
        assert sorted(OutboxMessage.objects.filter(destination="410000").values_list("record_type", flat=True)) == [
            "reports.filing",
            "reports.filing",
            "rounds.round",
        ]
    assert deliver_all(orgs["city"], orgs["province"], record_type="reports.filing") == ["applied", "applied"]
    assert deliver_all(orgs["city"], orgs["province"], record_type="rounds.round") == ["applied"]
    with schema_context(orgs["province"].schema_name):
        assert sorted(Replica.objects.values_list("record_type", flat=True)) == [
            "reports.filing",
            "reports.filing",
            "rounds.round",
        ]
        schedule = Replica.objects.get(record_type="rounds.round", record_key=str(round.pk)).body
        # the schedule only: no stage, counts, units or findings of the round
        assert sorted(schedule) == ["batch", "classification", "end_date", "kind", "name", "start_date", "status"]
        assert schedule["name"] == "市委第一轮巡察"
        mine = Replica.objects.filter(record_key__in=keys)
        assert sorted(mine.values_list("record_type", "source")) == [("reports.filing", "410600")] * 2
        bodies = json.dumps([r.body for r in mine], ensure_ascii=False)
    for target in targets:  # the units inspected are round detail, not part of a summary
        assert target.name not in bodies
    assert "市委第一轮巡察" in bodies and "浚县" in bodies  # the round's name and the county's counts are

    client.force_login(province_admin)
    assert client.get(f"{orgs['city'].route}reports/filings/").status_code in (302, 403, 404)
    assert client.get(f"{orgs['city'].route}api/reports/summary/?period=2026").status_code in (401, 403, 404)
    assert client.get(f"{orgs['province'].route}reports/summary/").status_code == 403
    assert client.get(f"{orgs['province'].route}reports/oversight/").status_code == 403
    listed = [
        item
        for item in client.get(f"{orgs['province'].route}api/reports/inbox/").json()["results"]
        if item["key"] in keys
    ]
    assert len(listed) == 2 and all(
        set(item["filing"]) <= {"kind", "title", "period", "revision", "content", "note", "filed_at", "classification"}
        for item in listed
    )


def test_summary_and_oversight_pages(client, orgs, city_admin, make_member):
    county_user = make_member(orgs["county_a"], "office_admin")
    with schema_context(orgs["county_a"].schema_name):
        from tenants.reports.services import statistics_send_up

        round_with_targets(county_user, name="浚县第二轮", onsite_start=__import__("datetime").date(2026, 5, 6))
        statistics_send_up(organization=orgs["county_a"], period="2026")
    deliver_all(orgs["county_a"], orgs["city"], record_type="reports.statistics")
    client.force_login(city_admin)
    summary = client.get(f"{orgs['city'].route}reports/summary/?period=2026").content.decode()
    assert "浚县" in summary and 'data-key="targets_covered"' in summary
    assert client.get(f"{orgs['city'].route}reports/summary/?period=twenty").status_code == 400
    api = client.get(f"{orgs['city'].route}api/reports/summary/?period=2026").json()
    assert [c["code"] for c in api["counties"] if c["counts"]] == ["410621"]
    assert api["total"]["targets_covered"] == api["own"]["targets_covered"] + 2
    oversight = client.get(f"{orgs['city'].route}reports/oversight/?year=2026").content.decode()
    assert "<canvas data-testid=\"chart-coverage\"" in oversight and "浚县第二轮" in oversight
    assert "cdn" not in oversight.lower()


def test_a_returned_round_summary_links_to_where_it_is_corrected(client, orgs, city_admin, province_admin):
    """The returned filing's page points at the round, findings and hearing records (no URL typed by hand);
    the layout shows the filing time in the office's time zone and a cross-county round's kind in Chinese."""
    import datetime

    from tenants.reports.exports import filing_layout
    from tenants.reports.services import filing_decide, filing_submit

    with schema_context(orgs["city"].schema_name):
        round, _targets = round_with_targets(city_admin, name="退回链接测试轮次")
        filing = filing_submit(kind="round_summary", subject_id=round.pk, actor=city_admin, organization=orgs["city"])
    client.force_login(city_admin)
    assert (
        'data-testid="filing-sources"'
        not in client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/").content.decode()
    )  # nothing to correct while it is not returned
    deliver_all(orgs["city"], orgs["province"], record_type="reports.filing")
    with schema_context(orgs["province"].schema_name):
        filing_decide(
            receipt=FilingReceipt.objects.get(filing_key=filing.key),
            status="returned",
            comment="请补充发现问题",
            actor=province_admin,
        )
    deliver_all(orgs["province"], orgs["city"], record_type="reports.filing_receipt")
    page = client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/").content.decode()
    assert "请补充发现问题" in page and "到这里修改" in page
    for href in (f"rounds/{round.pk}/", f"findings/?round={round.pk}", "reports/hearings/"):
        assert f'href="{orgs["city"].route}{href}"' in page

    moment = datetime.datetime(2026, 5, 4, 23, 30, tzinfo=datetime.UTC)
    layout = filing_layout(
        body={"kind": "round_summary", "revision": 1, "filed_at": moment.isoformat(), "content": {"kind": "cross"}},
        source_name="鹤壁市",
        status="sent",
    )
    fields = dict(layout.fields)
    assert fields["报送时间"] == "2026年5月5日 07:30"  # the office's local time (UTC+8), as the pages write it
    assert fields["类型"] == "交叉巡察"
