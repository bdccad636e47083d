"""An API list's row is its record as the record's own GET answers it (issue 14): the lists join only what their
rows show and read their nested rows as plain lists (tenants.kernel.api prefetch_rows), the records' GETs read
them through the relations; both must say the same, nested rows and files included, in the same order."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sync.orgs import current_organization_code
from tests.tenants.attachments.test_evidence_files import pdf_bytes, upload
from tests.tenants.workflow import API, handed_over_transfer, items_due, make_finding, signed_feedback


def _rows_are_their_records(client, path: str) -> list[dict]:
    listed = client.get(f"{API}/{path}")
    assert listed.status_code == 200, listed.content[:300]
    rows = listed.json()["results"]
    for row in rows:
        assert client.get(f"{API}/{path}{row['id']}/").json() == row
    return rows


def test_each_list_row_is_what_its_record_answers(client, flow):
    from tenants.rectification.models import SubmissionKind
    from tenants.rectification.services import submission_submit

    admin, access = flow.users["admin"], flow.access("admin")
    with flow.schema():
        feedback = signed_feedback(flow)
        submission_submit(
            actor=flow.users["liaison"],
            access=flow.access("liaison"),
            feedback=feedback,
            kind=SubmissionKind.PLAN,
            content="整改方案",
        )
        items_due(actor=admin, access=access, feedback=feedback, dues=[datetime.date(2025, 12, 1)] * 2)
        make_finding(flow)
        handed_over_transfer(flow, today=datetime.date(2025, 9, 26))
    client.force_login(flow.users["liaison"])
    [item, _other] = client.get(f"{API}/rectification/items/").json()["results"]
    files = [upload(name, pdf_bytes(1)) for name in ("会议记录.pdf", "b.pdf")]
    posted = client.post(f"{API}/rectification/items/{item['id']}/evidence/", {"evidence": "会议记录", "files": files})
    assert posted.status_code == 200, posted.content

    client.force_login(admin)
    [feedback_row] = _rows_are_their_records(client, "rectification/feedbacks/")
    assert [s["party"] for s in feedback_row["receipt_signatures"]] == ["team_leader", "unit_principal", "office_head"]
    assert [s["kind"] for s in feedback_row["submissions"]] == ["plan"]
    items = _rows_are_their_records(client, "rectification/items/")
    assert sorted(len(row["attachments"]) for row in items) == [0, 2]
    [with_files] = [row for row in items if row["attachments"]]
    assert [file["name"] for file in with_files["attachments"]] == ["会议记录.pdf", "b.pdf"]
    [finding] = _rows_are_their_records(client, "findings/findings/")
    assert finding["category_name"] and finding["round"] == flow.round.pk
    [transfer] = _rows_are_their_records(client, "transfers/")
    assert [(s["party"], s["signed_by"]) for s in transfer["signatures"]] == [
        ("team", "flow-member"),
        ("office", "flow-admin"),
        ("agency", "flow-discipline_receiver"),
    ]


def test_the_organisation_code_of_a_request_costs_no_statement(flow):
    with flow.schema():  # a schema entered by name: the organisation is read
        with CaptureQueriesContext(connection) as read:
            assert current_organization_code() == flow.org.code
        assert [q["sql"] for q in read.captured_queries if "orgs_organization" in q["sql"]]
    connection.set_tenant(flow.org)  # as the routing middleware enters it for a request
    try:
        with CaptureQueriesContext(connection) as none:
            assert current_organization_code() == flow.org.code
        assert len(none) == 0
    finally:
        connection.set_schema_to_public()
