"""Issue 12 point 3: a unified campaign (统一部署) lives in every county. It arrives as a notification for the
county's office; the city's campaign page shows per county the answer and the linked round's figures from the
replicas the county sends up; the city reminds a county that has not started; closing makes the summary
(docx/xlsx) from the counties' figures. Pages and API, as the role that uses each, and the wrong role refused."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from functools import partial

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context
from docx import Document
from openpyxl import load_workbook

from sync.replicas import replicas_of
from tenants.audit.models import AuditEvent
from tenants.crossorg.models import Campaign, CampaignReminder
from tenants.crossorg.replies import campaign_decline
from tenants.crossorg.setup import campaign_setup
from tenants.office.services import office_settings_update
from tenants.reminders.models import Notification

from .conftest import TODAY, deliver_all, linked_round_run

CITY = "/org/410600"
TITLE = "2026年惠民资金使用管理专项联动巡察"


def _launch(orgs, city_admin, codes=("410621", "410622", "410611")) -> Campaign:
    with schema_context(orgs["city"].schema_name):
        campaign = campaign_setup(
            title=TITLE,
            topic="惠民资金",
            summary="各县区开展专项巡察，反馈后报送整改情况。",
            start_date=TODAY(),
            end_date=TODAY() + timedelta(days=90),
            county_codes=list(codes),
            actor=city_admin,
        )
    deliver_all(orgs["city"], orgs)
    return campaign


def _received(org):
    with schema_context(org.schema_name):
        [replica] = replicas_of(record_type="planning.campaign", sources=["410600"])
    return replica


def _notifications(org, kind="campaign"):
    with schema_context(org.schema_name):
        return list(Notification.objects.filter(kind=kind).values("title", "link", "roles"))


# --- 1. arrival -------------------------------------------------------------------------------------------


def test_the_campaign_arrives_as_a_notification_for_the_countys_office_linking_to_its_page(
    orgs, make_member, client, city_admin
):
    _launch(orgs, city_admin, codes=("410621", "410622"))
    replica = _received(orgs["county_a"])
    [notification] = _notifications(orgs["county_a"])
    assert notification["title"] == f"鹤壁市下发统一部署：{TITLE}"
    assert notification["link"] == f"crossorg/campaigns/received/{replica.pk}/"
    assert set(notification["roles"]) == {"office_admin", "office_staff"}
    assert _notifications(orgs["county_c"]) == []  # 鹤山区 does not take part: nothing arrives

    staff = make_member(orgs["county_a"], "office_staff", clearance=2)
    client.force_login(staff)
    home = client.get("/org/410621/").content.decode()
    assert "通知（1 条未读）" in home  # the home page's bell card counts it
    card = home.split(f'class="card" href="/org/410621/crossorg/campaigns/received/{replica.pk}/"', 1)[1]
    card = card.split("</a>", 1)[0]
    assert "待答复的统一部署（1）" in card and TITLE in card  # and a card for the campaign waiting for an answer
    bell = client.get("/org/410621/reminders/").content.decode()
    assert f'href="/org/410621/crossorg/campaigns/received/{replica.pk}/"' in bell and TITLE in bell
    listed = client.get("/org/410621/crossorg/").content.decode()
    assert f'href="/org/410621/crossorg/campaigns/received/{replica.pk}/"' in listed
    page = client.get(f"/org/410621/crossorg/campaigns/received/{replica.pk}/").content.decode()
    assert TITLE in page and "各县区开展专项巡察" in page and "尚未答复" in page
    assert 'data-testid="campaign-accept"' in page and 'data-testid="campaign-decline"' in page
    api = client.get(f"/org/410621/api/crossorg/campaigns/received/{replica.pk}/").json()
    assert api["title"] == TITLE and api["answer"] == "" and api["round_id"] is None

    # Answered (declined), the card goes; the notification, read when its page was opened, stays in the history.
    client.post(f"/org/410621/crossorg/campaigns/{replica.pk}/decline/", {"reason": "本县正在开展换届工作"})
    home = client.get("/org/410621/").content.decode()
    assert "待答复的统一部署" not in home and "通知（1 条未读）" not in home and "通知" in home
    assert TITLE in client.get("/org/410621/reminders/").content.decode()

    # Delivered again (the relay re-sends; the inbox answers a duplicate): still one notification.
    deliver_all(orgs["city"], orgs)
    assert len(_notifications(orgs["county_a"])) == 1


def test_a_team_member_of_the_county_reads_the_campaign_but_may_not_answer_it(orgs, make_member, client, city_admin):
    _launch(orgs, city_admin, codes=("410621",))
    replica = _received(orgs["county_a"])
    member = make_member(orgs["county_a"], "team_member", clearance=2)
    client.force_login(member)
    page = client.get(f"/org/410621/crossorg/campaigns/received/{replica.pk}/").content.decode()
    assert (
        TITLE in page and 'data-testid="campaign-accept"' not in page and 'data-testid="campaign-decline"' not in page
    )
    assert client.post(f"/org/410621/crossorg/campaigns/{replica.pk}/instantiate/", {"name": "x"}).status_code == 403
    assert (
        client.post(f"/org/410621/api/crossorg/campaigns/received/{replica.pk}/accept/", {"name": "x"}).status_code
        == 403
    )
    assert client.get(f"{CITY}/crossorg/").status_code == 403  # not a member of the city


def test_a_county_taken_off_the_campaign_loses_its_notification(orgs, city_admin):
    from tenants.crossorg.setup import campaign_update

    campaign = _launch(orgs, city_admin, codes=("410621", "410622"))
    assert len(_notifications(orgs["county_b"])) == 1
    with schema_context(orgs["city"].schema_name):
        campaign_update(
            campaign=campaign,
            title=TITLE,
            topic="惠民资金",
            summary="",
            start_date=campaign.start_date,
            end_date=campaign.end_date,
            county_codes=["410621"],
            actor=city_admin,
        )
    deliver_all(orgs["city"], orgs)
    assert _notifications(orgs["county_b"]) == []
    assert len(_notifications(orgs["county_a"])) == 1


# --- 2. the city's view per county, from the replicas ------------------------------------------------------


@pytest.fixture
def running(orgs, make_member, city_admin):
    """浚县 runs its linked round to feedback (two units, one finding, two rectification items: one overdue,
    one closed), 淇县 declines with a reason, 鹤山区 has not answered."""
    campaign = _launch(orgs, city_admin)
    a = {
        "office": make_member(orgs["county_a"], "office_admin", clearance=3),
        "leading": make_member(orgs["county_a"], "leading_group", clearance=3),
        "leader": make_member(orgs["county_a"], "team_leader", clearance=2),
    }
    linked_round_run(
        county=orgs["county_a"],
        replica=_received(orgs["county_a"]),
        name="浚县惠民资金专项巡察",
        units=["浚县民政局党组", "浚县农业农村局党组"],
        overdue_on=TODAY() - timedelta(days=3),
        due_later=TODAY() + timedelta(days=30),
        **a,
    )
    b_office = make_member(orgs["county_b"], "office_admin", clearance=3)
    with schema_context(orgs["county_b"].schema_name):
        campaign_decline(replica=_received(orgs["county_b"]), reason="本县正在开展换届工作", actor=b_office)
    for county in ("county_a", "county_b"):
        deliver_all(orgs[county], orgs)
    return campaign


def _row(page: str, code: str) -> str:
    return page.split(f'data-testid="county-{code}"', 1)[1].split("</tr>", 1)[0]


def test_the_city_sees_each_countys_answer_and_figures_on_the_campaign_page(running, client, city_admin, city_leading):
    for user in (city_admin, city_leading):
        client.force_login(user)
        page = client.get(f"{CITY}/crossorg/campaigns/{running.pk}/").content.decode()
        a = _row(page, "410621")
        assert (
            "浚县" in a
            and "已启动联动巡察" in a
            and "浚县惠民资金专项巡察" in a
            and '<td class="nowrap">反馈</td>' in a
        )
        cells = [cell.split("<", 1)[0] for cell in a.split("<td")[5:9]]
        assert [cell.split(">", 1)[1] for cell in cells] == [
            "2",
            "1",
            "1 / 2",
            "1",
        ]  # units, findings, closed/items, overdue
        b = _row(page, "410622")
        assert "不开展" in b and "本县正在开展换届工作" in b
        c = _row(page, "410611")
        assert "尚未答复" in c
        for code in ("feedback", "started", "declined", "unanswered"):  # no internal codes shown
            assert f">{code}<" not in page and f"：{code}" not in page


def test_the_campaign_page_offers_a_reminder_only_to_a_county_that_has_not_answered(running, client, city_admin):
    client.force_login(city_admin)
    page = client.get(f"{CITY}/crossorg/campaigns/{running.pk}/").content.decode()
    assert 'data-testid="remind-410611"' in _row(page, "410611")  # not answered: may be reminded
    assert 'data-testid="remind-' not in _row(page, "410622")  # declined (不开展): nothing to remind
    assert 'data-testid="remind-' not in _row(page, "410621")  # started


def test_the_countys_change_reaches_the_city_view_with_its_next_message(orgs, running, client, city_admin):
    """A new finding at 浚县 re-shares its round: the city's count follows without any other step."""
    from shared.accounts.selectors import organization_access
    from tenants.findings.services import finding_create
    from tenants.office.models import FindingCategory
    from tenants.rounds.models import Round, TeamTarget

    with schema_context(orgs["county_a"].schema_name):
        round = Round.objects.get(name="浚县惠民资金专项巡察")
        office = round.created_by
        finding_create(
            actor=office,
            access=organization_access(person=office, organization_id=orgs["county_a"].pk),
            round=round,
            target=TeamTarget.objects.filter(round=round).order_by("id").last().target,
            category=FindingCategory.objects.filter(is_active=True).order_by("id").first(),
            title="项目资金拨付滞后",
            description="……",
            evidence="……",
        )
    deliver_all(orgs["county_a"], orgs)
    client.force_login(city_admin)
    body = client.get(f"{CITY}/api/crossorg/campaigns/{running.pk}/").json()
    a = next(county for county in body["counties"] if county["code"] == "410621")
    assert a["findings_count"] == 2


def test_the_campaign_api_gives_each_countys_answer_and_figures(running, client, city_admin, make_member, orgs):
    client.force_login(city_admin)
    body = client.get(f"{CITY}/api/crossorg/campaigns/{running.pk}/").json()
    counties = {county["code"]: county for county in body["counties"]}
    assert counties["410621"] | {"last_reminded_at": None} == {
        "code": "410621",
        "name": "浚县",
        "answer": "started",
        "started": True,
        "teams_count": 1,
        "declined_reason": "",
        "round_name": "浚县惠民资金专项巡察",
        "stage": "feedback",
        "stage_label": "反馈",
        "targets_count": 2,
        "findings_count": 1,
        "rectification_items": 2,
        "rectification_closed": 1,
        "overdue_items": 1,
        "last_reminded_at": None,
        "next_reminder_after": None,
    }
    assert (
        counties["410622"]["answer"] == "declined" and counties["410622"]["declined_reason"] == "本县正在开展换届工作"
    )
    assert counties["410611"]["answer"] == "unanswered" and counties["410611"]["stage_label"] == ""

    member = make_member(orgs["city"], "team_member", clearance=3)
    client.force_login(member)
    assert client.get(f"{CITY}/crossorg/campaigns/{running.pk}/").status_code == 403
    assert client.get(f"{CITY}/api/crossorg/campaigns/{running.pk}/").status_code == 403


# --- 3. reminders -------------------------------------------------------------------------------------------


def test_the_city_reminds_a_county_that_has_not_started_and_it_arrives_there_audited(orgs, running, client, city_admin):
    client.force_login(city_admin)
    response = client.post(f"{CITY}/crossorg/campaigns/{running.pk}/remind/410611/", follow=True)
    assert "已向该县区发送催办提醒" in response.content.decode()
    with schema_context(orgs["city"].schema_name):
        [reminder] = CampaignReminder.objects.filter(campaign=running)
        assert reminder.county_code == "410611" and reminder.sent_by == city_admin
        event = AuditEvent.objects.filter(action="campaign_remind").get()
        assert event.user_id == city_admin.pk and json.loads(event.detail) == {
            "county": "410611",
            "reminder": reminder.pk,
        }
    deliver_all(orgs["city"], orgs)
    replica = _received(orgs["county_c"])
    [notification] = _notifications(orgs["county_c"], kind="campaign_reminder")
    assert notification["title"] == f"鹤壁市催办统一部署：{TITLE}"
    assert notification["link"] == f"crossorg/campaigns/received/{replica.pk}/"
    for county in ("county_a", "county_b"):  # the reminder goes to the one county it names
        assert _notifications(orgs[county], kind="campaign_reminder") == []
    page = client.get(f"{CITY}/crossorg/campaigns/{running.pk}/").content.decode()
    assert "已催办" in _row(page, "410611")


def test_a_reminder_to_a_county_that_started_is_refused_and_nothing_is_written(orgs, running, client, city_admin):
    client.force_login(city_admin)
    response = client.post(f"{CITY}/crossorg/campaigns/{running.pk}/remind/410621/", follow=True)
    assert "浚县已启动联动巡察，无需催办" in response.content.decode()
    api = client.post(
        f"{CITY}/api/crossorg/campaigns/{running.pk}/reminders/",
        {"county_code": "410621"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "浚县已启动联动巡察，无需催办" in str(api.json())
    not_taking_part = client.post(
        f"{CITY}/api/crossorg/campaigns/{running.pk}/reminders/",
        {"county_code": "410700"},
        content_type="application/json",
    )
    assert not_taking_part.status_code == 400
    with schema_context(orgs["city"].schema_name):
        assert not CampaignReminder.objects.exists()
        assert not AuditEvent.objects.filter(action="campaign_remind").exists()


def test_a_reminder_to_a_county_that_declined_is_refused_and_nothing_is_written(orgs, running, client, city_admin):
    client.force_login(city_admin)
    response = client.post(f"{CITY}/crossorg/campaigns/{running.pk}/remind/410622/", follow=True)
    assert "淇县已答复不开展，无需催办。" in response.content.decode()
    api = client.post(
        f"{CITY}/api/crossorg/campaigns/{running.pk}/reminders/",
        {"county_code": "410622"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"county_code": ["淇县已答复不开展，无需催办。"]}
    with schema_context(orgs["city"].schema_name):
        assert not CampaignReminder.objects.exists()
        assert not AuditEvent.objects.filter(action="campaign_remind").exists()
    deliver_all(orgs["city"], orgs)
    assert _notifications(orgs["county_b"], kind="campaign_reminder") == []


def test_a_second_reminder_within_the_offices_interval_is_refused_and_one_after_it_is_sent(
    orgs, running, client, city_admin
):
    """One reminder per county a day by default (OfficeSettings.campaign_reminder_interval_hours): a second one
    the same day is refused on the page and the API with the time it may be sent, and writes nothing; the page
    shows that time instead of the button; a shorter interval set by the office lets it through."""
    client.force_login(city_admin)
    assert client.post(f"{CITY}/crossorg/campaigns/{running.pk}/remind/410611/").status_code == 302
    with schema_context(orgs["city"].schema_name):
        [first] = CampaignReminder.objects.filter(campaign=running)
        due = timezone.localtime(first.sent_at + timedelta(hours=24))
    after = f"{due.year}年{due.month}月{due.day}日 {due:%H:%M}"  # as every zh-hans page writes a moment
    refusal = f"鹤山区距上次催办不足24小时：请于{after}之后再催办。"
    page = client.post(f"{CITY}/crossorg/campaigns/{running.pk}/remind/410611/", follow=True).content.decode()
    assert refusal in page
    api = client.post(
        f"{CITY}/api/crossorg/campaigns/{running.pk}/reminders/",
        {"county_code": "410611"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json() == {"county_code": [refusal]}
    with schema_context(orgs["city"].schema_name):
        assert CampaignReminder.objects.filter(campaign=running).count() == 1
        assert AuditEvent.objects.filter(action="campaign_remind").count() == 1
    row = _row(client.get(f"{CITY}/crossorg/campaigns/{running.pk}/").content.decode(), "410611")
    assert f"下次可催办时间：{after}" in row and 'data-testid="remind-410611"' not in row
    detail = client.get(f"{CITY}/api/crossorg/campaigns/{running.pk}/").json()
    [county] = [county for county in detail["counties"] if county["code"] == "410611"]
    assert county["next_reminder_after"] is not None and county["last_reminded_at"] is not None

    # The office's setting decides the interval: with one hour, the reminder may go again an hour later.
    with schema_context(orgs["city"].schema_name):
        office_settings_update(changes={"campaign_reminder_interval_hours": 1})
    remind = partial(
        client.post,
        f"{CITY}/api/crossorg/campaigns/{running.pk}/reminders/",
        {"county_code": "410611"},
        content_type="application/json",
    )
    with time_machine.travel(first.sent_at + timedelta(minutes=59), tick=False):
        client.logout()  # idle that long, the session has timed out: signed in afresh
        client.force_login(city_admin)
        assert remind().status_code == 400
    with time_machine.travel(first.sent_at + timedelta(hours=1, minutes=1), tick=False):
        client.logout()
        client.force_login(city_admin)
        assert remind().status_code == 201
    with schema_context(orgs["city"].schema_name):
        assert CampaignReminder.objects.filter(campaign=running, county_code="410611").count() == 2


def test_only_the_citys_office_sends_reminders(orgs, running, client, city_leading):
    client.force_login(city_leading)
    page = client.get(f"{CITY}/crossorg/campaigns/{running.pk}/").content.decode()
    assert "尚未答复" in _row(page, "410611") and 'data-testid="remind-' not in page  # reads, no button
    assert client.post(f"{CITY}/crossorg/campaigns/{running.pk}/remind/410611/").status_code == 403
    assert (
        client.post(
            f"{CITY}/api/crossorg/campaigns/{running.pk}/reminders/",
            {"county_code": "410611"},
            content_type="application/json",
        ).status_code
        == 403
    )
    with schema_context(orgs["city"].schema_name):
        assert not CampaignReminder.objects.exists()


# --- 4. closing and the summary -----------------------------------------------------------------------------

FIGURES_A = ["浚县", "已启动联动巡察", "", "浚县惠民资金专项巡察", "反馈", 2, 1, 2, 1, 1]
FIGURES_B = ["淇县", "不开展", "本县正在开展换届工作", "", "", 0, 0, 0, 0, 0]
FIGURES_C = ["鹤山区", "尚未答复", "", "", "", 0, 0, 0, 0, 0]
TOTALS = ["合计", "", "", "", "", 2, 1, 2, 1, 1]


def _closed(client, city_admin, campaign):
    client.force_login(city_admin)
    response = client.post(f"{CITY}/crossorg/campaigns/{campaign.pk}/close/", follow=True)
    assert "统一部署已结束" in response.content.decode()
    return response.content.decode()


def test_closing_makes_the_summary_in_word_and_excel_from_the_countys_figures(orgs, running, client, city_admin):
    page = _closed(client, city_admin, running)
    assert 'data-testid="campaign-summary"' in page and 'data-testid="campaign-close"' not in page
    assert 'data-testid="remind-' not in page

    xlsx = client.get(f"{CITY}/crossorg/campaigns/{running.pk}/summary.xlsx")
    assert xlsx.status_code == 200 and xlsx["Cache-Control"] == "no-store"
    assert xlsx["Content-Disposition"] == f'attachment; filename="campaign-{running.pk}-summary.xlsx"'
    rows = [list(row) for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    assert rows[0] == [
        "县区",
        "答复",
        "不开展原因",
        "联动巡察轮次",
        "阶段",
        "覆盖单位",
        "发现问题数",
        "整改事项数",
        "已销号",
        "逾期事项",
    ]
    blank = lambda row: [("" if value is None else value) for value in row]  # noqa: E731
    assert [blank(row) for row in rows[1:]] == [FIGURES_C, FIGURES_A, FIGURES_B, TOTALS]

    docx = client.get(f"{CITY}/crossorg/campaigns/{running.pk}/summary.docx")
    assert docx.status_code == 200 and docx["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert f"统一部署工作总结：{TITLE}" in text and "3 个县区中 1 个已启动联动巡察" in text
    [table] = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[1:] == [[str(value) for value in row] for row in (FIGURES_C, FIGURES_A, FIGURES_B, TOTALS)]

    with schema_context(orgs["city"].schema_name):
        exports = AuditEvent.objects.filter(
            action="export", record_type="crossorg.campaign", record_key=str(running.pk)
        )
        assert sorted(json.loads(event.detail)["document"] for event in exports) == ["summary.docx", "summary.xlsx"]
        assert AuditEvent.objects.filter(action="campaign_close", user_id=city_admin.pk).count() == 1

    # The API gives the same file.
    api = client.get(f"{CITY}/api/crossorg/campaigns/{running.pk}/summary/?file_format=xlsx")
    assert api.status_code == 200 and api["Cache-Control"] == "no-store"
    rows = [list(row) for row in load_workbook(io.BytesIO(api.content)).active.iter_rows(values_only=True)]
    assert [blank(row) for row in rows[1:]] == [FIGURES_C, FIGURES_A, FIGURES_B, TOTALS]


def test_the_summary_keeps_the_figures_of_the_day_it_closed(orgs, running, client, city_admin, make_member):
    from django.core.exceptions import ValidationError

    _closed(client, city_admin, running)
    deliver_all(orgs["city"], orgs)  # the closing reaches the counties
    c_office = make_member(orgs["county_c"], "office_admin", clearance=3)
    with schema_context(orgs["county_c"].schema_name), pytest.raises(ValidationError, match="已结束该统一部署"):
        campaign_decline(replica=_received(orgs["county_c"]), reason="迟到的答复", actor=c_office)
    client.force_login(c_office)
    page = client.get(f"/org/410611/crossorg/campaigns/received/{_received(orgs['county_c']).pk}/").content.decode()
    assert 'data-testid="campaign-closed"' in page and 'data-testid="campaign-decline"' not in page
    client.force_login(city_admin)
    xlsx = client.get(f"{CITY}/crossorg/campaigns/{running.pk}/summary.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "鹤山区" and rows[1][1] == "尚未答复"


def test_closing_is_told_to_the_counties_and_ends_reminders_and_edits(orgs, running, client, city_admin):
    _closed(client, city_admin, running)
    deliver_all(orgs["city"], orgs)
    replica = _received(orgs["county_c"])
    assert replica.body["closed_on"] == TODAY().isoformat()
    refused = client.post(f"{CITY}/crossorg/campaigns/{running.pk}/remind/410611/", follow=True)
    assert "统一部署已结束，不再催办" in refused.content.decode()
    again = client.post(f"{CITY}/api/crossorg/campaigns/{running.pk}/close/", content_type="application/json")
    assert again.status_code == 400 and "该统一部署已经结束" in str(again.json())
    with schema_context(orgs["city"].schema_name):
        assert not CampaignReminder.objects.exists()


def test_the_summary_is_refused_before_closing_and_to_roles_that_do_not_oversee(
    orgs, running, client, city_admin, make_member
):
    client.force_login(city_admin)
    assert client.get(f"{CITY}/crossorg/campaigns/{running.pk}/summary.xlsx").status_code == 404
    api = client.get(f"{CITY}/api/crossorg/campaigns/{running.pk}/summary/?file_format=docx")
    assert api.status_code == 400 and "统一部署结束时生成" in str(api.json())
    _closed(client, city_admin, running)
    assert client.get(f"{CITY}/crossorg/campaigns/{running.pk}/summary.pdf").status_code == 404
    member = make_member(orgs["city"], "team_member", clearance=3)
    client.force_login(member)
    assert client.get(f"{CITY}/crossorg/campaigns/{running.pk}/summary.xlsx").status_code == 403
    assert client.post(f"{CITY}/crossorg/campaigns/{running.pk}/close/").status_code == 403
    county = make_member(orgs["county_a"], "office_admin", clearance=3)
    client.force_login(county)
    assert client.get(f"{CITY}/crossorg/campaigns/{running.pk}/summary.xlsx").status_code == 403
    with schema_context(orgs["city"].schema_name):
        assert not AuditEvent.objects.filter(action="export", record_type="crossorg.campaign").exists()


def test_a_county_taken_off_the_campaign_loses_the_reminders_too(orgs, running, city_admin):
    from tenants.crossorg.campaigns import campaign_remind
    from tenants.crossorg.setup import campaign_update

    with schema_context(orgs["city"].schema_name):
        campaign_remind(campaign=running, county_code="410611", actor=city_admin)
    deliver_all(orgs["city"], orgs)
    with schema_context(orgs["county_c"].schema_name):
        assert len(replicas_of(record_type="planning.campaign_reminder")) == 1
    assert len(_notifications(orgs["county_c"], kind="campaign_reminder")) == 1
    with schema_context(orgs["city"].schema_name):
        campaign_update(
            campaign=running,
            title=TITLE,
            topic="惠民资金",
            summary="",
            start_date=running.start_date,
            end_date=running.end_date,
            county_codes=["410621", "410622"],
            actor=city_admin,
        )
    deliver_all(orgs["city"], orgs)
    with schema_context(orgs["county_c"].schema_name):
        assert replicas_of(record_type="planning.campaign_reminder") == []
        assert replicas_of(record_type="planning.campaign") == []
    assert _notifications(orgs["county_c"], kind="campaign_reminder") == [] and _notifications(orgs["county_c"]) == []
