"""A county's live figures (reports.live_statistics): re-published after each transaction that moves them,
one outbox row per county per transaction, counts only, and re-sent by the nightly pass."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from sync.models import OutboxMessage, Replica, SharedCopy
from sync.policy import LIVE_STATISTICS_FIELDS, OrgRef, decide
from tests.tenants.reports.helpers import deliver_all
from tests.tenants.workflow import items_due, make_finding, signed_feedback

LIVE = "reports.live_statistics"
COUNTY, CITY, OTHER_COUNTY, PROVINCE = (
    OrgRef("410621", "county", "410600"),
    OrgRef("410600", "city", "410000"),
    OrgRef("410622", "county", "410600"),
    OrgRef("410000", "province", None),
)
FIGURES = {
    "rounds_by_state": {"feedback": 1, "on_site": 1},
    "coverage": {"cycle_start": "2021-12-02", "cycle_years": 5, "targets_total": 2, "targets_covered": 1},
    "items_by_light": {"red": 1, "yellow": 1, "green": 2},
    "items_total": 4,
    "items_closed": 1,
    "overdue": {"items": 1, "transfers": 0},
    "transfers_by_state": {"awaiting": 1},
    "trend": {"2026-11": {"findings": 0, "closed": 0}, "2026-12": {"findings": 2, "closed": 1}},
    "classification": 1,
}


@pytest.mark.parametrize(
    ("source", "destination", "change", "allowed"),
    [
        (COUNTY, CITY, {}, True),  # up, to its own city
        (CITY, COUNTY, {}, False),  # never down
        (CITY, PROVINCE, {}, False),  # the province receives filings only
        (COUNTY, OTHER_COUNTY, {}, False),  # not parent and child
        (COUNTY, PROVINCE, {}, False),
        (COUNTY, CITY, {"classification": 3}, False),  # 机密 never leaves
        (COUNTY, CITY, {"rounds_by_state": {"浚县第一轮巡察": 1}}, False),  # a name as a key
        (COUNTY, CITY, {"trend": {"2026-12": {"findings": "两项"}}}, False),  # a text as a value
        (COUNTY, CITY, {"overdue": {"items": -1, "transfers": 0}}, False),
        (COUNTY, CITY, {"items_total": True}, False),
        (COUNTY, CITY, {"coverage": {"cycle_start": "第一届", "targets_total": 2}}, False),
        (COUNTY, CITY, {"transfers_by_state": ["awaiting"]}, False),
    ],
)
def test_the_policy_lets_only_a_countys_counts_up_to_its_city(source, destination, change, allowed):
    decision = decide(record_type=LIVE, record={**FIGURES, **change}, source=source, destination=destination)
    assert decision.allowed is allowed, decision.reason
    if allowed:
        assert decision.fields == frozenset(LIVE_STATISTICS_FIELDS)


def test_a_field_beyond_the_figures_is_not_projected():
    from sync.policy import project

    record = {**FIGURES, "round_names": ["浚县第一轮巡察"], "note": "某局长"}
    decision = decide(record_type=LIVE, record=record, source=COUNTY, destination=CITY)
    assert decision.allowed
    assert set(project(record, decision)) == set(FIGURES)


def _live_rows(county):
    with schema_context(county.schema_name):
        return list(OutboxMessage.objects.filter(record_type=LIVE).order_by("id"))


def test_the_figures_the_services_moved_reach_the_city_after_the_commit(
    county_flow, orgs, django_capture_on_commit_callbacks
):
    flow, county, city, today = county_flow, orgs["county_a"], orgs["city"], timezone.localdate()
    admin, access = flow.users["admin"], flow.access("admin")
    before = len(_live_rows(county))
    # one transaction: two findings, a feedback and four items
    with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_finding(flow)
        make_finding(flow, title="台账不全")
        feedback = signed_feedback(flow)
        dues = [today - datetime.timedelta(days=2), today + datetime.timedelta(days=3)]
        dues += [today + datetime.timedelta(days=30), today + datetime.timedelta(days=40)]
        items = items_due(actor=admin, access=access, feedback=feedback, dues=dues)
    rows = _live_rows(county)
    assert len(rows) == before + 1  # one row for the whole transaction
    from tenants.rectification.services import item_submit_evidence, item_verify

    with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True):
        item = item_submit_evidence(
            actor=flow.users["liaison"], access=flow.access("liaison"), item=items[3], evidence="制度文本"
        )
    assert len(_live_rows(county)) == before + 1  # evidence moves no figure: nothing is sent
    with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True):
        item_verify(actor=admin, access=access, item=item, accept=True)
    rows = _live_rows(county)
    assert len(rows) == before + 2 and rows[-1].version == rows[-2].version + 1
    body = rows[-1].body
    month = today.strftime("%Y-%m")
    assert body["rounds_by_state"] == {"feedback": 1, "on_site": 1}
    assert body["items_by_light"] == {"red": 1, "yellow": 1, "green": 2}
    assert (body["items_total"], body["items_closed"]) == (4, 1)
    assert body["overdue"] == {"items": 1, "transfers": 0}
    assert body["transfers_by_state"] == {}
    assert body["trend"][month] == {"findings": 2, "closed": 1}
    assert len(body["trend"]) == 12 and sum(m["findings"] for m in body["trend"].values()) == 2
    # two units; the round in feedback inspected its unit, the one on site not yet
    assert (body["coverage"]["targets_total"], body["coverage"]["targets_covered"]) == (2, 1)
    assert set(body) == set(LIVE_STATISTICS_FIELDS)
    assert "整改" not in str(body) and "台账" not in str(body)  # no text of a case travels
    deliver_all(county, city, record_type=LIVE)
    with schema_context(city.schema_name):
        replica = Replica.objects.get(record_type=LIVE, source=county.code, record_key="current")
    assert replica.version == rows[-1].version and replica.body["items_by_light"]["red"] == 1


def test_a_save_that_moves_nothing_or_is_rolled_back_sends_nothing(
    county_flow, orgs, django_capture_on_commit_callbacks
):
    flow = county_flow
    county = orgs["county_a"]
    with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True):
        make_finding(flow)
    before = len(_live_rows(county))
    assert before >= 1
    with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True) as callbacks:
        flow.round.save()  # saved, no figure changed: the city already holds these figures
    assert len(callbacks) == 1 and len(_live_rows(county)) == before
    with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                make_finding(flow, title="回滚的问题")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and len(_live_rows(county)) == before


def test_a_city_publishes_no_live_figures(orgs, make_member, django_capture_on_commit_callbacks):
    from tests.tenants.reports.helpers import round_with_targets

    city = orgs["city"]
    user = make_member(city, "office_admin")
    with schema_context(city.schema_name), django_capture_on_commit_callbacks(execute=True):
        round_with_targets(user, name="市委第九轮巡察")
    assert _live_rows(city) == []


def test_the_nightly_pass_sends_the_figures_again_and_what_the_date_changed(
    county_flow, orgs, django_capture_on_commit_callbacks
):
    from tenants.reports.services import live_statistics_refresh

    flow, county, city, today = county_flow, orgs["county_a"], orgs["city"], timezone.localdate()
    admin, access = flow.users["admin"], flow.access("admin")
    with schema_context(county.schema_name), django_capture_on_commit_callbacks(execute=True):
        items_due(actor=admin, access=access, feedback=signed_feedback(flow), dues=[today + datetime.timedelta(days=1)])
    last = _live_rows(county)[-1]
    assert last.body["items_by_light"] == {"red": 0, "yellow": 1, "green": 0}
    with schema_context(county.schema_name):
        assert live_statistics_refresh(organization=county) == 1  # unchanged: the same copy again
    again = _live_rows(county)[-1]
    assert (again.pk != last.pk, again.version, again.body) == (True, last.version, last.body)
    with schema_context(county.schema_name):  # two days later the item is past due
        assert live_statistics_refresh(organization=county, today=today + datetime.timedelta(days=2)) == 1
    later = _live_rows(county)[-1]
    assert later.version == last.version + 1 and later.body["items_by_light"] == {"red": 1, "yellow": 0, "green": 0}
    assert [verdict for verdict in deliver_all(county, city, record_type=LIVE)][-1] == "applied"
    with schema_context(city.schema_name):
        assert Replica.objects.get(record_type=LIVE, source=county.code).body["overdue"]["items"] == 1
    with schema_context(county.schema_name):
        assert SharedCopy.objects.get(record_type=LIVE, destination=city.code).version == later.version


def test_the_nightly_pass_is_scheduled_for_the_counties():
    entry = settings.CELERY_BEAT_SCHEDULE["live-statistics-refresh-nightly"]
    assert entry["task"] == "xuncha.fan_out"
    assert entry["args"] == ("reports.live_statistics_refresh", ["county"])
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})


def test_the_units_and_the_transfers_are_each_counted_in_one_statement(county_flow, orgs):
    """The figures are read after every committing transaction that moves one (issue 14): the units' total and
    covered count come from one statement, the transfers by state and those past due from one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenants.reports.live import live_snapshot

    county = orgs["county_a"]
    with schema_context(county.schema_name), CaptureQueriesContext(connection) as captured:
        body = live_snapshot(organization=county)
    assert body["coverage"]["targets_total"] >= 1  # the flow's units are counted (the figures are read at all)
    for table in ('FROM "targets_target"', 'FROM "transfers_transfer"'):
        assert sum(table in query["sql"] for query in captured.captured_queries) == 1, table
