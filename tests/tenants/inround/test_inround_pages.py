"""In-round records through the web page: recorded with their dates; a malformed date is refused with a message
and writes nothing."""

from __future__ import annotations

import datetime

from tenants.inround.models import Interview, Petition
from tests.tenants.workflow import WEB


def _post(client, flow, kind, **fields):
    client.force_login(flow.users["admin"])
    return client.post(f"{WEB}/inround/{kind}/new/", {"round": flow.round.pk, "target": flow.target.pk, **fields})


def test_an_interview_and_a_petition_are_recorded_from_the_page(flow, client):
    interview = _post(client, flow, "interview", date="2025-09-01", summary="谈话要点", informant_name="证人甲")
    petition = _post(client, flow, "petition", date="2025-09-02", summary="反映问题", channel="letter")
    assert interview.status_code == petition.status_code == 302
    with flow.schema():
        assert Interview.objects.get(round=flow.round).held_on == datetime.date(2025, 9, 1)
        assert Petition.objects.get(round=flow.round).received_on == datetime.date(2025, 9, 2)


def test_a_malformed_date_is_a_message_and_writes_nothing(flow, client):
    response = _post(client, flow, "interview", date="2025-13-40", summary="谈话要点")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "YYYY-MM-DD" in page
    with flow.schema():
        assert not Interview.objects.filter(round=flow.round).exists()
