"""Transfers concerning a county's unit (督办): the city's handed-over transfer goes down to the county
managing the unit, the county opens its received-transfer ledger and reports its handling status up,
the city sees it (real services, outbox, envelope, policy and inbox; deliver_all = relay + consumers)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from shared.accounts.selectors import organization_access
from sync import inbox
from sync.models import OutboxMessage, Replica
from sync.outbox import record_state_publish
from tenants.transfers.models import Party, ReceivedTransfer, TransferType
from tests.tenants.crossorg.conftest import deliver_all
from tests.tenants.findings.conftest import deliver
from tests.tenants.walk import round_walk
from tests.tenants.workflow import API, WEB, make_clue, make_finding, staffed_round

TODAY = datetime.date.today


def _county_unit(flow):
    """The office records that 浚县 now manages the round's unit (the target's page does the same)."""
    from tenants.targets.services import target_update

    flow.target = target_update(target=flow.target, managing_org_code="410621")


def _handed_over(flow, *, clue=False, round=None, target=None, today=None, author="leader", team_signer="member"):
    from tenants.transfers.services import transfer_create, transfer_sign

    subject = (
        {"clue": make_clue(flow)} if clue else {"finding": make_finding(flow, round=round, target=target, actor=author)}
    )
    transfer = transfer_create(
        actor=flow.users["admin"],
        access=flow.access("admin"),
        transfer_type=TransferType.DISCIPLINE_CLUE if clue else TransferType.CONDUCT_ISSUE,
        **subject,
    )
    signer = {Party.TEAM: team_signer, Party.OFFICE: "admin", Party.AGENCY: "discipline_receiver"}
    for party in (Party.TEAM, Party.OFFICE):
        transfer = transfer_sign(
            actor=flow.users[signer[party]], access=flow.access(signer[party]), transfer=transfer, party=party
        )
    assert not OutboxMessage.objects.filter(
        record_type="transfers.transfer",  # a draft stays home
        record_key=str(transfer.pk),
    ).exists()
    return transfer_sign(
        actor=flow.users["discipline_receiver"],
        access=flow.access("discipline_receiver"),
        transfer=transfer,
        party=Party.AGENCY,
        today=today,
    )


def _deliver(orgs, org, record_type):
    """Relay what `org` queued since the last relay (each row once, as the relay does)."""
    return [v.outcome for v in deliver(orgs[org], orgs, record_type=record_type)]


def _received(orgs, code):
    with schema_context(orgs[code].schema_name):
        return list(ReceivedTransfer.objects.all())


@pytest.fixture
def county_office(orgs, make_member):
    return make_member(orgs["county_a"], "office_staff", clearance=2, username="a-transfer-office")


def _report(orgs, user, transfer, **values):
    from tenants.ledger.services import ledger_progress_report

    with schema_context(orgs["county_a"].schema_name):
        access = organization_access(person=user, organization_id=orgs["county_a"].pk)
        return ledger_progress_report(actor=user, access=access, record=transfer, **values)


def _delivered(orgs, flow, *, today=None):
    with flow.schema():
        _county_unit(flow)
        transfer = _handed_over(flow, today=today)
    assert _deliver(orgs, "city", "transfers.transfer") == [inbox.APPLIED]
    [received] = _received(orgs, "county_a")
    return transfer, received


def test_a_handed_over_transfer_reaches_only_the_county_managing_the_unit(orgs, flow):
    transfer, received = _delivered(orgs, flow, today=datetime.date(2025, 3, 3))
    with flow.schema():
        [row] = OutboxMessage.objects.filter(record_type="transfers.transfer")
    assert row.destination == "410621"
    assert row.body == {
        "reference": f"YJ-{transfer.pk}",
        "category": "conduct_issue",
        "route": "discipline",
        "target_name": "市交通运输局党组",
        "deadline": "2025-06-03",
        "deadline_provisional": False,
        "status": "handed_over",
        "assignee_org_code": "410621",
        "origin_round_kind": "regular",
        "feedback_given": True,
        "classification": 1,
    }
    assert (received.reference, received.target_name, received.deadline, received.superior_status) == (
        f"YJ-{transfer.pk}",
        "市交通运输局党组",
        datetime.date(2025, 6, 3),
        "handed_over",
    )
    assert received.status == "received" and received.route == "discipline"
    assert _received(orgs, "county_b") == [] and _received(orgs, "county_c") == []


def test_the_rounds_feedback_re_shares_a_regular_rounds_transfer_as_it_does_its_rectification_items(orgs, flow):
    """One ledger rule (sync/policy.py `_ledger_rule`): every ledger record says whether its round's feedback
    was given, so reaching feedback re-shares a transfer of any round kind, as it does a rectification item."""
    from tenants.targets.services import target_update

    with flow.schema():
        target_update(target=flow.other_target, managing_org_code="410621")
        team = {"author": "outsider_leader", "team_signer": "outsider_leader"}  # the second round's team
        transfer = _handed_over(flow, round=flow.other_round, target=flow.other_target, **team)
        [before] = OutboxMessage.objects.filter(record_type="transfers.transfer", record_key=str(transfer.pk))
        assert (before.destination, before.body["origin_round_kind"], before.body["feedback_given"]) == (
            "410621",
            "regular",
            False,
        )  # a regular round's transfer goes before feedback
        round_walk(flow.other_round, "feedback", **flow.walkers())
        after = OutboxMessage.objects.filter(record_type="transfers.transfer", record_key=str(transfer.pk)).exclude(
            pk=before.pk
        )
        assert [(row.destination, row.version, row.body["feedback_given"]) for row in after] == [("410621", 2, True)]
    assert _deliver(orgs, "city", "transfers.transfer") == [inbox.APPLIED, inbox.APPLIED]
    [received] = _received(orgs, "county_a")
    assert (received.reference, received.superior_status) == (f"YJ-{transfer.pk}", "handed_over")


def test_a_city_units_transfer_and_a_confidential_clue_transfer_stay_home(orgs, flow):
    with flow.schema():
        own = _handed_over(flow)  # the city's own unit
        assert not OutboxMessage.objects.filter(record_type="transfers.transfer").exists()
        _county_unit(flow)  # 浚县 manages the unit from now on: the unit's transfer follows it there
        assert [
            (row.record_key, row.destination) for row in OutboxMessage.objects.filter(record_type="transfers.transfer")
        ] == [(str(own.pk), "410621")]
        clue_transfer = _handed_over(flow, clue=True)
        assert clue_transfer.classification == 3
        assert not OutboxMessage.objects.filter(
            record_type="transfers.transfer", record_key=str(clue_transfer.pk)
        ).exists()


def test_the_county_reports_handling_up_and_the_city_sees_it(orgs, flow, county_office, client):
    from tenants.transfers.services import transfer_report_handling

    transfer, received = _delivered(orgs, flow)
    with pytest.raises(PermissionDenied):
        _report(orgs, flow.users["viewer"], received, status="handling")  # not a member of the county
    for bad in (
        {"status": "closed"},
        {"status": "handled", "handled_on": TODAY() + datetime.timedelta(days=1)},
        {"status": "handling", "handled_on": TODAY()},
    ):
        with pytest.raises(ValidationError):
            _report(orgs, county_office, received, **bad)
    _report(orgs, county_office, received, status="handling", note="已转县纪委监委办理（本地备注）")
    with schema_context(orgs["county_a"].schema_name):
        [row] = OutboxMessage.objects.filter(record_type="transfers.progress")
    assert row.destination == "410600" and "note" not in row.body and row.body["status"] == "handling"
    assert _deliver(orgs, "county_a", "transfers.progress") == [inbox.APPLIED]
    replayed = deliver_all(orgs["county_a"], orgs, record_type="transfers.progress")  # the transport redelivers
    assert [v.outcome for v in replayed] == [inbox.DUPLICATE]
    client.force_login(flow.users["admin"])
    api = client.get(f"{API}/transfers/{transfer.pk}/").json()
    assert api["county_progress"]["county"] == "410621" and api["county_progress"]["status"] == "handling"
    assert 'data-testid="county-progress"><span class="tag">浚县' in client.get(f"{WEB}/transfers/").content.decode()
    with flow.schema():
        transfer_report_handling(
            actor=flow.users["discipline_receiver"],
            access=flow.access("discipline_receiver"),
            transfer=transfer,
            handling_kind="talk",
            report="谈话提醒",
        )
    assert _deliver(orgs, "city", "transfers.transfer") == [inbox.APPLIED]  # the report's new status
    [received] = _received(orgs, "county_a")
    assert received.superior_status == "reported" and received.note == "已转县纪委监委办理（本地备注）"


def test_the_city_refuses_handling_status_from_a_county_it_did_not_send_the_transfer_to(orgs, flow):
    transfer, received = _delivered(orgs, flow)
    with schema_context(orgs["county_b"].schema_name):
        from tenants.transfers.sharing import PROGRESS

        record_state_publish(
            spec=PROGRESS,
            owner=orgs["county_b"],
            record_key="forged-t",
            audience={"410600"},
            snapshot={
                "transfer_key": str(transfer.pk),
                "transfer_source": "410600",
                "status": "handled",
                "handled_on": TODAY().isoformat(),
                "reported_on": TODAY().isoformat(),
                "classification": 1,
            },
        )
    [verdict] = deliver_all(orgs["county_b"], orgs, record_type="transfers.progress")
    assert (verdict.outcome, verdict.reason) == (inbox.DEAD, "refused")
    with schema_context(orgs["city"].schema_name):
        assert not Replica.objects.filter(record_type="transfers.progress").exists()


def test_county_pages_and_api(orgs, flow, county_office, client):
    transfer, received = _delivered(orgs, flow)
    client.force_login(county_office)
    page = client.get("/org/410621/transfers/received/").content.decode()
    assert f"YJ-{transfer.pk}" in page and 'data-colour="green"' in page
    [api] = client.get("/org/410621/api/received-transfers/").json()["results"]
    assert api["id"] == received.pk and api["colour"] == "green"
    assert (
        client.post(f"/org/410621/transfers/received/{received.pk}/handling/", {"status": "handling"}).status_code
        == 302
    )
    response = client.post(
        f"/org/410621/api/received-transfers/{received.pk}/handling/",
        {"status": "handled"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "handled"
    assert "/org/410621/transfers/received/" in client.get("/org/410621/").content.decode()
    client.force_login(flow.users["admin"])
    assert "/transfers/received/" not in client.get(f"{WEB}/").content.decode()  # the panel is a county's


def test_an_elevated_rounds_transfer_waits_for_the_feedback(orgs, flow):
    """提级巡察 of a 浚县 unit by the city's team, walked to the hearing: a transfer handed over then stays
    home until the leading group's feedback transition releases it."""
    from tenants.rounds.models import MemberRole
    from tenants.rounds.services import round_transition
    from tenants.targets.services import target_create

    with flow.schema():
        unit = target_create(name="浚县交通运输局党组", level="county", managing_org_code="410621")
        elevated, _team = staffed_round(
            name="市委提级巡察",
            team_name="提级巡察组",
            target=unit,
            kind="elevated",
            host_org_code="410621",
            people={MemberRole.LEADER: flow.experts["leader"], MemberRole.MEMBER: flow.experts["member"]},
            office=flow.users["admin"],
            office_access=flow.access("admin"),
        )
        elevated = round_walk(elevated, "hearing", **flow.walkers())
        transfer = _handed_over(flow, round=elevated, target=unit)
        assert not OutboxMessage.objects.filter(record_type="transfers.transfer").exists()
        round_transition(
            round=elevated,
            to_state="feedback",
            actor=flow.users["viewer"],
            access=flow.access("viewer"),
            note="同意反馈",
        )
        assert [row.destination for row in OutboxMessage.objects.filter(record_type="transfers.transfer")] == ["410621"]
    assert _deliver(orgs, "city", "transfers.transfer") == [inbox.APPLIED]
    [received] = _received(orgs, "county_a")
    assert (received.record_key, received.target_name) == (str(transfer.pk), "浚县交通运输局党组")
