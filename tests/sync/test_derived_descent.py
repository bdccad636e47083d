"""What a saved row re-evaluates (sync.registry.derived_records): the records derived from it, and below
those only where the saved row bounds their classification (a derivation with `parent`). A finding saved
re-evaluates its round's progress, not every other finding of the round through the round (that made
each save cost as much as the round is large: the Harbin builder's quadratic time)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from sync.outbox import dependents_reevaluate
from sync.registry import derived_records
from tenants.findings.models import Finding
from tenants.findings.services import finding_create
from tenants.office.models import FindingCategory
from tests.sync.withdrawal_world import office, walked_round

pytestmark = pytest.mark.django_db


def _derived(instance) -> list[tuple[str, int]]:
    return sorted((spec.record_type, record.pk) for spec, record in derived_records(instance))


def _round_of_three_findings(orgs, make_member):
    county = office(orgs["county_a"], make_member, "office_admin", "team_leader", "leading_group")
    round, team, target, first = walked_round(
        county, name="派生下探轮次", unit_county="410621", to="on_site", finding_title="问题一", severity="grave"
    )
    others = [
        finding_create(
            actor=county.users["office_admin"],
            access=county.access("office_admin"),
            round=round,
            team=team,
            target=target,
            category=FindingCategory.objects.get(code="work-discipline"),
            severity="grave",
            title=f"问题{number}",
            description="具体情况",
            evidence="会议记录",
        )
        for number in ("二", "三")
    ]
    assert Finding.objects.filter(round=round).count() == 3
    return round, first, others


def test_a_finding_saved_re_evaluates_its_round_and_not_the_rounds_other_findings(orgs, make_member):
    with schema_context(orgs["county_a"].schema_name):
        round, first, others = _round_of_three_findings(orgs, make_member)

        # The finding's round (its progress counts findings): re-evaluated; the other two findings: not.
        assert _derived(first) == [("rounds.round", round.pk)]
        # Positive control: a round saved still reaches every finding derived from it (with `parent`: a
        # round raised to 机密 takes its findings back), and goes on below them.
        from_round = _derived(round)
        assert [pk for record_type, pk in from_round if record_type == "findings.finding"] == sorted(
            [first.pk, *(finding.pk for finding in others)]
        )


def test_a_round_saved_reads_each_finding_with_its_unit_and_category_and_round_at_hand(orgs, make_member):
    """Every transition saves the round and re-shares each of its findings (issue 14: the Harbin builder's
    round transitions were its largest cost after the live figures). The findings come with their unit and
    category in the one statement that lists them, and know their round already: nothing is read per finding
    for the snapshot (the round's name, the unit's, the category's)."""
    county = orgs["county_a"]
    with schema_context(county.schema_name):
        round, _first, _others = _round_of_three_findings(orgs, make_member)
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            dependents_reevaluate(instance=round, owner=county)
            transaction.set_rollback(True)
    first_tables = [re.search(r'FROM "(\w+)"', query["sql"]) for query in captured.captured_queries]
    read_alone = Counter(match.group(1) for match in first_tables if match)
    assert (read_alone["rounds_round"], read_alone["targets_target"], read_alone["office_findingcategory"]) == (0, 0, 0)
    # Positive control: the round's three findings were listed, unit and category joined, in one statement.
    listed = [
        query["sql"] for query in captured.captured_queries if 'FROM "findings_finding" INNER JOIN' in query["sql"]
    ]
    assert len(listed) == 1 and '"targets_target"' in listed[0] and '"office_findingcategory"' in listed[0]
