"""Text the platform writes and keeps (a filing's title, a notification, an overdue item's label sent up to
the city) is in the office's language (zh-hans), whatever language the request or the worker that wrote it
was in (issue 10): the city files from a browser that asks for English, the bus and the reminder job run in
an English locale, and every reader in Chinese still sees Chinese."""

import datetime

from django.utils import translation
from django_tenants.utils import schema_context

from sync import inbox
from tenants.office.models import OfficeSettings
from tenants.reminders.services import reminders_run
from tenants.reports.models import Filing, FilingReceipt

from .helpers import deliver_all, round_with_targets

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_a_round_summary_filed_from_an_english_browser_reaches_the_province_with_a_chinese_title(
    client, orgs, make_member
):
    from tenants.reports.services import filing_decide

    city_admin = make_member(orgs["city"], "office_admin", clearance=2)
    province_admin = make_member(orgs["province"], "office_admin")
    with schema_context(orgs["city"].schema_name):
        round, _targets = round_with_targets(city_admin, name="鹤壁市第七轮巡察")
    client.force_login(city_admin)
    response = client.post(
        f"{orgs['city'].route}reports/filings/new/",
        {"subject": f"round_summary:{round.pk}", "period": "", "note": ""},
        **ENGLISH,
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    with schema_context(orgs["city"].schema_name):
        filing = Filing.objects.get(subject=f"round:{round.pk}")
    assert filing.title == "鹤壁市第七轮巡察工作总结"
    with translation.override("en"):  # the consumer at the province
        assert deliver_all(orgs["city"], orgs["province"], record_type="reports.filing") == [inbox.APPLIED]
    client.force_login(province_admin)
    page = client.get(f"{orgs['province'].route}reports/inbox/", **CHINESE).content.decode()
    assert "鹤壁市第七轮巡察工作总结" in page and "Summary of" not in page

    with schema_context(orgs["province"].schema_name):
        receipt = FilingReceipt.objects.get(filing_key=filing.key)
        filing_decide(receipt=receipt, status="returned", comment="请补充发现问题", actor=province_admin)
    with translation.override("en"):  # the consumer back at the city writes the notification
        outcomes = deliver_all(orgs["province"], orgs["city"], record_type="reports.filing_receipt")
    assert outcomes == [inbox.APPLIED, inbox.APPLIED]  # received, then returned
    client.force_login(city_admin)
    reminders = client.get(f"{orgs['city'].route}reminders/", **CHINESE).content.decode()
    assert "省委巡视办退回了“鹤壁市第七轮巡察工作总结”" in reminders
    assert "The province returned" not in reminders


def test_overdue_items_found_by_a_job_in_an_english_locale_reach_the_city_in_chinese(client, orgs, make_member):
    """County A's hearing of a round that left the site on Mon 16 Nov 2026 was due 3 working days later
    (Thu 19 Nov); the reminder job finds it overdue and sends it up; the city's pages read it."""
    county_admin = make_member(orgs["county_a"], "office_admin")
    city_admin = make_member(orgs["city"], "office_admin")
    with schema_context(orgs["county_a"].schema_name):
        OfficeSettings.objects.update_or_create(
            singleton=True, defaults={"hearing_working_days": 3, "hearing_deadline_mode": "working_days"}
        )
        round_with_targets(
            county_admin,
            name="浚县2026年第五轮巡察",
            onsite_start=datetime.date(2026, 10, 12),
            onsite_end=datetime.date(2026, 11, 16),
            state="reporting",
        )
        with translation.override("en"):
            assert reminders_run(today=datetime.date(2026, 12, 10), organization=orgs["county_a"])["overdue"] == 1
    client.force_login(county_admin)
    county_page = client.get(f"{orgs['county_a'].route}reminders/", **CHINESE).content.decode()
    assert "2026年11月19日 起逾期：浚县2026年第五轮巡察 领导小组听取汇报" in county_page
    with translation.override("en"):
        assert deliver_all(orgs["county_a"], orgs["city"], record_type="reminders.overdue") == [inbox.APPLIED]

    client.force_login(city_admin)
    oversight = client.get(f"{orgs['city'].route}reports/oversight/?year=2026", **CHINESE).content.decode()
    row = oversight[oversight.index('data-county="410621"') :]
    row = row[: row.index("</tr>")]
    assert "浚县2026年第五轮巡察 领导小组听取汇报" in row and "hearing of" not in row
    reminders = client.get(f"{orgs['city'].route}reminders/", **CHINESE).content.decode()
    assert "浚县 2026年11月19日 起逾期：浚县2026年第五轮巡察 领导小组听取汇报" in reminders
    assert "overdue since" not in reminders.lower()
