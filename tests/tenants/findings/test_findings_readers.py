"""Who may not read findings is refused on the page and on the API alike (issue 10): the unit liaison got a
403 on the findings page but a 200 with an empty list from the clue and finding APIs. The team member on
the round is the control on both."""

from __future__ import annotations

from tests.tenants.workflow import API, WEB, make_clue, make_finding


def test_the_unit_liaison_is_refused_findings_and_clues_on_the_page_and_the_api(client, flow):
    with flow.schema():
        make_finding(flow)
        make_clue(flow)
    client.force_login(flow.users["member"])  # the control: a member of the round's team
    assert client.get(f"{WEB}/findings/").status_code == 200
    assert len(client.get(f"{API}/findings/findings/").json()["results"]) == 1
    assert [row["summary"] for row in client.get(f"{API}/findings/clues/").json()["results"]] == [
        "某副局长收受礼金线索"
    ]

    client.force_login(flow.users["liaison"])
    assert client.get(f"{WEB}/findings/").status_code == 403
    for path in ("findings/findings/", "findings/clues/"):
        response = client.get(f"{API}/{path}")
        assert response.status_code == 403, path
        assert response.json() == {"detail": "您没有执行该操作的权限。"}
