"""The round lifecycle as data: the legal transitions and who may make each one."""

from __future__ import annotations

from shared.accounts.models import Role
from tenants.kernel.roles import MANAGERS
from tenants.rounds.models import RoundState as S

# from-state -> the next state. The lifecycle is linear: planned → … → archived.
NEXT_STATE: dict[str, str] = {
    S.PLANNED: S.TEAM_FORMED,
    S.TEAM_FORMED: S.ANNOUNCED,
    S.ANNOUNCED: S.ON_SITE,
    S.ON_SITE: S.REPORTING,
    S.REPORTING: S.HEARING,
    S.HEARING: S.FEEDBACK,
    S.FEEDBACK: S.RECTIFICATION,
    S.RECTIFICATION: S.CLOSED,
    S.CLOSED: S.ARCHIVED,
}
LEGAL_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(NEXT_STATE.items())

# Who may make a transition, by target state. Leaving `hearing` records the leading group's
# hearing and decision (004 art.31), so only the leading group does it.
TRANSITION_ROLES: dict[str, tuple[str, ...]] = {state: MANAGERS for state in S.values}
TRANSITION_ROLES[S.FEEDBACK] = (Role.LEADING_GROUP,)

# States in which teams may still be changed.
TEAM_EDIT_STATES = frozenset({S.PLANNED, S.TEAM_FORMED})
MEMBER_EDIT_STATES = frozenset({S.PLANNED, S.TEAM_FORMED, S.ANNOUNCED, S.ON_SITE})
# A target may be taken off its team until the team leaves the site (assigning one: TEAM_EDIT_STATES).
TARGET_REMOVE_STATES = MEMBER_EDIT_STATES


def is_legal(from_state: str, to_state: str) -> bool:
    return (from_state, to_state) in LEGAL_TRANSITIONS


def next_state(state: str) -> str | None:
    return NEXT_STATE.get(state)
