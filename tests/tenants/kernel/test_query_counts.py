"""List endpoints cost the same number of statements whatever the number of rows."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tenants.walk import round_walk
from tests.tenants.workflow import CODE, signed_feedback

FEEDBACKS = f"/org/{CODE}/api/rectification/feedbacks/"


def _statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries), response.json()["results"]  # one page of the list


def test_feedback_list_api_counts_no_statement_per_feedback(client, flow):
    from tenants.rectification.models import ReceiptParty
    from tenants.rectification.services import feedback_create, receipt_sign

    client.force_login(flow.users["admin"])
    with flow.schema():
        signed_feedback(flow)
    client.get(FEEDBACKS)  # the first read creates the office's default thresholds row, once
    one, body = _statements(client, FEEDBACKS)
    assert [row["target"] for row in body] == [flow.target.pk]

    with flow.schema():
        heard = round_walk(flow.other_round, "hearing", **flow.walkers())
        admin, access = flow.users["admin"], flow.access("admin")
        second = feedback_create(
            actor=admin,
            access=access,
            round=heard,
            target=flow.other_target,
            leadership_content="班子问题",
            principal_content="主要负责人问题",
        )
        receipt_sign(
            actor=admin,
            access=access,
            feedback=second,
            party=ReceiptParty.TEAM_LEADER,
            signer_name="张组长",
            signed_on=datetime.date(2025, 9, 26),
        )
    two, body = _statements(client, FEEDBACKS)
    assert sorted(row["target"] for row in body) == sorted([flow.target.pk, flow.other_target.pk])
    assert two == one
