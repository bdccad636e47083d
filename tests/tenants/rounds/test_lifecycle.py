"""The round lifecycle: every legal step, refusals with clear messages, and the log."""

from datetime import date
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError

from tenants.rounds import lifecycle
from tenants.rounds.models import Round, RoundState, RoundTransition
from tenants.rounds.services import round_create, round_transition, round_update, team_create
from tenants.targets.models import Target
from tests.tenants.walk import round_walk

ORDER = [
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
]


def _walk(round, to_state, office_user, office_access, leading_user, leading_access):
    if to_state == "feedback":
        return round_transition(
            round=round, to_state=to_state, actor=leading_user, access=leading_access, note="同意巡察报告，按程序反馈"
        )
    return round_transition(round=round, to_state=to_state, actor=office_user, access=office_access)


def test_a_round_walks_every_legal_step_and_each_is_logged(
    staffed_round, office_user, office_access, leading_user, leading_access
):
    round = staffed_round
    for to_state in ORDER[1:]:
        round = _walk(round, to_state, office_user, office_access, leading_user, leading_access)
        assert Round.objects.get(pk=round.pk).state == to_state
    log = list(RoundTransition.objects.filter(round=round).values_list("from_state", "to_state", "by_id"))
    assert [(f, t) for f, t, _ in log] == list(pairwise(ORDER))
    assert log[ORDER.index("feedback") - 1][2] == leading_user.pk
    assert all(by == office_user.pk for f, t, by in log if t != "feedback")
    assert RoundTransition.objects.get(round=round, to_state="feedback").note == "同意巡察报告，按程序反馈"


def test_every_legal_transition_is_the_next_state_only():
    assert set(pairwise(ORDER)) == set(lifecycle.LEGAL_TRANSITIONS)


@pytest.mark.parametrize(
    "from_state,to_state",
    [
        ("planned", "on_site"),
        ("planned", "closed"),
        ("team_formed", "planned"),
        ("on_site", "announced"),
        ("hearing", "rectification"),
        ("closed", "planned"),
        ("archived", "closed"),
        ("archived", "planned"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message_and_not_logged(
    staffed_round, office_user, office_access, leading_user, leading_access, from_state, to_state
):
    round = round_walk(
        staffed_round,
        from_state,
        office=office_user,
        office_access=office_access,
        leading=leading_user,
        leading_access=leading_access,
    )
    logged = RoundTransition.objects.filter(round=round).count()
    assert logged == ORDER.index(from_state)
    with pytest.raises(ValidationError) as refused:
        round_transition(round=round, to_state=to_state, actor=office_user, access=office_access)
    assert refused.value.code == "illegal_transition"
    assert str(RoundState(from_state).label) in refused.value.messages[0]
    assert Round.objects.get(pk=round.pk).state == from_state
    assert RoundTransition.objects.filter(round=round).count() == logged


def test_unknown_state_is_refused(staffed_round, office_user, office_access):
    with pytest.raises(ValidationError) as refused:
        round_transition(round=staffed_round, to_state="dancing", actor=office_user, access=office_access)
    assert refused.value.code == "unknown_state"


def test_teams_must_be_complete_before_team_formed(county, office_user, office_access):
    round = round_create(name="无组轮次", kind="ad_hoc", actor=office_user)
    with pytest.raises(ValidationError, match="at least one team|至少"):
        round_transition(round=round, to_state="team_formed", actor=office_user, access=office_access)
    team_create(round=round, name="第二巡察组")
    with pytest.raises(ValidationError) as refused:
        round_transition(round=round, to_state="team_formed", actor=office_user, access=office_access)
    assert len(refused.value.messages) == 2  # no leader, no target
    assert Round.objects.get(pk=round.pk).state == "planned"


def test_regular_round_needs_twenty_working_days_on_site(staffed_round, office_user, office_access):
    round_transition(round=staffed_round, to_state="team_formed", actor=office_user, access=office_access)
    round_update(round=staffed_round, actor=office_user, onsite_end=date(2026, 3, 20))  # 15 working days
    with pytest.raises(ValidationError) as refused:
        round_transition(round=staffed_round, to_state="announced", actor=office_user, access=office_access)
    assert "20" in refused.value.messages[0] and "15" in refused.value.messages[0]


def test_only_the_leading_group_records_the_hearing_and_must_give_its_decision(
    staffed_round, office_user, office_access, leading_user, leading_access
):
    staffed_round = round_walk(staffed_round, "hearing", office=office_user, office_access=office_access)
    with pytest.raises(ValidationError) as refused:
        round_transition(round=staffed_round, to_state="feedback", actor=office_user, access=office_access, note="x")
    assert refused.value.code == "not_allowed"
    with pytest.raises(ValidationError) as refused:
        round_transition(round=staffed_round, to_state="feedback", actor=leading_user, access=leading_access)
    assert refused.value.code == "note_required"
    round_transition(round=staffed_round, to_state="feedback", actor=leading_user, access=leading_access, note="同意")
    assert Round.objects.get(pk=staffed_round.pk).state == "feedback"


def test_leading_group_cannot_make_office_transitions(staffed_round, leading_user, leading_access):
    with pytest.raises(ValidationError) as refused:
        round_transition(round=staffed_round, to_state="team_formed", actor=leading_user, access=leading_access)
    assert refused.value.code == "not_allowed"


def test_leaving_the_site_records_coverage_on_the_targets(staffed_round, office_user, office_access):
    staffed_round = round_walk(staffed_round, "on_site", office=office_user, office_access=office_access)
    assert Target.objects.get(name="城关镇党委").last_inspected_on is None
    round_transition(round=staffed_round, to_state="reporting", actor=office_user, access=office_access)
    target = Target.objects.get(name="城关镇党委")
    assert target.last_inspected_on == date(2026, 3, 31)
    assert target.last_inspected_round == "2026年第一轮常规巡察"


def test_kind_rules_special_needs_topic_look_back_needs_earlier_round(county, office_user, staffed_round):
    with pytest.raises(ValidationError, match="topic|专项"):
        round_create(name="专项", kind="special", actor=office_user)
    assert round_create(name="专项", kind="special", topic="惠农资金", actor=office_user).pk
    with pytest.raises(ValidationError):
        round_create(name="回头看", kind="look_back", actor=office_user)
    assert round_create(name="回头看", kind="look_back", look_back_of=staffed_round, actor=office_user).pk


def test_kind_is_extensible_through_the_registry(staffed_round):
    from tenants.rounds.kind_hooks import KindBehaviour, behaviour_for

    assert behaviour_for("regular").enforce_min_onsite_days is True
    assert behaviour_for("not-yet-registered").__class__ is KindBehaviour
    assert behaviour_for("ad_hoc").max_targets_per_team == 3
