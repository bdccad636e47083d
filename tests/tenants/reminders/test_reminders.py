"""Reminders fire once per due item, across working-day boundaries and days off; overdue items
are escalated from a county to its city through the bus and withdrawn when done."""

import datetime

from django_tenants.utils import schema_context

from sync import inbox
from sync.models import Replica
from tenants.office.models import OfficeSettings
from tenants.reminders.models import Notification, OverdueNotice, ReminderLedger
from tenants.reminders.selectors import due_items
from tenants.reminders.services import reminders_run
from tenants.reports.models import HearingRecord
from tests.tenants.reports.helpers import deliver_all, round_with_targets

D = datetime.date


def _run(orgs, day):
    with schema_context(orgs["county_a"].schema_name):
        return reminders_run(today=day, organization=orgs["county_a"])


def test_the_hearing_deadline_counts_working_days_and_the_office_table(orgs, county_round):
    with schema_context(orgs["county_a"].schema_name):
        items = [item for item in due_items(today=D(2026, 12, 1)) if item.item_type == "hearing"]
    assert [(item.item_key, item.due) for item in items] == [(f"round:{county_round[1].pk}", D(2026, 12, 8))]


def test_a_reminder_fires_once_per_due_item_across_days_off(orgs, county_round):
    fired = {day: _run(orgs, D(2026, 12, day)) for day in range(1, 12)}
    assert [day for day, result in fired.items() if result["due_soon"]] == [3]  # Thu 3 Dec, once
    assert [day for day, result in fired.items() if result["overdue"]] == [9]  # Wed 9 Dec, once
    # running twice on the same day changes nothing
    assert _run(orgs, D(2026, 12, 9)) == {"due_soon": 0, "overdue": 0, "resolved": 0}
    with schema_context(orgs["county_a"].schema_name):
        ledger = list(
            ReminderLedger.objects.values_list("item_type", "kind", "due_date", "fired_on").order_by("fired_on")
        )
        assert ledger == [
            ("hearing", "due_soon", D(2026, 12, 8), D(2026, 12, 3)),
            ("hearing", "overdue", D(2026, 12, 8), D(2026, 12, 9)),
        ]
        kinds = sorted(Notification.objects.values_list("kind", flat=True))
        assert kinds == ["due_soon:hearing", "overdue:hearing"]
        assert set(Notification.objects.get(kind="due_soon:hearing").roles) >= {"leading_group"}


def test_a_moved_deadline_is_a_new_item_to_remind_about(orgs, county_round):
    assert _run(orgs, D(2026, 12, 3))["due_soon"] == 1
    with schema_context(orgs["county_a"].schema_name):
        # on-site work extended by two days: the hearing is now due Thu 10 Dec (Mon 7 is off)
        from tenants.rounds.services import round_update

        round_update(round=county_round[1], onsite_end=D(2026, 12, 4))
    assert _run(orgs, D(2026, 12, 4))["due_soon"] == 0  # window for the 10th starts Tue 8
    assert _run(orgs, D(2026, 12, 8))["due_soon"] == 1
    with schema_context(orgs["county_a"].schema_name):
        assert sorted(ReminderLedger.objects.values_list("due_date", flat=True)) == [D(2026, 12, 8), D(2026, 12, 10)]


def test_overdue_items_escalate_to_the_city_and_are_withdrawn_when_done(orgs, county_round):
    user, round = county_round
    _run(orgs, D(2026, 12, 9))
    with schema_context(orgs["county_a"].schema_name):
        escalation = OverdueNotice.objects.get()
        assert (escalation.item_type, escalation.due_date, escalation.resolved_on) == ("hearing", D(2026, 12, 8), None)
    assert deliver_all(orgs["county_a"], orgs["city"], record_type="reminders.overdue") == [inbox.APPLIED]
    with schema_context(orgs["city"].schema_name):
        notice = Notification.objects.get(kind="county_overdue")
        assert "浚县" in notice.title and "浚县2026年第四轮巡察" in notice.title
        replica = Replica.objects.get(record_type="reminders.overdue", source="410621")
        assert replica.body["resolved_on"] is None
    # the hearing is held: the next run withdraws the escalation
    with schema_context(orgs["county_a"].schema_name):
        HearingRecord.objects.create(
            round=round,
            heard_on=D(2026, 12, 10),
            chaired_by="县委书记",
            attendees="五人小组成员",
            decisions="同意反馈",
            recorded_by=user,
        )
    assert _run(orgs, D(2026, 12, 11))["resolved"] == 1
    deliver_all(orgs["county_a"], orgs["city"], record_type="reminders.overdue")
    with schema_context(orgs["city"].schema_name):
        assert Replica.objects.get(record_type="reminders.overdue", source="410621").body["resolved_on"] == "2026-12-11"
        assert Notification.objects.filter(kind="county_overdue").count() == 1


def test_the_oversight_page_counts_every_open_overdue_item_and_lists_the_earliest_five(client, orgs, make_member):
    """Seven hearings overdue in county A: the city's page says 7 and names the five due first."""
    DAYS = (16, 17, 18, 19, 20, 23, 24)
    user = make_member(orgs["county_a"], "office_admin")
    city_admin = make_member(orgs["city"], "office_admin")
    with schema_context(orgs["county_a"].schema_name):
        OfficeSettings.objects.update_or_create(
            singleton=True, defaults={"hearing_working_days": 3, "hearing_deadline_mode": "working_days"}
        )
        for day in DAYS:  # on site until Mon 16 .. Fri 20, Mon 23, Tue 24 Nov 2026: hearings due 19 .. 27 Nov
            round_with_targets(
                user,
                name=f"浚县第{day}号巡察",
                onsite_start=D(2026, 10, 12),
                onsite_end=D(2026, 11, day),
                state="reporting",
            )
        assert reminders_run(today=D(2026, 12, 10), organization=orgs["county_a"])["overdue"] == 7
    assert deliver_all(orgs["county_a"], orgs["city"], record_type="reminders.overdue") == [inbox.APPLIED] * 7
    client.force_login(city_admin)
    page = client.get(f"{orgs['city'].route}reports/oversight/?year=2026").content.decode()
    row = page[page.index('data-county="410621"') :]
    row = row[: row.index("</tr>")]
    assert 'data-testid="overdue" class="status-red">7<' in row and "仅列出最早的 5 项" in row
    assert [f"浚县第{day}号巡察" in row for day in DAYS] == [True] * 5 + [False] * 2


def test_a_city_is_reminded_to_file_its_annual_plan_and_summary(orgs):
    with schema_context(orgs["city"].schema_name):
        # due Thu 31 Jan 2030; three working days before it is Mon 28 Jan (Fri 25 is one too early)
        assert reminders_run(today=D(2030, 1, 25), organization=orgs["city"])["due_soon"] == 0
        assert reminders_run(today=D(2030, 1, 28), organization=orgs["city"])["due_soon"] == 2
        assert reminders_run(today=D(2030, 1, 29), organization=orgs["city"])["due_soon"] == 0
        titles = sorted(Notification.objects.filter(kind__endswith="_filing").values_list("kind", "item_key"))
        assert titles == [
            ("due_soon:annual_plan_filing", "2030@2030-01-31"),
            ("due_soon:annual_summary_filing", "2029@2030-01-31"),
        ]
        # a city's own overdue items are not sent to the province (it receives filings only)
        reminders_run(today=D(2030, 2, 4), organization=orgs["city"])
        from sync.models import OutboxMessage

        assert not OutboxMessage.objects.filter(record_type="reminders.overdue").exists()
        assert OverdueNotice.objects.filter(item_type__endswith="_filing").count() == 2


def test_rectification_transfer_and_quarterly_clue_deadlines_are_due_items(orgs, make_member):
    from tenants.agencies.models import Agency
    from tenants.findings.models import Clue
    from tenants.rectification.models import Feedback, Submission
    from tenants.transfers.models import Transfer

    user = make_member(orgs["county_b"], "office_admin")
    with schema_context(orgs["county_b"].schema_name):
        round, targets = round_with_targets(user, name="淇县第二轮", onsite_start=D(2027, 3, 1), state="rectification")
        feedback = Feedback.objects.create(
            round=round,
            target=targets[0],
            leadership_content="…",
            principal_content="…",
            created_by=user,
            plan_due=D(2027, 6, 15),
            report_due=D(2027, 8, 16),
        )
        agency = Agency.objects.create(name="县纪委监委（测试）", kind="discipline")
        clue = Clue.objects.create(
            round=round, target=targets[1], summary="机密线索内容", classification=3, created_by=user
        )
        transfer = Transfer.objects.create(
            round=round,
            transfer_type="discipline_clue",
            agency=agency,
            clue=clue,
            status="handed_over",
            feedback_due=D(2027, 9, 1),
            created_by=user,
        )
        items = {item.item_type: item for item in due_items(today=D(2027, 6, 1))}
        assert items["rectification_plan"].due == D(2027, 6, 15)
        assert items["rectification_report"].due == D(2027, 8, 16)
        assert items["transfer_feedback"].due == D(2027, 9, 1)
        assert items["transfer_feedback"].item_key == f"transfer:{transfer.pk}"
        # Q2 2027 ends Wed 30 June, a working day
        assert (items["clue_feedback"].item_key, items["clue_feedback"].due) == ("2027-Q2", D(2027, 6, 30))
        assert all("机密线索内容" not in item.label for item in items.values())
        # the plan submitted: no longer due
        Submission.objects.create(
            feedback=feedback, kind="plan", content="整改方案", submitted_on=D(2027, 6, 10), submitted_by=user
        )
        assert "rectification_plan" not in {item.item_type for item in due_items(today=D(2027, 6, 11))}
