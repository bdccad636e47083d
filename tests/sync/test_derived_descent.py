"""What a saved row re-evaluates (sync.registry.derived_records): the records derived from it, and below
those only where the saved row bounds their classification (a derivation with `parent`). A finding saved
re-evaluates its round's progress, not every other finding of the round through the round (that made
each save cost as much as the round is large: the Harbin builder's quadratic time)."""

from __future__ import annotations

import pytest

from sync.registry import derived_records
from tenants.findings.models import Finding
from tenants.findings.services import finding_create
from tenants.office.models import FindingCategory
from tests.sync.withdrawal_world import office, walked_round

pytestmark = pytest.mark.django_db


def _derived(instance) -> list[tuple[str, int]]:
    return sorted((spec.record_type, record.pk) for spec, record in derived_records(instance))


def test_a_finding_saved_re_evaluates_its_round_and_not_the_rounds_other_findings(orgs, make_member):
    county = office(orgs["county_a"], make_member, "office_admin", "team_leader", "leading_group")
    with county.schema():
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

        # The finding's round (its progress counts findings): re-evaluated; the other two findings: not.
        assert _derived(first) == [("rounds.round", round.pk)]
        # Positive control: a round saved still reaches every finding derived from it (with `parent`: a
        # round raised to 机密 takes its findings back), and goes on below them.
        from_round = _derived(round)
        assert [pk for record_type, pk in from_round if record_type == "findings.finding"] == sorted(
            [first.pk, *(finding.pk for finding in others)]
        )
