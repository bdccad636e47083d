"""The office's own leadership register is not revealed to members who may not write clues (issue 13 point 8)."""

from __future__ import annotations

import uuid

from tenants.findings.escalation import leadership_member_add


def test_a_name_on_the_leadership_register_is_not_revealed_to_the_leading_group(county, client):
    """The register is the office's; the leading group may not write clues, so naming a registered leader and
    naming anyone else are refused alike. Control: the office naming the registered leader escalates."""
    registered, unknown = f"登记-{uuid.uuid4().hex[:6]}", f"未登记-{uuid.uuid4().hex[:6]}"
    with county.schema():
        leadership_member_add(
            actor=county.users["office"],
            access=county.access("office"),
            name=registered,
            post="县长",
            body="government",
        )

    def clue(name):
        return {
            "round": county.round.pk,
            "target": county.target.pk,
            "summary": "线索",
            "persons": [{"name": name, "position": "干部"}],
        }

    client.force_login(county.users["leading"])
    as_registered = client.post("/org/410621/api/findings/clues/", clue(registered), content_type="application/json")
    as_unknown = client.post("/org/410621/api/findings/clues/", clue(unknown), content_type="application/json")
    assert as_registered.status_code == as_unknown.status_code == 403
    assert as_registered.content == as_unknown.content
    client.force_login(county.users["office"])
    escalated = client.post("/org/410621/api/findings/clues/", clue(registered), content_type="application/json")
    assert escalated.status_code == 201 and escalated.json()["escalated"] is True
