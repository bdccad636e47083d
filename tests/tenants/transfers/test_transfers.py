"""Transfers: the routing table (004 art.35), three-party hand-over, 3-month handling deadline, overdue, ledger."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from tenants.agencies.models import AgencyKind
from tenants.transfers.models import Party, TransferStatus, TransferType
from tests.tenants.workflow import API, clue_transfer, make_clue, make_finding


@pytest.mark.parametrize(
    "transfer_type, agency_kind",
    [
        (TransferType.DISCIPLINE_CLUE, AgencyKind.DISCIPLINE),
        (TransferType.CONDUCT_ISSUE, AgencyKind.DISCIPLINE),
        (TransferType.DEMOCRATIC_CENTRALISM, AgencyKind.ORGANISATION),
        (TransferType.APPOINTMENTS, AgencyKind.ORGANISATION),
        (TransferType.OTHER, AgencyKind.UNIT),
    ],
)
def test_each_type_is_routed_to_its_agency(flow, transfer_type, agency_kind):
    from tenants.transfers.services import transfer_create, transfer_route

    assert transfer_route(transfer_type=transfer_type) == agency_kind
    with flow.schema():
        transfer = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=transfer_type,
            finding=make_finding(flow),
        )
        assert transfer.agency == flow.agencies[agency_kind]


def test_a_transfer_to_the_wrong_kind_of_agency_is_refused(flow):
    from tenants.transfers.models import Transfer
    from tenants.transfers.services import transfer_create

    with flow.schema():
        with pytest.raises(ValidationError) as error:
            transfer_create(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                transfer_type=TransferType.APPOINTMENTS,
                finding=make_finding(flow),
                agency=flow.agencies[AgencyKind.DISCIPLINE],
            )
        assert "agency" in error.value.message_dict
        assert not Transfer.objects.exists()


def _signed(flow, transfer, parties, today):
    from tenants.transfers.services import transfer_sign

    signer = {Party.TEAM: "member", Party.OFFICE: "admin", Party.AGENCY: "discipline_receiver"}
    for party in parties:
        transfer = transfer_sign(
            actor=flow.users[signer[party]],
            access=flow.access(signer[party]),
            transfer=transfer,
            party=party,
            today=today,
        )
    return transfer


def test_hand_over_needs_all_three_signatures_then_the_clock_starts(flow):
    from tenants.transfers.services import transfer_create

    with flow.schema():
        transfer = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.DISCIPLINE_CLUE,
            clue=make_clue(flow),
        )
        transfer = _signed(flow, transfer, [Party.TEAM, Party.OFFICE], datetime.date(2025, 3, 3))
        assert not transfer.acknowledged and transfer.status == TransferStatus.AWAITING_SIGNATURES
        assert transfer.feedback_due is None
        transfer = _signed(flow, transfer, [Party.AGENCY], datetime.date(2025, 3, 3))
        assert transfer.acknowledged and transfer.status == TransferStatus.HANDED_OVER
        assert transfer.feedback_due == datetime.date(2025, 6, 3)  # three months
        signatures = {s.party: s.signed_by_id for s in transfer.signatures.all()}
        assert signatures == {
            Party.TEAM: flow.users["member"].pk,
            Party.OFFICE: flow.users["admin"].pk,
            Party.AGENCY: flow.users["discipline_receiver"].pk,
        }
        with pytest.raises(ValidationError):
            _signed(flow, transfer, [Party.OFFICE], datetime.date(2025, 3, 4))


def test_only_the_right_person_signs_for_each_party(flow):
    from tenants.transfers.services import transfer_create, transfer_sign

    with flow.schema():
        transfer = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.DISCIPLINE_CLUE,
            clue=make_clue(flow),
        )
        for user, party in (
            ("org_receiver", Party.AGENCY),
            ("outsider_leader", Party.TEAM),
            ("liaison", Party.OFFICE),
            ("member", Party.OFFICE),
        ):
            with pytest.raises(PermissionDenied):
                transfer_sign(actor=flow.users[user], access=flow.access(user), transfer=transfer, party=party)
        assert not transfer.signatures.exists()


def test_overdue_when_no_handling_report_three_months_after_hand_over(flow):
    from tenants.transfers.selectors import transfer_overdue_list
    from tenants.transfers.services import transfer_create, transfer_is_overdue, transfer_report_handling

    with flow.schema():
        transfer = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.CONDUCT_ISSUE,
            finding=make_finding(flow),
        )
        transfer = _signed(flow, transfer, list(Party), datetime.date(2025, 1, 2))
        assert transfer.feedback_due == datetime.date(2025, 4, 2)
        assert not transfer_is_overdue(transfer=transfer, today=datetime.date(2025, 4, 2))
        assert transfer_is_overdue(transfer=transfer, today=datetime.date(2025, 4, 3))
        overdue = transfer_overdue_list(
            actor=flow.users["admin"], access=flow.access("admin"), today=datetime.date(2025, 4, 3)
        )
        assert list(overdue) == [transfer]
        transfer = transfer_report_handling(
            actor=flow.users["discipline_receiver"],
            access=flow.access("discipline_receiver"),
            transfer=transfer,
            handling_kind="preliminary",
            report="已初核",
            today=datetime.date(2025, 3, 30),
        )
        assert transfer.status == TransferStatus.REPORTED
        assert not transfer_is_overdue(transfer=transfer, today=datetime.date(2025, 5, 1))


def test_eight_rules_clues_are_fast_tracked_and_only_to_discipline(flow):
    from tenants.transfers.services import transfer_create

    with flow.schema():
        clue = make_clue(flow, code="eight-rules-four-styles", summary="公款吃喝线索")
        transfer = transfer_create(
            actor=flow.users["admin"], access=flow.access("admin"), transfer_type=TransferType.CONDUCT_ISSUE, clue=clue
        )
        assert transfer.fast_track and transfer.fast_track_ground == "eight_rules"
        with pytest.raises(ValidationError):
            transfer_create(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                transfer_type=TransferType.APPOINTMENTS,
                finding=make_finding(flow),
                fast_track=True,
                fast_track_ground="collusion",
            )
        with pytest.raises(ValidationError):
            transfer_create(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                transfer_type=TransferType.DISCIPLINE_CLUE,
                clue=make_clue(flow),
                fast_track=True,
            )


def test_api_agency_receiver_sees_only_its_transfers_and_reports_handling(client, flow):
    from tenants.transfers.services import transfer_create

    with flow.schema():
        to_discipline = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.DISCIPLINE_CLUE,
            clue=make_clue(flow),
        )
        to_organisation = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.APPOINTMENTS,
            finding=make_finding(flow, code="appointments"),
        )
    client.force_login(flow.users["admin"])
    assert client.post(f"{API}/transfers/{to_discipline.pk}/sign/", {"party": "office"}).status_code == 200
    client.force_login(flow.users["member"])
    assert client.post(f"{API}/transfers/{to_discipline.pk}/sign/", {"party": "team"}).status_code == 200
    client.force_login(flow.users["org_receiver"])
    assert [t["id"] for t in client.get(f"{API}/transfers/").json()["results"]] == [to_organisation.pk]
    assert client.get(f"{API}/transfers/{to_discipline.pk}/").status_code == 404
    client.force_login(flow.users["discipline_receiver"])
    body = client.get(f"{API}/transfers/").json()["results"]
    assert [t["id"] for t in body] == [to_discipline.pk] and body[0]["acknowledged"] is False
    signed = client.post(f"{API}/transfers/{to_discipline.pk}/sign/", {"party": "agency"}).json()
    # Signed through the API today (the dates are checked literally above): three months on, past any holiday.
    due = datetime.date.fromisoformat(signed["feedback_due"])
    assert signed["acknowledged"] is True and 89 <= (due - datetime.date.today()).days <= 100
    reported = client.post(
        f"{API}/transfers/{to_discipline.pk}/handling/", {"handling_kind": "case", "report": "已立案审查"}
    )
    assert reported.status_code == 200 and reported.json()["status"] == "reported"
    client.force_login(flow.users["liaison"])
    assert (
        client.get(f"{API}/transfers/").status_code == 200 and client.get(f"{API}/transfers/").json()["results"] == []
    )


def test_api_bad_transfer_is_refused_with_a_clear_error_and_nothing_written(client, flow):
    from tenants.transfers.models import Transfer

    client.force_login(flow.users["admin"])
    response = client.post(f"{API}/transfers/", {"transfer_type": "discipline_clue"})
    assert response.status_code == 400 and "clue" in response.json()
    client.force_login(flow.users["member"])
    with flow.schema():
        finding = make_finding(flow)
    assert client.post(f"{API}/transfers/", {"transfer_type": "other", "finding": finding.pk}).status_code == 403
    with flow.schema():
        assert not Transfer.objects.exists()


def test_transfer_ledger_is_readable_and_carries_no_clue_content(client, flow):
    from tenants.transfers.services import transfer_create

    with flow.schema():
        clue = make_clue(flow, summary="某副局长收受礼金线索")
        transfer = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.DISCIPLINE_CLUE,
            clue=clue,
        )
        _signed(flow, transfer, list(Party), datetime.date(2025, 1, 2))
    client.force_login(flow.users["admin"])
    for url in (f"{API}/transfers/ledger.xlsx/", "/org/410600/transfers/ledger.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
        assert rows[0][:4] == ["编号", "轮次", "移交类型", "接收单位"]
        assert rows[1][0] == f"YJ-{transfer.pk}" and rows[1][3] == "市纪委监委" and rows[1][8] == "逾期"
        text = " ".join(str(cell) for row in rows for cell in row)
        assert "礼金" not in text and "王某某" not in text


def test_the_page_offers_each_person_only_the_signature_and_the_report_their_submit_accepts(client, flow):
    from tests.tenants.workflow import WEB

    with flow.schema():
        waiting = _signed(flow, clue_transfer(flow), [Party.OFFICE], datetime.date(2025, 3, 3))
        handed = _signed(flow, clue_transfer(flow), [Party.TEAM, Party.OFFICE, Party.AGENCY], datetime.date(2025, 3, 3))

    def page(who):
        client.force_login(flow.users[who])
        return client.get(f"{WEB}/transfers/").content.decode()

    sign, report = f"/transfers/{waiting.pk}/sign/", f"/transfers/{handed.pk}/handling/"
    office = page("admin")
    assert 'data-testid="transfers"' in office and "✓ " in office  # the rows, with the office's signatures
    assert sign not in office and report not in office  # signed for the office already; not its agency
    member = page("member")
    assert f'action="{WEB}{sign}"' in member and "巡察组签字" in member and "接收单位签字" not in member
    assert report not in member
    desk = page("discipline_receiver")  # positive control: the agency's desk signs and reports
    assert f'action="{WEB}{sign}"' in desk and "接收单位签字" in desk and "巡察组签字" not in desk
    assert f'action="{WEB}{report}"' in desk
