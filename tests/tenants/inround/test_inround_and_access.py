"""In-round records, informant identity protection, working-paper approval, permissions per role."""

import datetime
import io
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from tenants.agencies.models import PRE_ENTRY_KINDS, AgencyKind
from tests.tenants.workflow import API, WEB, make_clue, make_finding, signed_feedback

INFORMANT = {"name": "举报人陈某", "position": "财务科科员", "contact": "13800000000"}


def _interview(flow, user="member", informant=INFORMANT):
    from tenants.inround.services import interview_record

    return interview_record(
        actor=flow.users[user],
        access=flow.access(user),
        round=flow.round,
        target=flow.target,
        held_on=datetime.date(2025, 5, 6),
        summary="反映工程招标问题",
        informant=informant,
    )


def test_pre_entry_requests_go_to_the_seven_agencies_for_three_years(flow):
    from tenants.inround.services import information_reply_record, information_requests_send

    with flow.schema():
        requests = information_requests_send(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            round=flow.round,
            target=flow.target,
            as_of=datetime.date(2025, 4, 1),
        )
        assert {r.agency.kind for r in requests} == set(PRE_ENTRY_KINDS) and len(requests) == 7
        assert all(
            r.period_start == datetime.date(2022, 4, 1) and r.period_end == datetime.date(2025, 4, 1) for r in requests
        )
        with pytest.raises(ValidationError):  # the unit concerned gives no pre-entry information
            information_requests_send(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                round=flow.round,
                target=flow.target,
                agencies=[flow.agencies[AgencyKind.UNIT]],
            )
        with pytest.raises(PermissionDenied):
            information_requests_send(
                actor=flow.users["member"], access=flow.access("member"), round=flow.round, target=flow.target
            )
        reply = information_reply_record(
            actor=flow.users["admin"], access=flow.access("admin"), request=requests[0], content="近三年信访件12件"
        )
        assert reply.classification == 3


def test_pre_entry_replies_are_shown_only_to_cleared_users(client, flow):
    from tenants.inround.services import information_reply_record, information_requests_send

    with flow.schema():
        request = information_requests_send(
            actor=flow.users["admin"], access=flow.access("admin"), round=flow.round, target=flow.target
        )[0]
        information_reply_record(
            actor=flow.users["admin"], access=flow.access("admin"), request=request, content="近三年信访件12件"
        )
    client.force_login(flow.users["admin"])
    assert (
        client.get(f"{API}/inround/information-requests/{request.pk}/").json()["reply"]["content"] == "近三年信访件12件"
    )
    client.force_login(flow.users["staff_internal"])
    body = client.get(f"{API}/inround/information-requests/{request.pk}/").json()
    assert body["reply"] is None and "12件" not in str(body)


def test_informant_identity_is_stored_apart_and_shown_only_to_the_entitled(client, flow):
    with flow.schema():
        interview = _interview(flow)
        assert not hasattr(interview, "name")
    url = f"{API}/inround/interviews/{interview.pk}/informant/"
    page_url = f"{WEB}/inround/interview/{interview.pk}/"
    for entitled in ("admin", "leader"):
        client.force_login(flow.users[entitled])
        assert client.get(url).json()["name"] == "举报人陈某"
        assert "举报人陈某" in client.get(page_url).content.decode()
        listing = client.get(f"{API}/inround/interviews/").content.decode()
        assert str(interview.pk) in listing and "举报人陈某" not in listing and "13800000000" not in listing
    # A team member cleared for 机密 still lacks the role; the internal-cleared office officer the clearance.
    client.force_login(flow.users["member"])
    assert client.get(url).status_code == 403
    page = client.get(page_url)
    assert page.status_code == 200 and "举报人陈某" not in page.content.decode()
    client.force_login(flow.users["staff_internal"])
    assert client.get(url).status_code == 404 and client.get(page_url).status_code == 404
    assert "举报人陈某" not in client.get(f"{WEB}/inround/").content.decode()
    client.force_login(flow.users["outsider_leader"])
    assert client.get(url).status_code == 404


def test_informant_identity_never_in_exports(client, flow):
    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        _interview(flow)
        clue = make_clue(flow)
        feedback = signed_feedback(flow)
        rectification_items_add(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            feedback=feedback,
            items=[{"problem": "p", "task": "t", "responsible_unit": "u", "responsible_person": "r"}],
        )
    client.force_login(flow.users["admin"])
    exports = [
        client.get(f"{WEB}/rectification/ledger.xlsx").content,
        client.get(f"{WEB}/transfers/ledger.xlsx").content,
        client.get(f"{WEB}/findings/clues/ledger.xlsx").content,
    ]
    for content in exports:
        text = " ".join(
            str(c) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row
        )
        assert "举报人陈某" not in text and "13800000000" not in text
    # The confidential clue ledger carries the clue itself, and only for the cleared office.
    text = " ".join(
        str(c) for row in load_workbook(io.BytesIO(exports[2])).active.iter_rows(values_only=True) for c in row
    )
    assert f"XS-{clue.pk}" in text and "收受礼金" in text and "王某某" in text
    for user in ("staff_internal", "leader", "viewer"):
        client.force_login(flow.users[user])
        assert client.get(f"{WEB}/findings/clues/ledger.xlsx").status_code == 403
        assert client.get(f"{API}/findings/clues/ledger.xlsx/").status_code == 403


def test_bad_interview_input_is_all_or_nothing_and_never_echoes_the_informant(client, flow, caplog):
    from tenants.inround.models import InformantIdentity, Interview

    client.force_login(flow.users["member"])
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            f"{API}/inround/interviews/",
            {
                "round": flow.round.pk,
                "target": flow.target.pk,
                "held_on": "2025-05-06",
                "summary": "  ",
                "informant": INFORMANT,
            },
            content_type="application/json",
        )
        assert response.status_code == 400 and "举报人陈某" not in response.content.decode()
        response = client.post(
            f"{API}/inround/interviews/",
            {
                "round": flow.round.pk,
                "target": flow.other_target.pk,
                "held_on": "2025-05-06",
                "summary": "内容",
                "informant": INFORMANT,
            },
            content_type="application/json",
        )
        assert response.status_code == 400 and "举报人陈某" not in response.content.decode()
    assert "举报人陈某" not in caplog.text
    with flow.schema():
        assert not Interview.objects.exists() and not InformantIdentity.objects.exists()
    created = client.post(
        f"{API}/inround/interviews/",
        {
            "round": flow.round.pk,
            "target": flow.target.pk,
            "held_on": "2025-05-06",
            "summary": "内容",
            "informant": INFORMANT,
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and "举报人陈某" not in created.content.decode()


def test_petitions_may_be_anonymous(flow):
    from tenants.inround.models import InformantIdentity
    from tenants.inround.services import petition_record

    with flow.schema():
        petition = petition_record(
            actor=flow.users["leader"],
            access=flow.access("leader"),
            round=flow.round,
            target=flow.target,
            channel="letter",
            received_on=datetime.date(2025, 5, 2),
            summary="匿名来信反映……",
        )
        assert petition.anonymous is True and not InformantIdentity.objects.filter(petition=petition).exists()
        signed = petition_record(
            actor=flow.users["leader"],
            access=flow.access("leader"),
            round=flow.round,
            target=flow.target,
            channel="visit",
            received_on=datetime.date(2025, 5, 3),
            summary="来访反映……",
            informant=INFORMANT,
        )
        assert signed.anonymous is False
        assert list(InformantIdentity.objects.values_list("petition_id", "name")) == [(signed.pk, "举报人陈某")]
        with pytest.raises(ValidationError):
            petition_record(
                actor=flow.users["leader"],
                access=flow.access("leader"),
                round=flow.round,
                target=flow.target,
                channel="fax",
                received_on=datetime.date(2025, 5, 2),
                summary="x",
            )


def test_working_papers_are_approved_by_the_rounds_team_leader(client, flow):
    client.force_login(flow.users["member"])
    paper = client.post(
        f"{API}/inround/working-papers/",
        {"round": flow.round.pk, "target": flow.target.pk, "title": "财务抽查底稿", "content": "抽查凭证50张"},
    ).json()
    assert paper["status"] == "draft"
    assert client.post(f"{API}/inround/working-papers/{paper['id']}/submit/").json()["status"] == "submitted"
    assert client.post(f"{API}/inround/working-papers/{paper['id']}/decide/", {"approve": True}).status_code == 403
    client.force_login(flow.users["outsider_leader"])
    assert client.post(f"{API}/inround/working-papers/{paper['id']}/decide/", {"approve": True}).status_code == 404
    client.force_login(flow.users["leader"])
    assert client.post(f"{API}/inround/working-papers/{paper['id']}/decide/", {"approve": False}).status_code == 400
    decided = client.post(f"{API}/inround/working-papers/{paper['id']}/decide/", {"approve": True}).json()
    assert decided["status"] == "approved" and decided["decided_by"] == flow.users["leader"].pk
    client.force_login(flow.users["outsider_leader"])  # not on this round: it is as if it did not exist
    assert (
        client.post(
            f"{API}/inround/working-papers/",
            {"round": flow.round.pk, "target": flow.target.pk, "title": "x", "content": "y"},
        ).status_code
        == 400
    )


def test_findings_and_clues_by_role_and_clearance(client, flow):
    with flow.schema():
        finding = make_finding(flow, fixed=True)
        other = make_finding(flow, round=flow.other_round, target=flow.other_target, title="另一轮问题", actor="admin")
        clue = make_clue(flow)
    expectations = {
        "admin": ({finding.pk, other.pk}, {clue.pk}),
        "member": ({finding.pk}, {clue.pk}),
        "outsider_leader": ({other.pk}, set()),
        "staff_internal": ({finding.pk, other.pk}, set()),
        "viewer": ({finding.pk, other.pk}, set()),
    }
    for user in ("liaison", "discipline_receiver"):  # refused on the page and the API alike
        client.force_login(flow.users[user])
        for path in (f"{API}/findings/findings/", f"{API}/findings/clues/", f"{WEB}/findings/"):
            response = client.get(path)
            assert response.status_code == 403 and "礼金" not in response.content.decode(), (user, path)
    for user, (findings, clues) in expectations.items():
        client.force_login(flow.users[user])
        assert {f["id"] for f in client.get(f"{API}/findings/findings/").json()["results"]} == findings, user
        listed = client.get(f"{API}/findings/clues/").content.decode()
        assert {c["id"] for c in client.get(f"{API}/findings/clues/").json()["results"]} == clues, user
        if not clues:
            assert "礼金" not in listed and "王某某" not in listed
            assert "礼金" not in client.get(f"{WEB}/findings/").content.decode()
    client.force_login(flow.users["staff_internal"])
    assert client.get(f"{API}/findings/clues/{clue.pk}/").status_code == 404


def test_finding_input_is_checked(client, flow):
    from tenants.findings.models import Finding
    from tenants.office.models import FindingCategory

    with flow.schema():
        category_id = FindingCategory.objects.get(code="work-discipline").pk
    client.force_login(flow.users["member"])
    base = {
        "round": flow.round.pk,
        "target": flow.target.pk,
        "category": category_id,
        "title": "t",
        "description": "d",
        "evidence": "e",
    }
    assert client.post(f"{API}/findings/findings/", {**base, "evidence": ""}).status_code == 400
    assert client.post(f"{API}/findings/findings/", {**base, "fixed_on_spot": True}).status_code == 400
    assert client.post(f"{API}/findings/findings/", {**base, "classification": 9}).status_code == 400
    # A round the member is not on is refused like a round that does not exist (issue 13 point 8).
    assert client.post(f"{API}/findings/findings/", {**base, "round": flow.other_round.pk}).json() == {
        "round": [f"无效主键 “{flow.other_round.pk}” － 对象不存在。"]
    }
    with flow.schema():
        assert not Finding.objects.exists()
    created = client.post(f"{API}/findings/findings/", {**base, "fixed_on_spot": True, "fixed_on_spot_note": "已改"})
    assert created.status_code == 201 and created.json()["fixed_on_spot"] is True


def test_clues_cannot_be_lowered_below_secret(flow):
    from tenants.findings.services import clue_create

    with flow.schema():
        with pytest.raises(ValidationError):
            clue_create(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                round=flow.round,
                target=flow.target,
                summary="x",
                classification=1,
            )
        with pytest.raises(PermissionDenied):  # an internal-cleared officer cannot write a 机密 clue
            clue_create(
                actor=flow.users["staff_internal"],
                access=flow.access("staff_internal"),
                round=flow.round,
                target=flow.target,
                summary="x",
            )


@pytest.mark.parametrize(
    "user, pages",
    [
        ("admin", {"inround": 200, "findings": 200, "transfers": 200, "rectification": 200}),
        ("member", {"inround": 200, "findings": 200, "transfers": 200, "rectification": 200}),
        ("liaison", {"inround": 403, "findings": 403, "transfers": 403, "rectification": 200}),
        ("discipline_receiver", {"inround": 403, "findings": 403, "transfers": 200, "rectification": 403}),
        ("viewer", {"inround": 403, "findings": 200, "transfers": 200, "rectification": 200}),
    ],
)
def test_pages_per_role(client, flow, user, pages):
    client.force_login(flow.users[user])
    for page, status in pages.items():
        assert client.get(f"{WEB}/{page}/").status_code == status, page
    home = client.get(f"{WEB}/").content.decode()
    for page, status in pages.items():
        assert (f"{WEB}/{page}/" in home) == (status == 200), page


def test_round_section_links_the_later_steps(client, flow):
    with flow.schema():
        feedback = signed_feedback(flow)
    client.force_login(flow.users["admin"])
    page = client.get(f"{WEB}/rectification/rounds/{flow.round.pk}/").content.decode()
    assert 'data-testid="round-later-steps"' in page and f"/rectification/feedback/{feedback.pk}/" in page
    assert "2025-10-16" in page or "2025年10月16日" in page


def test_web_forms_record_and_refuse_cleanly(client, flow):
    from tenants.rectification.models import RectificationItem

    with flow.schema():
        feedback = signed_feedback(flow)
    client.force_login(flow.users["admin"])
    url = f"{WEB}/rectification/feedback/{feedback.pk}/items/"
    response = client.post(
        url, {"problem": "p", "task": "", "responsible_unit": "u", "responsible_person": "r"}, follow=True
    )
    assert response.status_code == 200
    with flow.schema():
        assert not RectificationItem.objects.exists()
    client.post(url, {"problem": "p", "task": "t", "responsible_unit": "u", "responsible_person": "r"})
    with flow.schema():
        assert RectificationItem.objects.count() == 1


def test_openapi_schema_documents_the_endpoints(client, flow):
    client.force_login(flow.users["admin"])
    schema = client.get(f"{API}/schema/").content.decode()
    for path in (
        "/api/inround/interviews/",
        "/api/findings/clues/",
        "/api/transfers/{id}/sign/",
        "/api/rectification/feedbacks/{id}/sign/",
        "/api/rectification/items/{id}/verify/",
    ):
        assert path in schema, path


def test_every_disclosure_of_an_informants_identity_is_audited_as_such(client, flow):
    from tenants.audit.models import AuditEvent
    from tenants.inround.services import petition_record

    with flow.schema():
        interview = _interview(flow)
        petition = petition_record(
            actor=flow.users["leader"],
            access=flow.access("leader"),
            round=flow.round,
            target=flow.target,
            channel="visit",
            received_on=datetime.date(2025, 5, 3),
            summary="来访反映……",
            informant=INFORMANT,
        )
        anonymous = petition_record(
            actor=flow.users["leader"],
            access=flow.access("leader"),
            round=flow.round,
            target=flow.target,
            channel="letter",
            received_on=datetime.date(2025, 5, 2),
            summary="匿名来信反映……",
        )

    def disclosures():
        with flow.schema():
            return [
                (e.username, e.record_type, e.classification, e.detail)
                for e in AuditEvent.objects.filter(action="informant_read").order_by("seq")
            ]

    client.force_login(flow.users["leader"])
    assert client.get(f"{API}/inround/interviews/{interview.pk}/informant/").json()["name"] == "举报人陈某"
    assert client.get(f"{API}/inround/petitions/{petition.pk}/informant/").json()["contact"] == "13800000000"
    assert "举报人陈某" in client.get(f"{WEB}/inround/interview/{interview.pk}/").content.decode()
    assert client.get(f"{API}/inround/petitions/{anonymous.pk}/informant/").json() == {"anonymous": True}
    leader = flow.users["leader"].get_username()
    assert disclosures() == [
        (
            leader,
            "inround.informantidentity",
            3,
            f'{{"record_key": {interview.pk}, "record_type": "inround.interview"}}',
        ),
        (leader, "inround.informantidentity", 3, f'{{"record_key": {petition.pk}, "record_type": "inround.petition"}}'),
        (
            leader,
            "inround.informantidentity",
            3,
            f'{{"record_key": {interview.pk}, "record_type": "inround.interview"}}',
        ),
    ]  # nothing disclosed for the anonymous petition, so nothing logged for it
    # Refused: nothing disclosed, nothing logged as a disclosure (the page still renders without the name).
    client.force_login(flow.users["member"])
    assert client.get(f"{API}/inround/interviews/{interview.pk}/informant/").status_code == 403
    page = client.get(f"{WEB}/inround/interview/{interview.pk}/")
    assert page.status_code == 200 and "举报人陈某" not in page.content.decode()
    assert len(disclosures()) == 3
