"""The API's refusals tell a caller nothing about records they may not see (issue 13 point 8).

Each oracle is probed as the role that must not learn the answer: a record that exists but is hidden from the
caller and a record that does not exist get the same answer; a positive control on a visible record shows the
request itself was right.
"""

from __future__ import annotations

import json

from tests.tenants.workflow import API, category, make_clue, make_finding

MISSING = 999999


def _post(client, path, data):
    response = client.post(path, data, content_type="application/json")
    return response.status_code, response.json()


def _same_refusal(hidden, missing, hidden_id):
    """Same status, and the same body once each names its own id."""
    assert hidden[0] == missing[0] == 400, (hidden, missing)
    text = json.dumps(hidden[1], ensure_ascii=False).replace(str(hidden_id), "ID")
    assert text == json.dumps(missing[1], ensure_ascii=False).replace(str(MISSING), "ID")
    assert "无效主键" in text


def _finding(flow, round_id):
    with flow.schema():
        category_id = category("work-discipline").pk
    return {
        "round": round_id,
        "target": flow.target.pk,
        "category": category_id,
        "severity": "minor",
        "title": "会议纪要不规范",
        "description": "描述",
        "evidence": "会议记录",
    }


def test_a_round_id_the_caller_may_not_see_is_refused_like_one_that_does_not_exist(flow, client):
    """The team member works on the first round only: the second round exists but is not theirs."""
    client.force_login(flow.users["member"])
    hidden = _post(client, f"{API}/findings/findings/", _finding(flow, flow.other_round.pk))
    missing = _post(client, f"{API}/findings/findings/", _finding(flow, MISSING))
    _same_refusal(hidden, missing, flow.other_round.pk)
    status, body = _post(client, f"{API}/findings/findings/", _finding(flow, flow.round.pk))
    assert status == 201 and body["round"] == flow.round.pk


def test_a_finding_id_the_caller_may_not_see_is_refused_like_one_that_does_not_exist(flow, client):
    with flow.schema():
        hidden = make_finding(flow, round=flow.other_round, target=flow.other_target, actor="outsider_leader")
        own = make_finding(flow)
    client.force_login(flow.users["member"])

    def clue(finding_id):
        return {"round": flow.round.pk, "target": flow.target.pk, "summary": "线索", "findings": [finding_id]}

    _same_refusal(
        _post(client, f"{API}/findings/clues/", clue(hidden.pk)),
        _post(client, f"{API}/findings/clues/", clue(MISSING)),
        hidden.pk,
    )
    status, body = _post(client, f"{API}/findings/clues/", clue(own.pk))
    assert status == 201 and body["findings"] == [own.pk]


def test_a_clue_id_above_the_callers_clearance_is_refused_like_one_that_does_not_exist(flow, client):
    """Office staff cleared for 内部 only: a 机密 clue exists, but not for them."""
    with flow.schema():
        clue = make_clue(flow)
        finding = make_finding(flow)
    client.force_login(flow.users["staff_internal"])

    def transfer(clue_id):
        return {"transfer_type": "discipline_clue", "clue": clue_id}

    _same_refusal(
        _post(client, f"{API}/transfers/", transfer(clue.pk)),
        _post(client, f"{API}/transfers/", transfer(MISSING)),
        clue.pk,
    )
    status, body = _post(client, f"{API}/transfers/", {"transfer_type": "other", "finding": finding.pk})
    assert status == 201, body
