"""The flows on main's domain models: plans and rounds (in process; the transports are covered
by test_bus.py / test_embedded.py)."""

import datetime

import pytest
from django_tenants.utils import schema_context

from shared.accounts.models import Role
from sync import inbox
from sync.models import OutboxMessage, Replica
from sync.relay import message_encode
from tenants.planning.services import plan_create, plan_decide, plan_submit
from tenants.rounds.services import round_create, round_update


def _rows(org, record_type, key):
    with schema_context(org.schema_name):
        return list(OutboxMessage.objects.filter(record_type=record_type, record_key=str(key)).order_by("id"))


def _approved(org, user, kind, **fields):
    with schema_context(org.schema_name):
        plan = plan_create(kind=kind, actor=user, **fields)
        plan_submit(plan=plan)
        plan_decide(plan=plan, decision="approved", actor=user)
        return plan


@pytest.fixture
def city_admin(orgs, make_member):
    return make_member(orgs["city"], Role.OFFICE_ADMIN)


def test_a_draft_plan_stays_in_the_office(orgs, city_admin):
    with schema_context(orgs["city"].schema_name):
        plan = plan_create(kind="annual", actor=city_admin, title="2027年度巡察计划", year=2027)
        plan_submit(plan=plan)
    assert _rows(orgs["city"], "planning.annual_plan", plan.pk) == []


def test_an_approved_city_plan_goes_down_to_the_counties_and_up_to_the_province(orgs, city_admin):
    plan = _approved(orgs["city"], city_admin, "annual", title="2027年度巡察计划", year=2027, content="安排")
    rows = _rows(orgs["city"], "planning.annual_plan", plan.pk)
    assert sorted(row.destination for row in rows) == ["410000", "410611", "410621", "410622"]
    county_row = next(row for row in rows if row.destination == "410621")
    with schema_context(orgs["city"].schema_name):
        raw = message_encode(row=county_row, source_code="410600")
    assert inbox.message_receive(receiver=orgs["county_a"], raw=raw).outcome == inbox.APPLIED
    with schema_context(orgs["county_a"].schema_name):
        replica = Replica.objects.get(record_type="planning.annual_plan", source="410600", record_key=str(plan.pk))
        assert (replica.body["year"], replica.body["status"]) == (2027, "approved")


def test_an_approved_county_plan_goes_up_to_its_city_only(orgs, make_member):
    admin = make_member(orgs["county_b"], Role.OFFICE_ADMIN)
    plan = _approved(orgs["county_b"], admin, "annual", title="淇县2027年度计划", year=2027)
    assert [row.destination for row in _rows(orgs["county_b"], "planning.annual_plan", plan.pk)] == ["410600"]


def test_an_approved_phase_schedule_is_shared_as_a_filing_and_down(orgs, city_admin):
    annual = _approved(orgs["city"], city_admin, "annual", title="2028年度计划", year=2028)
    with schema_context(orgs["city"].schema_name):
        schedule = _approved(
            orgs["city"],
            city_admin,
            "phase",
            title="第一阶段",
            annual_plan=annual,
            start_date=datetime.date(2028, 3, 1),
            end_date=datetime.date(2028, 5, 1),
        )
    rows = _rows(orgs["city"], "planning.phase_schedule", schedule.pk)
    assert sorted(row.destination for row in rows) == ["410000", "410611", "410621", "410622"]
    assert rows[0].body["start_date"] == "2028-03-01"


def test_a_city_round_schedule_goes_down_without_progress_figures(orgs, city_admin):
    with schema_context(orgs["city"].schema_name):
        round = round_create(
            name="2027年第一轮巡察",
            kind="regular",
            actor=city_admin,
            onsite_start=datetime.date(2027, 3, 1),
            onsite_end=datetime.date(2027, 4, 10),
        )
    rows = _rows(orgs["city"], "rounds.round", round.pk)
    assert sorted(row.destination for row in rows) == ["410000", "410611", "410621", "410622"]
    down = next(row for row in rows if row.destination == "410621")
    assert down.body["start_date"] == "2027-03-01" and "targets_count" not in down.body
    with schema_context(orgs["city"].schema_name):
        round_update(round=round, name="2027年第一轮巡察（调整）")
    assert {row.version for row in _rows(orgs["city"], "rounds.round", round.pk)} == {1, 2}


def test_a_county_round_reports_progress_to_its_city(orgs, make_member):
    admin = make_member(orgs["county_a"], Role.OFFICE_ADMIN)
    with schema_context(orgs["county_a"].schema_name):
        round = round_create(name="浚县第一轮", kind="special", actor=admin, topic="惠民资金")
    rows = _rows(orgs["county_a"], "rounds.round", round.pk)
    assert [row.destination for row in rows] == ["410600"]
    assert rows[0].body["targets_count"] == 0 and rows[0].body["kind"] == "special"
