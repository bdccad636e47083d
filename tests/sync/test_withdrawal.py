"""Withdrawal is generic (issue 10, point 3 and its guard): for every registered shared record type,
the state is built through the services, delivered in process (relay + consumer minus the transport),
the destination is shown to hold the replica (database and, where a page shows it, that page), then
the right is taken away (raised to 机密; reassigned where the record has an assignee) and the replica
and everything derived from it must be gone from the destination's database (a marker planted in
the shared content is searched in every text column of its schema) and pages.

The record types come from the sync registry: a type registered later fails
`test_every_registered_type_has_a_withdrawal_scenario` until it gets a scenario here (or a stated
reason why no right over it can be taken away)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django_tenants.utils import schema_context

from sync import inbox, policy
from sync.models import Replica
from sync.registry import record_types
from tests.tenants.findings.conftest import deliver, marker_hits

from .withdrawal_world import TODAY, Office, handed_over_transfer, office, supervised_item, walked_round

_serial = itertools.count(1)


@dataclass
class Shared:
    """One record shared from `source` to `destination`, and how to see it there."""

    source: Office
    destination: Office
    record_type: str
    record_key: str
    marker: str
    # (path at the destination, text that is there whatever happens: the positive control)
    pages: tuple[tuple[str, str], ...] = ()
    things: dict = field(default_factory=dict)


def _marker(label: str) -> str:
    return f"撤回标记{label}{next(_serial):03d}"


# --- builders: each returns a Shared, built through the services in the source's schema --------------


def _city_and_county(orgs, make_member):
    city = office(orgs["city"], make_member, "office_admin", "leading_group", "team_leader", "agency_receiver")
    county = office(orgs["county_a"], make_member, "office_admin")
    return city, county


def build_round(orgs, make_member) -> Shared:
    city, county = _city_and_county(orgs, make_member)
    marker = _marker("轮次")
    with city.schema():
        round, *_ = walked_round(city, name=marker, unit_county="410621", to="on_site")
    return Shared(city, county, "rounds.round", str(round.pk), marker, things={"round": round})


def build_planned_round(orgs, make_member) -> Shared:
    from tenants.rounds.services import round_create

    city, county = _city_and_county(orgs, make_member)
    marker = _marker("计划轮次")
    with city.schema():
        round = round_create(name=marker, kind="regular", actor=city.users["office_admin"])
    return Shared(city, county, "rounds.round", str(round.pk), marker, things={"round": round})


def build_elevated_round(orgs, make_member) -> Shared:
    from tenants.crossorg.services import elevated_round_create

    city, county = _city_and_county(orgs, make_member)
    marker = _marker("提级")
    with city.schema():
        round = elevated_round_create(
            name=marker,
            host_org_code="410621",
            actor=city.users["office_admin"],
            cooperation="请县巡察办配合提供资料",
            onsite_start=TODAY(),
            onsite_end=TODAY(),
        )
    return Shared(
        city,
        county,
        "rounds.round",
        str(round.pk),
        marker,
        pages=(("/org/410621/crossorg/", 'data-testid="elevated-notices"'),),
        things={"round": round},
    )


def build_item(orgs, make_member) -> Shared:
    city, county = _city_and_county(orgs, make_member)
    marker = _marker("督办问题")
    with city.schema():
        round, team, target, _ = walked_round(city, name=_marker("督办轮次"), unit_county="410600")
        feedback, item = supervised_item(city, round=round, target=target, problem=marker)
    return Shared(
        city,
        county,
        "rectification.item",
        str(item.pk),
        marker,
        pages=(
            ("/org/410621/rectification/supervised/", 'data-testid="supervised-items"'),
            ("/org/410621/crossorg/", 'data-testid="rectification-received"'),
        ),
        things={"round": round, "item": item, "feedback": feedback},
    )


def build_transfer(orgs, make_member) -> Shared:
    city, county = _city_and_county(orgs, make_member)
    marker = _marker("移交单位")
    with city.schema():
        round, team, target, finding = walked_round(
            city, name=_marker("移交轮次"), unit_county="410621", to="on_site", finding_title="违规发放津贴补贴"
        )
        from tenants.targets.services import target_update

        target = target_update(target=target, name=marker)
        transfer = handed_over_transfer(city, finding=finding)
    return Shared(
        city,
        county,
        "transfers.transfer",
        str(transfer.pk),
        marker,
        pages=(("/org/410621/transfers/received/", 'data-testid="received-transfers"'),),
        things={"round": round, "target": target, "transfer": transfer},
    )


def build_finding(orgs, make_member) -> Shared:
    county = office(orgs["county_a"], make_member, "office_admin", "leading_group", "team_leader")
    city = office(orgs["city"], make_member, "office_admin")
    marker = _marker("重大问题")
    with county.schema():
        round, team, target, finding = walked_round(
            county, name=_marker("县轮次"), unit_county="410621", to="on_site", finding_title=marker, severity="grave"
        )
    return Shared(
        county,
        city,
        "findings.finding",
        str(finding.pk),
        marker,
        pages=(("/org/410600/reports/oversight/", 'data-testid="major-findings"'),),
        things={"round": round},
    )


def build_overdue(orgs, make_member) -> Shared:
    """A county round whose leading-group hearing is overdue: the daily reminder run escalates it to
    the city, which is notified."""
    from tenants.reminders.models import OverdueNotice
    from tenants.reminders.services import reminders_run

    county = office(orgs["county_a"], make_member, "office_admin", "leading_group", "team_leader")
    city = office(orgs["city"], make_member, "office_admin")
    marker = _marker("逾期轮次")
    with county.schema():
        round, *_ = walked_round(
            county, name=marker, unit_county="410621", to="on_site", registry_name=_marker("县单位")
        )
        assert reminders_run(today=TODAY(), organization=county.org)["overdue"] >= 1
        [escalation] = OverdueNotice.objects.filter(item_key=f"round:{round.pk}")
    return Shared(
        county,
        city,
        "reminders.overdue",
        escalation.bus_key,
        marker,
        pages=(("/org/410600/reminders/", 'data-testid="notifications"'),),
        things={"round": round},
    )


def build_guidance(orgs, make_member) -> Shared:
    from tenants.guidance.services import guidance_document_issue

    city, county = _city_and_county(orgs, make_member)
    marker = _marker("指导文件")
    with city.schema():
        document = guidance_document_issue(
            title=marker, doc_type="template", issued_on=TODAY(), content="巡察工作底稿模板"
        )
    return Shared(city, county, "guidance.document", str(document.pk), marker, things={"document": document})


def build_unit(orgs, make_member) -> Shared:
    """淇县's unit, in its registry, reaches the city (the city picks cross-county units from it)."""
    from tenants.targets.services import parse_leaders, target_create

    county = office(orgs["county_b"], make_member, "office_admin")
    city = office(orgs["city"], make_member, "office_admin")
    marker = _marker("单位")
    with county.schema():
        target = target_create(
            name=marker,
            level="county",
            managing_org_code="410622",
            region_code="410622",
            leaders=parse_leaders("李明:局长*"),
        )
    return Shared(
        county,
        city,
        "targets.target",
        str(target.pk),
        marker,
        pages=(("/org/410600/crossorg/registries/?county=410622", 'data-testid="registry-units"'),),
        things={"target": target},
    )


def build_person(orgs, make_member) -> Shared:
    """浚县's pool member reaches the city (the city staffs a cross-county team from it)."""
    from tenants.experts.services import expert_create

    county = office(orgs["county_a"], make_member, "office_admin")
    city = office(orgs["city"], make_member, "office_admin")
    marker = _marker("人才")
    with county.schema():
        expert = expert_create(name=marker, unit="县审计局", home_region_code="410621", specialty="audit")
    return Shared(
        county,
        city,
        "experts.expert",
        str(expert.pk),
        marker,
        pages=(("/org/410600/crossorg/registries/?county=410621", 'data-testid="registry-people"'),),
        things={"expert": expert},
    )


# --- ways to take the destination's right away (run in the source's schema) ----------------------------


def raise_round(shared: Shared) -> None:
    """The round's edit form (round_update), as the office does on the round page."""
    from tenants.rounds.services import round_update

    round_update(round=shared.things["round"], classification=3)


def round_made_cross_county(shared: Shared) -> None:
    """The kind changes while planned: a cross-county round is told to no county."""
    from tenants.rounds.services import round_update

    round_update(round=shared.things["round"], kind="cross")


def reclassify_round(shared: Shared) -> None:
    from tenants.crossorg.services import round_reclassify

    round_reclassify(round=shared.things["round"], classification=3, actor=shared.source.users["office_admin"])


def reassign_item(shared: Shared) -> None:
    from tenants.rectification.services import item_assign

    item_assign(
        actor=shared.source.users["office_admin"],
        access=shared.source.access("office_admin"),
        item=shared.things["item"],
        assignee_org_code="410622",
    )


def move_unit(shared: Shared) -> None:
    """The unit is now managed by another county (the transfer's assignee follows the unit)."""
    from tenants.targets.services import target_update

    target_update(target=shared.things["target"], managing_org_code="410622", region_code="410622")


def raise_guidance(shared: Shared) -> None:
    from tenants.guidance.services import guidance_document_revise

    guidance_document_revise(document=shared.things["document"], classification=3)


def deactivate_unit(shared: Shared) -> None:
    from tenants.targets.services import target_update

    target_update(target=shared.things["target"], is_active=False)


def hand_unit_over(shared: Shared) -> None:
    """The unit is now managed by another county: no longer this county's to share."""
    from tenants.targets.services import target_update

    target_update(target=shared.things["target"], managing_org_code="410621", region_code="410621")


def remove_unit(shared: Shared) -> None:
    shared.things["target"].delete()


def deactivate_person(shared: Shared) -> None:
    from tenants.experts.services import expert_update

    expert_update(expert=shared.things["expert"], is_active=False)


@dataclass(frozen=True)
class Scenario:
    build: Callable
    takeaways: dict[str, Callable]


SCENARIOS: dict[str, tuple[Scenario, ...]] = {
    "rounds.round": (
        Scenario(build_round, {"round-raised": raise_round, "round-reclassified": reclassify_round}),
        Scenario(build_planned_round, {"kind-changed": round_made_cross_county}),
        Scenario(build_elevated_round, {"round-raised": raise_round, "round-reclassified": reclassify_round}),
    ),
    "rectification.item": (
        Scenario(
            build_item,
            {"round-raised": raise_round, "round-reclassified": reclassify_round, "reassigned": reassign_item},
        ),
    ),
    "transfers.transfer": (Scenario(build_transfer, {"round-raised": raise_round, "unit-moved": move_unit}),),
    "findings.finding": (Scenario(build_finding, {"round-raised": raise_round}),),
    "reminders.overdue": (Scenario(build_overdue, {"round-raised": raise_round}),),
    "guidance.document": (Scenario(build_guidance, {"raised": raise_guidance}),),
    "targets.target": (
        Scenario(build_unit, {"deactivated": deactivate_unit, "handed-over": hand_unit_over, "removed": remove_unit}),
    ),
    "experts.expert": (Scenario(build_person, {"deactivated": deactivate_person}),),
}

# Types over which no destination's right can be taken away, and why.
SEALED, NO_LEVEL, COMPUTED = "sealed one-shot message", "no level of its own", "computed state, always 内部"
NO_RIGHT_TO_TAKE: dict[str, str] = {
    "clues.escalation": SEALED,  # policy.SEALED_UP: sealed before write, no copy kept to withdraw
    "planning.annual_plan": NO_LEVEL,  # plans are 内部 by definition; no field, no service raises them
    "planning.multi_year_plan": NO_LEVEL,
    "planning.phase_schedule": NO_LEVEL,
    "reports.statistics": COMPUTED,
    "reports.live_statistics": COMPUTED,  # a county's counts only (tenants/reports/live.py), always 内部
    "audit.anchor": COMPUTED,  # a checkpoint of the audit chain's head; the policy lets it through as 内部 only
    "planning.campaign": "launched at its level; no service changes it",
    "planning.campaign_reply": "the county's answer to the destination's own campaign (withdrawn on starting)",
    # No level of its own (always 内部); it follows its campaign: a county taken off the campaign has its
    # reminders withdrawn (tests/tenants/crossorg/test_campaign_lifecycle.py).
    "planning.campaign_reminder": NO_LEVEL,
    "statistics.report": "counts only; no service changes its level",
    "reports.filing": "never 机密: the database refuses it (reports_filing_classification_sendable)",
    "reports.filing_receipt": "the province's content-free answer, always 内部",
    "clues.escalation_receipt": "the city's content-free receipt, always 内部",
    "rectification.progress": "progress on the destination's own item (the city owns what it is about)",
    "transfers.progress": "progress on the destination's own transfer (the city owns what it is about)",
    # Held with their record (sync.registry.HeldWith): withdrawn with it (tests/tenants/attachments/)
    "attachments.file": "a file goes where its record is held and is withdrawn with it",
    "attachments.chunk": "a piece goes where its file is held and is withdrawn with it",
}

CASES = [
    (record_type, number, takeaway)
    for record_type, scenarios in SCENARIOS.items()
    for number, scenario in enumerate(scenarios)
    for takeaway in scenario.takeaways
]


def test_every_registered_type_has_a_withdrawal_scenario():
    registered = set(record_types())
    covered = set(SCENARIOS) | set(NO_RIGHT_TO_TAKE)
    assert registered == covered, (
        f"shared record types without a withdrawal scenario here, or listed but gone: {sorted(registered ^ covered)}"
    )
    assert not set(SCENARIOS) & set(NO_RIGHT_TO_TAKE)


@pytest.mark.parametrize(
    "record_type", sorted(t for t, why in NO_RIGHT_TO_TAKE.items() if why in (SEALED, NO_LEVEL, COMPUTED))
)
def test_the_structural_reasons_hold(record_type):
    """Where the reason is structural, it holds in the code (a plan that gains a level fails here)."""
    spec = record_types()[record_type]
    reason = NO_RIGHT_TO_TAKE[record_type]
    if reason == SEALED:
        assert record_type in policy.SEALED_UP and spec.keep_body is False
    elif reason == NO_LEVEL:
        assert "classification" not in {f.name for f in spec.model._meta.get_fields()}
    else:
        assert spec.model is None


def _replica(shared: Shared):
    with schema_context(shared.destination.org.schema_name):
        return Replica.objects.filter(
            record_type=shared.record_type, source=shared.source.org.code, record_key=shared.record_key
        ).first()


def _pages(client, shared: Shared) -> list[tuple[str, int, str, str]]:
    client.force_login(shared.destination.users["office_admin"])
    seen = []
    for path, control in shared.pages:
        response = client.get(path)
        seen.append((path, response.status_code, control, response.content.decode()))
    return seen


@pytest.mark.parametrize(("record_type", "number", "takeaway"), CASES, ids=[f"{t}-{n}-{w}" for t, n, w in CASES])
def test_taking_the_right_away_withdraws_the_replica_and_what_derives_from_it(
    orgs, make_member, client, record_type, number, takeaway
):
    scenario = SCENARIOS[record_type][number]
    shared = scenario.build(orgs, make_member)
    assert shared.record_type == record_type
    assert {verdict.outcome for verdict in deliver(shared.source.org, orgs)} <= {inbox.APPLIED, inbox.DUPLICATE}

    # Positive control: the destination holds it, in its database and on its pages.
    replica = _replica(shared)
    assert replica is not None and not replica.tombstone and replica.body is not None
    assert marker_hits(shared.destination.org.schema_name, shared.marker)
    for path, status, control, page in _pages(client, shared):
        assert status == 200 and control in page and shared.marker in page, path

    with shared.source.schema():
        scenario.takeaways[takeaway](shared)
    verdicts = deliver(shared.source.org, orgs)
    assert verdicts and all(verdict.outcome == inbox.APPLIED for verdict in verdicts), verdicts

    replica = _replica(shared)
    assert replica.tombstone and replica.body is None
    assert marker_hits(shared.destination.org.schema_name, shared.marker) == []
    for path, status, control, page in _pages(client, shared):
        assert status == 200 and control in page, path  # the same page still answers
        assert shared.marker not in page, path


def test_verify_policy_withdraws_what_a_change_outside_the_services_left_shared(orgs, make_member, client):
    """The safety net: a bulk update sends no signal, so nothing re-evaluates the round's item; `xuncha
    sync verify --policy` re-evaluates every held record from its row and withdraws it."""
    from io import StringIO

    from django.core.management import call_command

    from tenants.rounds.models import Round

    shared = build_item(orgs, make_member)
    deliver(shared.source.org, orgs)
    with shared.source.schema():
        Round.objects.filter(pk=shared.things["round"].pk).update(classification=3)  # outside the services
    assert deliver(shared.source.org, orgs) == []
    assert not _replica(shared).tombstone and marker_hits(shared.destination.org.schema_name, shared.marker)

    out = StringIO()
    call_command("sync", "verify", "--org", "410600", "--policy", "--dry-run", stdout=out)
    # the item to 浚县, the round's schedule to the city's three counties and the province
    assert "410600: policy re-evaluation, 5 message(s) would be queued" in out.getvalue()
    assert deliver(shared.source.org, orgs) == []  # a dry run queues nothing

    call_command("sync", "verify", "--org", "410600", "--policy", stdout=StringIO())
    assert inbox.APPLIED in {verdict.outcome for verdict in deliver(shared.source.org, orgs)}
    assert _replica(shared).tombstone
    assert marker_hits(shared.destination.org.schema_name, shared.marker) == []
    for path, status, control, page in _pages(client, shared):
        assert status == 200 and control in page and shared.marker not in page, path
