"""Summaries are generated from the records and equal counts computed independently here; the
county part comes from the statistics the counties sent up (replicas), never from their schemas."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from sync import inbox
from sync.models import Replica
from tenants.reports import summaries
from tenants.reports.services import statistics_send_up

from .helpers import deliver_all, round_with_targets

D = datetime.date


def test_periods_are_years_quarters_and_months():
    assert summaries.period_bounds("2026") == (D(2026, 1, 1), D(2026, 12, 31))
    assert summaries.period_bounds("2029-Q3") == (D(2029, 7, 1), D(2029, 9, 30))
    assert summaries.period_bounds("2026-12") == (D(2026, 12, 1), D(2026, 12, 31))
    for bad in ("", "26", "2026-Q5", "2026-13", "2026-1", "2026; drop"):
        with pytest.raises(ValidationError):
            summaries.period_bounds(bad)


@pytest.fixture
def city_and_counties(orgs, make_member):
    """The city runs two rounds in 2029 (one in Q1, one in Q3) and one in 2028; county A one round
    in 2029 Q1 sent up; county B sent nothing; county C sent 2028 only. (Years the demo data does not
    use: the demo test commits its seed into the same test database.)"""
    world = {}
    for key, rounds in (
        ("city", [(D(2029, 3, 2), 3), (D(2029, 8, 3), 2), (D(2028, 9, 1), 4)]),
        ("county_a", [(D(2029, 2, 16), 3)]),
        ("county_c", [(D(2028, 5, 5), 1)]),
    ):
        user = make_member(orgs[key], "office_admin")
        with schema_context(orgs[key].schema_name):
            world[key] = [round_with_targets(user, onsite_start=start, targets=targets) for start, targets in rounds]
    for key, period in (("county_a", "2029"), ("county_a", "2029-Q1"), ("county_c", "2028")):
        with schema_context(orgs[key].schema_name):
            statistics_send_up(organization=orgs[key], period=period)
        deliver_all(orgs[key], orgs["city"], record_type="reports.statistics")
    return world


def test_round_and_period_counts_equal_an_independent_count(orgs, city_and_counties):
    with schema_context(orgs["city"].schema_name):
        first_round, first_targets = city_and_counties["city"][0]
        assert summaries.round_summary(round_id=first_round.pk).targets_covered == len(first_targets) == 3
        year = summaries.period_summary(period="2029")
        assert (year.rounds, year.targets_covered) == (2, 3 + 2)
        q3 = summaries.period_summary(period="2029-Q3")
        assert (q3.rounds, q3.targets_covered) == (1, 2)
        assert summaries.period_summary(period="2029-Q2").rounds == 0
        rounds = [round for round, _targets in city_and_counties["city"]]
        by_round = summaries.summaries_by_round(round_ids=[round.pk for round in rounds])
        assert [(by_round[r.pk].rounds, by_round[r.pk].targets_covered, by_round[r.pk].findings) for r in rounds] == [
            (1, 3, 0),
            (1, 2, 0),
            (1, 4, 0),
        ]


def test_the_city_with_its_counties_adds_what_the_counties_sent(orgs, city_and_counties):
    with schema_context(orgs["city"].schema_name):
        combined = summaries.combined_period_summary(organization=orgs["city"], period="2029")
        parts = {part.code: part for part in combined.counties}
        assert parts["410621"].summary.rounds == 1 and parts["410621"].summary.targets_covered == 3
        assert parts["410622"].summary is None and parts["410611"].summary is None
        assert [part.code for part in combined.missing] == ["410611", "410622"]
        assert (combined.total.rounds, combined.total.targets_covered) == (2 + 1, 5 + 3)
        older = summaries.combined_period_summary(organization=orgs["city"], period="2028")
        assert (older.total.rounds, older.total.targets_covered) == (1 + 1, 4 + 1)


def test_a_county_replica_is_the_only_source_of_the_county_part(orgs, city_and_counties):
    # County A holds more rounds now, but has not sent them: the city still shows what was sent.
    user = city_and_counties["county_a"][0][0].created_by
    with schema_context(orgs["county_a"].schema_name):
        round_with_targets(user, onsite_start=D(2029, 4, 1), targets=2)
    with schema_context(orgs["city"].schema_name):
        part = summaries.county_statistics(organization=orgs["city"], period="2029")[1]
        assert (part.code, part.summary.rounds) == ("410621", 1)
    with schema_context(orgs["county_a"].schema_name):
        statistics_send_up(organization=orgs["county_a"], period="2029")
    assert deliver_all(orgs["county_a"], orgs["city"], record_type="reports.statistics") == [inbox.APPLIED]
    with schema_context(orgs["city"].schema_name):
        assert summaries.county_statistics(organization=orgs["city"], period="2029")[1].summary.rounds == 2
        body = Replica.objects.get(record_type="reports.statistics", source="410621", record_key="2029").body
        assert set(body) == {"period", "counts", "coverage", "rounds", "overdue_open", "generated_at", "classification"}
        assert body["coverage"]["targets_total"] == 5
