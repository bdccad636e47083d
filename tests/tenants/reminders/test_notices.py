"""Notices that matter (issue 15 point 3): a county's progress to the city, a superior's item arriving at the county,
the province's answer to a filing, a deadline approaching, a grant opening or ending; each linking to its object,
for the people it concerns, respecting clearance; the bell's unread count and marking read; optional e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access
from tenants.reminders.models import Notification
from tests.tenants.crossorg.conftest import deliver_all
from tests.tenants.findings.conftest import deliver
from tests.tenants.ledger.test_supervised_items import _delivered_item, _report


def _zh(day: datetime.date) -> str:
    """A date as a zh-hans page shows it (DATE_FORMAT 'Y年n月j日'), never ISO."""
    return f"{day.year}年{day.month}月{day.day}日"


pytestmark = pytest.mark.django_db

COUNTY = "/org/410621"
CITY = "/org/410600"


def _notices(client, user, web):
    client.force_login(user)
    response = client.get(f"{web}/reminders/")
    assert response.status_code == 200
    return response.content.decode()


def _bell(client, web) -> int:
    """The unread count on the header's bell of a page (0 when the bell shows no number)."""
    import re

    html = client.get(f"{web}/").content.decode()
    assert 'data-testid="bell"' in html
    found = re.search(r'data-testid="bell-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_an_item_from_the_city_is_announced_to_the_county_office_and_withdrawn_with_it(
    orgs, city_admin, city_access, make_member, client
):
    office = make_member(orgs["county_a"], "office_staff", clearance=2)
    liaison = make_member(orgs["county_a"], "unit_liaison", clearance=2)
    _feedback, item, _ledger = _delivered_item(orgs, city_admin, city_access)
    page = _notices(client, office, COUNTY)
    assert "鹤壁市交办督办整改事项：三重一大决策不规范" in page
    assert f'href="{COUNTY}/rectification/supervised/"' in page
    assert _bell(client, COUNTY) == 1
    other = _notices(client, liaison, COUNTY)  # a liaison is not the county's office
    assert 'data-testid="notifications"' in other and "三重一大决策不规范" not in other
    # The city takes it back (the item is reassigned to another county): the notice goes with the row's content.
    from tenants.rectification.services import item_assign

    with schema_context(orgs["city"].schema_name):
        item_assign(actor=city_admin, access=city_access, item=item, assignee_org_code="410622")
    deliver(orgs["city"], orgs)
    with schema_context(orgs["county_a"].schema_name):
        assert not Notification.objects.filter(kind="ledger_received").exists()


def test_a_county_s_progress_reaches_the_city_office_with_a_link_to_the_item(
    orgs, city_admin, city_access, make_member, client
):
    county_office = make_member(orgs["county_a"], "office_staff", clearance=2)
    feedback, item, ledger = _delivered_item(orgs, city_admin, city_access)
    _report(orgs, county_office, ledger, status="in_progress", progress_note="已修订议事规则初稿")
    deliver_all(orgs["county_a"], orgs)
    page = _notices(client, city_admin, CITY)
    assert f"浚县报告了督办整改事项（第 {item.pk} 号）的进展：推进中" in page
    assert f'href="{CITY}/rectification/feedback/{feedback.pk}/"' in page
    assert "已修订议事规则初稿" not in page  # the notice names the item, it does not copy the county's note
    # The same status again is no news; the next one is.
    deliver_all(orgs["county_a"], orgs)
    _report(orgs, county_office, ledger, status="completed", progress_note="已完成")
    deliver_all(orgs["county_a"], orgs)
    with schema_context(orgs["city"].schema_name):
        assert Notification.objects.filter(kind="county_progress").count() == 2


def _filing_answered(orgs, city_user, province_user, *, year: int, status: str, comment: str = ""):
    """The city files its annual plan for `year`, the province answers it `status`, the answer comes back."""
    from tenants.reports.models import FilingReceipt
    from tenants.reports.services import filing_decide, filing_submit
    from tests.tenants.reports.helpers import approved_annual_plan
    from tests.tenants.reports.helpers import deliver_all as hop

    with schema_context(orgs["city"].schema_name):
        plan = approved_annual_plan(city_user, year=year)
        filing = filing_submit(kind="annual_plan", subject_id=plan.pk, actor=city_user, organization=orgs["city"])
    hop(orgs["city"], orgs["province"], record_type="reports.filing")
    with schema_context(orgs["province"].schema_name):
        receipt = FilingReceipt.objects.get(source_code="410600", filing_key=filing.key)
        filing_decide(receipt=receipt, status=status, comment=comment, actor=province_user)
    hop(orgs["province"], orgs["city"], record_type="reports.filing_receipt")
    return filing


def test_the_province_s_acknowledgement_reaches_the_city(orgs, make_member, client):
    city_user = make_member(orgs["city"], "office_admin")
    province_user = make_member(orgs["province"], "province_viewer")
    filing = _filing_answered(orgs, city_user, province_user, year=2032, status="acknowledged")
    page = _notices(client, city_user, CITY)
    assert "省委巡视办已备案“2032年度巡察工作计划”" in page
    assert f'href="{CITY}/reports/filings/{filing.pk}/"' in page


def test_the_province_s_return_reaches_the_city_with_its_reason(orgs, make_member, client):
    city_user = make_member(orgs["city"], "office_admin")
    liaison = make_member(orgs["city"], "unit_liaison")
    province_user = make_member(orgs["province"], "province_viewer")
    filing = _filing_answered(
        orgs, city_user, province_user, year=2033, status="returned", comment="请补充重点任务安排"
    )
    page = _notices(client, city_user, CITY)
    assert "省委巡视办退回了“2033年度巡察工作计划”" in page and "请补充重点任务安排" in page
    assert f'href="{CITY}/reports/filings/{filing.pk}/"' in page
    assert _bell(client, CITY) >= 1  # unread, on the header's bell
    other = _notices(client, liaison, CITY)  # a unit's liaison is not the city's office
    assert 'data-testid="notifications"' in other and "2033年度巡察工作计划" not in other


def test_a_county_s_overdue_item_reaches_the_city_s_office_linking_to_the_county(orgs, make_member, client):
    from tests.tenants.reminders.test_reminders import D, _run, deliver_all

    county_admin = make_member(orgs["county_a"], "office_admin")
    with schema_context(orgs["county_a"].schema_name):
        from tenants.reminders.models import ReminderSettings
        from tests.tenants.reports.helpers import round_with_targets

        ReminderSettings.objects.update_or_create(singleton=True, defaults={"lead_working_days": 2})
        round_with_targets(
            county_admin, name="浚县逾期轮次", onsite_start=D(2027, 3, 1), onsite_end=D(2027, 3, 31), state="reporting"
        )
    _run(orgs, D(2027, 6, 1))  # its hearing long overdue: the county escalates it
    deliver_all(orgs["county_a"], orgs["city"], record_type="reminders.overdue")
    city_staff, city_member = make_member(orgs["city"], "office_staff"), make_member(orgs["city"], "team_member")
    page = _notices(client, city_staff, CITY)
    assert "浚县" in page and "起逾期" in page and "浚县逾期轮次" in page
    assert f'href="{CITY}/reports/oversight/410621/"' in page
    assert client.get(f"{CITY}/reports/oversight/410621/").status_code == 200  # the link leads to the county
    other = _notices(client, city_member, CITY)
    assert 'data-testid="notifications"' in other and "浚县逾期轮次" not in other


def test_a_deadline_is_told_on_the_page_from_the_office_s_threshold(orgs, county_round, client):
    """浚县 reminds 2 working days ahead (county_round): the hearing due Tue 8 Dec 2026 (Mon 7 Dec declared a day off)
    is not told on Wed 2 Dec, and is told on Thu 3 Dec, linking to the round, to the county's office."""
    from tests.tenants.reminders.test_reminders import D, _run

    admin, round = county_round
    _run(orgs, D(2026, 12, 2))
    early = _notices(client, admin, COUNTY)
    assert 'data-testid="notifications"' in early and round.name not in early
    _run(orgs, D(2026, 12, 3))
    told = _notices(client, admin, COUNTY)
    assert "2026年12月8日 到期" in told and "2026-12-08" not in told and round.name in told
    assert f'href="{COUNTY}/rounds/{round.pk}/"' in told


def test_a_confidential_deadline_is_told_only_to_the_cleared_and_without_its_name(
    orgs, city_admin, city_access, make_member, client
):
    from tenants.crossorg.services import round_reclassify
    from tenants.reminders.services import reminders_run
    from tests.tenants.reports.helpers import round_with_targets

    staff = make_member(orgs["city"], "office_staff", clearance=Classification.SECRET)
    with schema_context(orgs["city"].schema_name):
        round, _targets = round_with_targets(
            city_admin, name="机密轮次甲", onsite_start=datetime.date(2031, 3, 3), onsite_end=datetime.date(2031, 4, 4)
        )
        round_with_targets(
            city_admin, name="普通轮次乙", onsite_start=datetime.date(2031, 3, 3), onsite_end=datetime.date(2031, 4, 4)
        )
        round_reclassify(round=round, classification=Classification.CONFIDENTIAL, actor=city_admin)
        reminders_run(today=datetime.date(2031, 6, 2), organization=orgs["city"])  # both hearings overdue
    cleared = _notices(client, city_admin, CITY)
    assert "有一项机密事项需要处理" in cleared and f'href="{CITY}/rounds/{round.pk}/"' in cleared
    assert "机密轮次甲" not in cleared and "普通轮次乙" in cleared  # positive control: the ordinary round by name
    below = _notices(client, staff, CITY)
    assert "普通轮次乙" in below and "有一项机密事项需要处理" not in below and f"/rounds/{round.pk}/" not in below


def test_the_bell_counts_unread_and_marking_read_clears_it_for_that_person_only(orgs, make_member, client):
    from tenants.reminders.services import notification_create

    first = make_member(orgs["city"], "office_staff")
    second = make_member(orgs["city"], "office_admin")
    with schema_context(orgs["city"].schema_name):
        notice = notification_create(kind="test", item_key="bell-1", title="测试通知一", link="rounds/")
        notification_create(kind="test", item_key="bell-2", title="测试通知二")
        before = Notification.objects.count()
    client.force_login(first)
    assert _bell(client, CITY) >= 2
    unread = _bell(client, CITY)
    response = client.post(f"{CITY}/reminders/read/", {"id": [str(notice.pk)]})
    assert response.status_code == 302
    assert _bell(client, CITY) == unread - 1
    client.post(f"{CITY}/reminders/read/")
    assert _bell(client, CITY) == 0
    client.force_login(second)
    assert _bell(client, CITY) == unread  # read by the other person only
    with schema_context(orgs["city"].schema_name):
        assert Notification.objects.count() == before  # reading deletes nothing


def test_one_notice_is_marked_read_by_its_own_button_and_another_person_s_notice_is_refused(orgs, make_member, client):
    from tenants.reminders.services import notification_create

    owner, other = make_member(orgs["city"], "office_staff"), make_member(orgs["city"], "office_staff")
    with schema_context(orgs["city"].schema_name):
        mine = notification_create(kind="test", item_key="one-1", title="单条通知甲", user_ids=[owner.pk])
        second = notification_create(kind="test", item_key="one-2", title="单条通知乙", user_ids=[owner.pk])
        theirs = notification_create(kind="test", item_key="one-3", title="单条通知丙", user_ids=[other.pk])
    page = _notices(client, owner, CITY)
    assert f'action="{CITY}/reminders/{mine.pk}/read/"' in page and "标为已读" in page  # a button per unread notice
    assert f"/reminders/{theirs.pk}/read/" not in page
    unread = _bell(client, CITY)
    assert client.get(f"{CITY}/reminders/{mine.pk}/read/").status_code == 405  # POST only
    assert client.post(f"{CITY}/reminders/{theirs.pk}/read/").status_code == 404  # another person's notice
    assert client.post(f"{CITY}/reminders/999999999/read/").status_code == 404
    assert _bell(client, CITY) == unread
    response = client.post(f"{CITY}/reminders/{mine.pk}/read/")  # positive control: the owner's own notice
    assert response.status_code == 302 and response["Location"] == f"{CITY}/reminders/"
    assert _bell(client, CITY) == unread - 1  # that one only: 单条通知乙 stays unread
    page = _notices(client, owner, CITY)
    assert f"/reminders/{mine.pk}/read/" not in page and f"/reminders/{second.pk}/read/" in page
    client.force_login(other)
    with schema_context(orgs["city"].schema_name):
        assert not theirs.reads.exists()  # refused: nothing recorded for the other person's notice
    assert client.post(f"{CITY}/reminders/{theirs.pk}/read/").status_code == 302


def test_the_notices_status_column_says_read_or_unread_and_offers_the_button_for_unread_ones(orgs, make_member, client):
    """The last column is 状态: 已读 for a read notice, 未读 with its 标为已读 button for an unread one (it was headed
    已读 over cells holding that button)."""
    from tenants.reminders.services import notification_create

    owner = make_member(orgs["city"], "office_staff")
    with schema_context(orgs["city"].schema_name):
        read = notification_create(kind="test", item_key="state-1", title="状态通知甲", user_ids=[owner.pk])
        notification_create(kind="test", item_key="state-2", title="状态通知乙", user_ids=[owner.pk])
    _notices(client, owner, CITY)
    client.post(f"{CITY}/reminders/{read.pk}/read/")
    page = _notices(client, owner, CITY)
    table = page.split('data-testid="notifications"', 1)[1].split("</table>", 1)[0]
    header = table.split("</tr>", 1)[0]
    assert [cell.split("</th>", 1)[0] for cell in header.split("<th>")[1:]] == ["时间", "事项", "截止日期", "状态"]

    def state(title: str) -> str:
        row = table.split(title, 1)[1].split("</tr>", 1)[0]
        return row.split('data-testid="notice-state">', 1)[1].split("<", 1)[0] + (" 按钮" if "标为已读" in row else "")

    assert state("状态通知甲") == "已读"
    assert state("状态通知乙") == "未读 按钮"


def test_the_per_notice_button_needs_the_csrf_token(orgs, make_member):
    from django.test import Client

    from tenants.reminders.services import notification_create

    owner = make_member(orgs["city"], "office_staff")
    with schema_context(orgs["city"].schema_name):
        notice = notification_create(kind="test", item_key="csrf-1", title="单条通知丁", user_ids=[owner.pk])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.post(f"{CITY}/reminders/{notice.pk}/read/").status_code == 403
    page = browser.get(f"{CITY}/reminders/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.post(f"{CITY}/reminders/{notice.pk}/read/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # positive control: with the page's token
    with schema_context(orgs["city"].schema_name):
        assert notice.reads.filter(user=owner).exists()


def test_a_notice_for_one_person_is_seen_by_that_person_only(orgs, make_member, client):
    from tenants.reminders.services import notification_create

    member, other = make_member(orgs["city"], "team_member"), make_member(orgs["city"], "team_member")
    with schema_context(orgs["city"].schema_name):
        notification_create(
            kind="test", item_key="one", title="只给一人的通知", roles=["team_member"], user_ids=[member.pk]
        )
        notification_create(kind="test", item_key="all", title="给全体组员的通知", roles=["team_member"])
    mine = _notices(client, member, CITY)
    assert "只给一人的通知" in mine and "给全体组员的通知" in mine
    theirs = _notices(client, other, CITY)
    assert "给全体组员的通知" in theirs and "只给一人的通知" not in theirs


def test_a_grant_s_opening_and_ending_are_told_to_the_member_at_home_and_go_when_it_is_revoked(
    orgs, cross_round, client, city_admin, city_access
):
    from shared.grants.models import AccessGrant
    from shared.grants.services import grant_revoke
    from tenants.reminders.services import grant_notices_sync
    from tenants.rounds.services import round_transition

    with schema_context(orgs["city"].schema_name):  # the announcement opens the team's grants
        round_transition(round=cross_round["round"], to_state="announced", actor=city_admin, access=city_access)
    grant = AccessGrant.objects.filter(home_organization=orgs["county_a"], revoked_at__isnull=True).first()
    assert grant is not None, "the cross round's announcement grants the team from 浚县"
    person = grant.user
    with schema_context(orgs["county_a"].schema_name):
        made = grant_notices_sync(organization=orgs["county_a"], today=grant.starts_on)
        assert made["grant_opened"] >= 1
        assert grant_notices_sync(organization=orgs["county_a"], today=grant.starts_on)["grant_opened"] == 0  # once
        grant_notices_sync(organization=orgs["county_a"], today=grant.ends_on)
    page = _notices(client, person, COUNTY)
    assert f"您可于 {_zh(grant.starts_on)} 至 {_zh(grant.ends_on)} 参加鹤壁市的交叉巡察" in page
    assert f"您在鹤壁市交叉巡察的访问权限于 {_zh(grant.ends_on)} 结束" in page
    assert f'href="{CITY}/crossorg/"' in page
    with schema_context(orgs["county_a"].schema_name):
        others = Notification.objects.filter(kind__in=("grant_opened", "grant_ending")).exclude(
            user_ids__contains=[person.pk]
        )
        assert all(person.pk not in notice.user_ids for notice in others)
    grant_revoke(grant=grant, actor=city_admin, reason="测试撤销")
    with schema_context(orgs["county_a"].schema_name):
        grant_notices_sync(organization=orgs["county_a"], today=grant.starts_on)
    page = _notices(client, person, COUNTY)
    assert "您在鹤壁市交叉巡察的访问权限已被撤销" in page  # positive control: the page lists the person's notices
    assert "参加鹤壁市的交叉巡察" not in page and "结束" not in page  # the open and ending notices went


def _announced_grant(orgs, cross_round, city_admin, city_access, capture):
    """The announcement opens the cross round's grants (its window began yesterday); returns the 浚县 member's."""
    from shared.grants.models import AccessGrant
    from tenants.rounds.services import round_transition

    with schema_context(orgs["city"].schema_name), capture(execute=True):
        round_transition(round=cross_round["round"], to_state="announced", actor=city_admin, access=city_access)
    grant = AccessGrant.objects.filter(
        home_organization=orgs["county_a"], revoked_at__isnull=True, user__username="a-member"
    ).first()
    assert grant is not None, "the cross round's announcement grants the team from 浚县"
    return grant


def test_a_grant_is_told_at_once_links_to_its_round_and_the_morning_job_adds_nothing(
    orgs, cross_round, client, city_admin, city_access, make_member, django_capture_on_commit_callbacks
):
    """No waiting for the 07:30 job: the member is told as soon as the announcement commits, the notice leads to the
    round (which their grant opens), and the job that morning tells nothing twice. Nobody else at home sees it."""
    from tenants.reminders.services import grant_notices_sync

    grant = _announced_grant(orgs, cross_round, city_admin, city_access, django_capture_on_commit_callbacks)
    person = grant.user
    page = _notices(client, person, COUNTY)
    assert f"您可于 {_zh(grant.starts_on)} 至 {_zh(grant.ends_on)} 参加鹤壁市的交叉巡察" in page
    link = f"{CITY}/rounds/{grant.round_key}/"
    assert f'href="{link}"' in page
    assert _bell(client, COUNTY) >= 1
    assert client.get(link).status_code == 200  # the link leads where the grant lets the person in
    with schema_context(orgs["county_a"].schema_name):
        before = Notification.objects.filter(kind__startswith="grant_").count()
        made = grant_notices_sync(organization=orgs["county_a"], today=datetime.date.today())
        assert made["grant_opened"] == made["grant_closed"] == made["withdrawn"] == 0
        assert Notification.objects.filter(kind__startswith="grant_").count() == before
    colleague = make_member(orgs["county_a"], "office_staff", clearance=3)
    theirs = _notices(client, colleague, COUNTY)
    assert 'data-testid="notifications"' in theirs and "参加鹤壁市的交叉巡察" not in theirs


def test_a_window_change_that_ends_access_is_told_at_once_and_once(
    orgs, cross_round, client, city_admin, django_capture_on_commit_callbacks, city_access
):
    """The city moves the member's window so that it ended yesterday: the open notice goes and the member is told at
    once that their access is closed (no link: it leads nowhere now); the morning job repeats nothing."""
    from shared.grants.services import grant_change
    from tenants.reminders.services import grant_notices_sync

    grant = _announced_grant(orgs, cross_round, city_admin, city_access, django_capture_on_commit_callbacks)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        grant_change(grant=grant, actor=city_admin, starts_on=yesterday, ends_on=yesterday)
    page = _notices(client, grant.user, COUNTY)
    closed = f"您在鹤壁市交叉巡察的访问权限已关闭（期限：{_zh(yesterday)} 至 {_zh(yesterday)}）"
    assert closed in page
    assert "参加鹤壁市的交叉巡察" not in page
    assert f'href="{CITY}/rounds/{grant.round_key}/"' not in page
    assert client.get(f"{CITY}/rounds/{grant.round_key}/").status_code in (403, 404)
    with schema_context(orgs["county_a"].schema_name):
        assert grant_notices_sync(organization=orgs["county_a"], today=datetime.date.today())["grant_closed"] == 0
        assert Notification.objects.filter(kind="grant_closed", user_ids__contains=[grant.user_id]).count() == 1


def test_mail_is_off_by_default_and_sent_after_commit_when_on(
    orgs, make_member, settings, django_capture_on_commit_callbacks
):
    from tenants.reminders.services import notification_create

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office = make_member(orgs["city"], "office_staff", clearance=Classification.INTERNAL)
    office.email = "staff@example.org"
    office.save(update_fields=["email"])
    cleared = make_member(orgs["city"], "office_admin", clearance=Classification.SECRET)
    cleared.email = "admin@example.org"
    cleared.save(update_fields=["email"])
    with schema_context(orgs["city"].schema_name), django_capture_on_commit_callbacks(execute=True):
        notification_create(kind="test", item_key="mail-off", title="默认不发邮件")
    assert mail.outbox == []
    settings.XUNCHA_NOTIFY_EMAIL = True
    with schema_context(orgs["city"].schema_name), django_capture_on_commit_callbacks(execute=True):
        notification_create(kind="test", item_key="mail-on", title="请及时处理整改事项", link="rectification/")
        notification_create(
            kind="test", item_key="mail-secret", title="秘密事项标题", classification=Classification.SECRET
        )
    ordinary = [message for message in mail.outbox if "请及时处理整改事项" in message.subject]
    assert {tuple(message.to) for message in ordinary} >= {("staff@example.org",), ("admin@example.org",)}
    assert f"{CITY}/rectification/" in ordinary[0].body
    secret = [message for message in mail.outbox if "请及时处理整改事项" not in message.subject]
    assert [tuple(message.to) for message in secret] == [("admin@example.org",)]  # the 内部 person gets none
    assert all("秘密事项标题" not in message.subject + message.body for message in mail.outbox)


def test_the_api_lists_only_what_the_person_may_see_and_marks_read(orgs, make_member, client):
    from tenants.reminders.services import notification_create

    staff = make_member(orgs["city"], "office_staff", clearance=Classification.INTERNAL)
    with schema_context(orgs["city"].schema_name):
        notification_create(kind="test", item_key="api-1", title="内部通知")
        notification_create(kind="test", item_key="api-2", title="秘密通知", classification=Classification.SECRET)
    client.force_login(staff)
    titles = [notice["title"] for notice in client.get(f"{CITY}/api/reminders/notifications/").json()["results"]]
    assert "内部通知" in titles and "秘密通知" not in titles
    marked = client.post(f"{CITY}/api/reminders/notifications/", {"ids": []}, content_type="application/json")
    assert marked.status_code == 200
    client.post(f"{CITY}/api/reminders/notifications/", {}, content_type="application/json")
    assert all(notice["read"] for notice in client.get(f"{CITY}/api/reminders/notifications/").json()["results"])
    access = organization_access(person=staff, organization_id=orgs["city"].pk)
    assert access.clearance == Classification.INTERNAL


def test_a_unit_s_plan_deadline_is_told_to_its_liaison_and_not_to_another_unit_s(client, flow):
    from tenants.reminders.services import reminders_run
    from tests.tenants.workflow import signed_feedback

    with flow.schema():
        feedback = signed_feedback(flow)  # receipt signed 2025-09-26: the plan is due 10 working days later
        reminders_run(today=datetime.date(2026, 1, 5), organization=flow.org)
    page = _notices(client, flow.users["liaison"], CITY)
    assert "市交通运输局党组 整改方案" in page and f'href="{CITY}/rectification/feedback/{feedback.pk}/"' in page
    other = _notices(client, flow.users["other_liaison"], CITY)
    assert 'data-testid="notifications"' in other and "整改方案" not in other
    assert "市交通运输局党组 整改方案" in _notices(client, flow.users["admin"], CITY)  # the office's own stays
