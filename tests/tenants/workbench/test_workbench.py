"""The 工作台 on the home page (and its API), per role: what is overdue or due this week with its light, what waits
for the person, their rounds and units; each item a link; counts on the module cards; clearance; a fixed cost."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shared.accounts.models import Classification
from tests.tenants.walk import round_walk
from tests.tenants.workflow import API, WEB, clue_transfer, items_due, signed_feedback

pytestmark = pytest.mark.django_db


def _items(flow, feedback, *dues, task="修订议事规则"):
    return items_due(actor=flow.users["admin"], access=flow.access("admin"), feedback=feedback, dues=dues, task=task)


def _home(client, flow, who):
    client.force_login(flow.users[who])
    response = client.get(f"{WEB}/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html, name):
    """The text of one section of the workbench (its heading to the end of its list)."""
    match = re.search(rf'data-testid="section-{name}".*?</ul>', html, re.S)
    return match.group(0) if match else ""


def _count(html, testid):
    return int(re.search(rf'data-testid="{testid}">(\d+)<', html).group(1))


def test_office_sees_overdue_and_due_with_lights_and_verification_waiting_with_card_counts(client, flow):
    from tenants.rectification.services import item_submit_evidence

    today = timezone.localdate()
    with flow.schema():
        feedback = signed_feedback(flow)
        overdue, due_today, later = _items(
            flow, feedback, today - datetime.timedelta(days=3), today, today + datetime.timedelta(days=40)
        )
        item_submit_evidence(
            actor=flow.users["liaison"], access=flow.access("liaison"), item=later, evidence="制度文件"
        )
    html = _home(client, flow, "admin")
    feedback_url = f"{WEB}/rectification/feedback/{feedback.pk}/"
    overdue_section, due_section = _section(html, "overdue"), _section(html, "due")
    assert "修订议事规则1" in overdue_section and "light-row-red" in overdue_section
    assert "修订议事规则2" in due_section and "light-row-yellow" in due_section  # within the office's 7 days
    assert "修订议事规则3" not in overdue_section + due_section  # due in 40 days: not work for this week
    assert f'href="{feedback_url}"' in overdue_section
    waiting = _section(html, "waiting")
    assert "核验" in waiting and "修订议事规则3" in waiting
    assert _count(html, "lights-yellow") == 1
    assert _count(html, "lights-red") >= 1
    # The unit's plan and report, due after the receipt signed in 2025, are overdue too.
    assert "市交通运输局党组 整改方案" in overdue_section and "市交通运输局党组 整改情况报告" in overdue_section
    # The card of 反馈·整改 counts what leads into it: two items' deadlines, the verification, the plan, the report.
    card = re.search(r'href="[^"]*/rectification/" data-testid="card">.*?</a>', html, re.S).group(0)
    assert "5 项待办" in card
    # Every card carries its count: one with nothing leading into it says so (positive control: the card above).
    experts = re.search(r'href="[^"]*/experts/" data-testid="card">.*?</a>', html, re.S).group(0)
    assert 'data-testid="card-count"' in experts and "无待办" in experts and "项待办" not in experts


def test_yellow_follows_the_office_threshold(client, flow):
    from tenants.rectification.services import thresholds_update

    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    with flow.schema():
        _items(flow, signed_feedback(flow), today, week_end)
        thresholds_update(access=flow.access("admin"), yellow_within_days=0)
    client.force_login(flow.users["admin"])
    data = client.get(f"{API}/workbench/").json()
    lights = {item["title"]: item["light"] for item in data["items"] if item["section"] == "due"}
    # At 0 days only what is due today is yellow; the end of the week is green (yellow too on a Sunday: it is today).
    assert lights["整改任务：修订议事规则1（市交通运输局党组）"] == "yellow"
    assert lights["整改任务：修订议事规则2（市交通运输局党组）"] == ("green" if week_end > today else "yellow")


def test_liaison_sees_its_units_items_and_plan_deadline_and_another_liaison_does_not(client, flow):
    today = timezone.localdate()
    with flow.schema():
        feedback = signed_feedback(flow)
        _items(flow, feedback, today)
    html = _home(client, flow, "liaison")
    assert "修订议事规则1" in _section(html, "due")
    assert "市交通运输局党组" in html  # the plan and report its unit owes (their dates are in 2025: overdue)
    assert "整改方案" in _section(html, "overdue")
    assert f"{WEB}/rectification/feedback/{feedback.pk}/" in html
    other = _home(client, flow, "other_liaison")
    assert 'data-testid="workbench"' in other and "workbench-empty" in other  # positive control: the empty bench
    assert "修订议事规则1" not in other and "市交通运输局党组" not in other


def test_team_sees_its_rounds_window_and_units_and_another_leader_only_theirs(client, flow):
    html = _home(client, flow, "leader")
    mine = _section(html, "mine")
    assert "市委第一轮巡察" in mine and "第一巡察组" in mine and "市交通运输局党组" in mine
    assert f'href="{WEB}/rounds/{flow.round.pk}/"' in mine
    other = _section(_home(client, flow, "outsider_leader"), "mine")
    assert "市委第二轮巡察" in other and "2025年4月7日" in other  # positive control: their round, with its window
    assert "市委第一轮巡察" not in other and "市交通运输局党组" not in other


def test_the_workbench_writes_its_dates_as_every_zh_hans_page_does_not_iso(client, flow):
    today = timezone.localdate()
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    html = _home(client, flow, "outsider_leader")
    zh = f"{week_end.year}年{week_end.month}月{week_end.day}日"
    assert f"(本周截至 {zh})" in html  # Django's DATE_FORMAT for zh-hans, 'Y年n月j日'
    assert week_end.isoformat() not in html
    mine = _section(html, "mine")
    assert "进驻 2025年4月7日 至" in mine and "2025-04-07" not in mine  # the round's on-site window


def test_leading_group_sees_hearings_and_plans_waiting_for_a_decision(client, flow):
    from tenants.planning.services import plan_create, plan_submit

    with flow.schema():
        round_walk(flow.other_round, "hearing", office=flow.users["admin"], office_access=flow.access("admin"))
        plan_submit(plan=plan_create(kind="annual", actor=flow.users["admin"], title="2027年度巡察计划", year=2027))
    html = _home(client, flow, "viewer")
    waiting = _section(html, "waiting")
    assert "市委第二轮巡察" in waiting and "2027年度巡察计划" in waiting
    assert f'href="{WEB}/rounds/{flow.other_round.pk}/"' in waiting
    # The hearing's deadline (back from site on 2025-05-09) is overdue for the leading group too.
    assert "市委第二轮巡察" in _section(html, "overdue")
    member = _home(client, flow, "member")  # a team member decides nothing
    assert "2027年度巡察计划" not in member and "市委第一轮巡察" in _section(member, "mine")


def test_agency_sees_the_hand_over_to_sign_and_another_agency_does_not(client, flow):
    with flow.schema():
        transfer = clue_transfer(flow)
    html = _home(client, flow, "discipline_receiver")
    assert f"No. {transfer.pk}" in _section(html, "waiting") or f"{transfer.pk} 号" in _section(html, "waiting")
    assert f'href="{WEB}/transfers/"' in _section(html, "waiting")
    other = _home(client, flow, "org_receiver")
    assert "workbench-empty" in other and "接收单位" not in _section(other, "waiting")


def test_a_deadline_above_the_clearance_shows_only_that_something_is_due(client, flow):
    from tenants.crossorg.services import round_reclassify

    with flow.schema():
        round_reclassify(round=flow.other_round, classification=Classification.CONFIDENTIAL, actor=flow.users["admin"])
    cleared = _section(_home(client, flow, "admin"), "overdue")
    assert "市委第二轮巡察" in cleared  # positive control: the cleared admin reads the hearing's deadline
    html = _home(client, flow, "staff_internal")
    overdue = _section(html, "overdue")
    assert "一项待办" in overdue and "市委第二轮巡察" not in html
    assert f"/rounds/{flow.other_round.pk}/" not in overdue


def test_the_api_gives_the_same_items_and_module_counts(client, flow):
    today = timezone.localdate()
    with flow.schema():
        _items(flow, signed_feedback(flow), today)
    client.force_login(flow.users["liaison"])
    data = client.get(f"{API}/workbench/").json()
    due = [item for item in data["items"] if item["section"] == "due"]
    assert [item["title"] for item in due] == ["整改任务：修订议事规则1（市交通运输局党组）"]
    assert due[0]["light"] == "yellow" and due[0]["due"] == today.isoformat()
    modules = {module["url"]: module["count"] for module in data["modules"]}
    assert modules[f"{WEB}/rectification/"] >= 1


def test_the_administrators_get_no_workbench(client, flow, make_member):
    admin = make_member(flow.org, "system_admin")
    client.force_login(admin)
    html = client.get(f"{WEB}/").content.decode()
    assert 'data-testid="org-home-title"' in html and 'data-testid="workbench"' not in html
    assert client.get(f"{API}/workbench/").status_code == 403


@pytest.mark.parametrize("who", ["admin", "liaison", "leader", "discipline_receiver", "viewer"])
def test_the_workbench_costs_the_same_with_more_rows(client, flow, who):
    def cost():
        client.force_login(flow.users[who])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{WEB}/").status_code == 200
        return len(queries)

    today = timezone.localdate()
    with flow.schema():
        feedback = signed_feedback(flow)
        _items(flow, feedback, today, today - datetime.timedelta(days=1))
        clue_transfer(flow)
    cost()  # the first request also makes the session and the office's settings rows
    before = cost()
    with flow.schema():
        _items(flow, feedback, today, today, today - datetime.timedelta(days=2), task="建立台账")
        clue_transfer(flow)
    assert cost() == before


def test_the_province_sees_the_filings_waiting_for_its_answer(client, orgs, make_member):
    from django_tenants.utils import schema_context

    from tenants.reports.models import FilingReceipt
    from tenants.reports.services import filing_decide, filing_submit
    from tests.tenants.reports.helpers import approved_annual_plan
    from tests.tenants.reports.helpers import deliver_all as hop

    city_user = make_member(orgs["city"], "office_admin")
    province_user = make_member(orgs["province"], "office_admin", clearance=Classification.SECRET)
    with schema_context(orgs["city"].schema_name):
        filings = [
            filing_submit(
                kind="annual_plan",
                subject_id=approved_annual_plan(city_user, year=year).pk,
                actor=city_user,
                organization=orgs["city"],
            )
            for year in (2033, 2034)
        ]
    hop(orgs["city"], orgs["province"], record_type="reports.filing")
    with schema_context(orgs["province"].schema_name):
        answered = FilingReceipt.objects.get(source_code="410600", filing_key=filings[1].key)
        filing_decide(receipt=answered, status="acknowledged", comment="", actor=province_user)
    client.force_login(province_user)
    html = client.get("/org/410000/").content.decode()
    waiting = _section(html, "waiting")
    assert "待办理备案：2033年度巡察工作计划（鹤壁市）" in waiting
    assert f'href="/org/410000/reports/inbox/410600/{filings[0].key}/"' in waiting
    assert "2034年度巡察工作计划" not in waiting  # answered: no longer waiting
    card = re.search(r'href="/org/410000/reports/inbox/" data-testid="card">.*?</a>', html, re.S).group(0)
    assert "1 项待办" in card
    # The viewer reads the filings but answers none: the same filing is a new arrival there, not a to-do.
    client.force_login(make_member(orgs["province"], "province_viewer"))
    html = client.get("/org/410000/").content.decode()
    assert _section(html, "waiting") == "" and "待办理备案" not in html
    assert "新到：2033年度巡察工作计划 · 鹤壁市" in _section(html, "arrived")
    card = re.search(r'href="/org/410000/reports/inbox/" data-testid="card">.*?</a>', html, re.S).group(0)
    assert "无待办" in card
