"""Test states built the way the product builds them: a round is moved by round_transition through every
step, so each transition's rules and side effects apply to the tests' rounds too."""

from __future__ import annotations

ORDER = (
    "planned",
    "team_formed",
    "announced",
    "on_site",
    "reporting",
    "hearing",
    "feedback",
    "rectification",
    "closed",
    "archived",
)
HEARING_DECISION = "领导小组听取汇报，同意反馈"


def round_walk(round, to_state, *, office, office_access, leading=None, leading_access=None):
    """Move `round` step by step from its state to `to_state`: the office makes each move, the leading
    group the one into feedback (it records the hearing's decision). Returns the round as saved."""
    from tenants.rounds.services import round_transition

    for state in ORDER[ORDER.index(round.state) + 1 : ORDER.index(to_state) + 1]:
        if state == "feedback":
            round = round_transition(
                round=round, to_state=state, actor=leading, access=leading_access, note=HEARING_DECISION
            )
        else:
            round = round_transition(round=round, to_state=state, actor=office, access=office_access)
    assert round.state == to_state
    return round
