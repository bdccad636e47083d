"""Search shows only what the searcher could open: clearance, their rounds and their role's pages apply;
informant identities are never searched; the query travels in a POST body; classified hits are audited."""

from __future__ import annotations

import datetime

import pytest

from tenants.audit.models import AuditEvent
from tests.tenants.workflow import WEB, make_clue, make_finding

MARKER = "甲乙丙丁查询标记"


@pytest.fixture
def planted(flow):
    from tenants.inround.services import interview_record

    with flow.schema():
        clue = make_clue(flow, summary=f"某副局长收受礼金{MARKER}线索")
        finding = make_finding(flow, title=f"会议纪要不规范{MARKER}")
        other = make_finding(
            flow, title=f"另一轮次问题{MARKER}", round=flow.other_round, target=flow.other_target, actor="admin"
        )
        interview = interview_record(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            round=flow.round,
            target=flow.target,
            held_on=datetime.date(2025, 9, 1),
            summary="谈话要点",
            informant={"name": f"证人{MARKER}", "position": "科员"},
        )
    return {"clue": clue, "finding": finding, "other": other, "interview": interview}


def _search(client, flow, user, query=MARKER):
    client.force_login(flow.users[user])
    return client.post(f"{WEB}/search/", {"q": query})


def _groups(response) -> dict[str, str]:
    page = response.content.decode()
    return {
        key: page
        for key in ("rounds", "targets", "findings", "clues", "records", "rectification")
        if f'data-testid="search-{key}"' in page
    }


def test_each_role_finds_only_what_it_may_open(flow, planted, client):
    admin = _search(client, flow, "admin")
    assert admin.status_code == 200 and set(_groups(admin)) == {"findings", "clues"}
    page = admin.content.decode()
    assert "另一轮次问题" in page and "收受礼金" in page

    internal = _search(client, flow, "staff_internal")  # clearance 内部: no 机密 clue
    assert set(_groups(internal)) == {"findings"} and "收受礼金" not in internal.content.decode()

    leader = _search(client, flow, "leader")  # the round's team leader: its findings and clues, not the other round
    assert set(_groups(leader)) == {"findings", "clues"} and "另一轮次问题" not in leader.content.decode()

    outsider = _search(client, flow, "outsider_leader")  # leads the other round only
    page = outsider.content.decode()
    assert "另一轮次问题" in page and "会议纪要不规范" not in page and "收受礼金" not in page

    liaison = _search(client, flow, "liaison")  # a unit's liaison: none of the inspection's own records
    assert _groups(liaison) == {} and 'data-testid="search-empty"' in liaison.content.decode()


def test_informant_identities_are_never_searched(flow, planted, client):
    response = _search(client, flow, "admin", query=f"证人{MARKER}")
    assert 'data-testid="search-empty"' in response.content.decode()
    results = response.content.decode().split('role="search"', 1)[1].split("</form>", 1)[1]
    assert "证人" not in results


def test_classified_hits_are_audited_and_the_query_is_not(flow, planted, client):
    _search(client, flow, "admin")
    with flow.schema():
        events = AuditEvent.objects.filter(user_id=flow.users["admin"].pk)
        assert events.filter(record_type="findings.clue", record_key=str(planted["clue"].pk)).exists()
        assert not any(MARKER in (event.detail or "") for event in events)


def test_the_query_is_posted_and_checked(flow, planted, client):
    client.force_login(flow.users["admin"])
    form = client.get(f"{WEB}/search/").content.decode()
    assert 'method="post"' in form and MARKER not in form
    too_short = client.post(f"{WEB}/search/", {"q": " 甲 "})
    assert too_short.status_code == 400 and 'role="alert"' in too_short.content.decode()
    too_long = client.post(f"{WEB}/search/", {"q": "长" * 101})
    assert too_long.status_code == 400


def test_the_api_answers_the_same_and_refuses_get(flow, planted, client):
    client.force_login(flow.users["leader"])
    response = client.post(f"{WEB}/api/search/", {"q": MARKER}, content_type="application/json")
    assert response.status_code == 200
    groups = {group["key"]: group for group in response.json()}
    assert set(groups) == {"findings", "clues"}
    assert [hit["title"] for hit in groups["findings"]["hits"]] == [planted["finding"].title]
    assert client.get(f"{WEB}/api/search/?q={MARKER}").status_code == 405
    assert client.post(f"{WEB}/api/search/", {"q": "x"}, content_type="application/json").status_code == 400
    client.logout()
    assert client.post(f"{WEB}/api/search/", {"q": MARKER}, content_type="application/json").status_code in (401, 403)


def test_units_are_found_by_those_who_oversee_and_rounds_by_those_on_them(flow, planted, client):
    assert set(_groups(_search(client, flow, "viewer", query="交通运输局"))) == {"targets"}
    assert "targets" not in _groups(_search(client, flow, "member", query="交通运输局"))
    assert set(_groups(_search(client, flow, "member", query="市委第"))) == {"rounds"}
    member_rounds = _search(client, flow, "member", query="市委第").content.decode()
    assert "市委第一轮巡察" in member_rounds and "市委第二轮巡察" not in member_rounds
