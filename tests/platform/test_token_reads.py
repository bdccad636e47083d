"""A classified read through an API token is audited with the token it came through (issue 13 point 9)."""

from __future__ import annotations

from tenants.audit.models import AuditEvent
from tests.shared.test_api_tokens import _api, _make_token


def test_reads_through_a_token_are_audited_as_the_token(flow, client):
    from tests.tenants.workflow import make_clue

    with flow.schema():
        clue = make_clue(flow)
    client.force_login(flow.users["admin"])
    made = _make_token(client)
    response = _api(f"/org/410600/api/findings/clues/{clue.pk}/", made["token"])
    assert response.status_code == 200 and response.json()["id"] == clue.pk
    with flow.schema():
        read = AuditEvent.objects.filter(action="read", record_type="findings.clue", record_key=str(clue.pk)).last()
    assert (read.user_id, read.access_via) == (flow.users["admin"].pk, f"token:{made['key']}")
