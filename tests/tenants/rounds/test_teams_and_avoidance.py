"""Teams: 1–3 targets, one team per target per round, and avoidance (回避) on every path."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tenants.experts.services import conflict_declare
from tenants.rounds.models import Team, TeamMember, TeamTarget
from tenants.rounds.services import round_create, round_expert_authorise, team_create, team_member_add, team_target_add


@pytest.fixture
def team(staffed_round):
    return Team.objects.get(round=staffed_round)


def _authorised(round, expert, user):
    round_expert_authorise(round=round, expert=expert, actor=user)
    return expert


def test_post_avoidance_by_declaration_names_the_rule(team, office_user, make_expert):
    expert = _authorised(team.round, make_expert(name="李审计"), office_user)
    conflict_declare(expert=expert, target=team.team_targets.get().target, kind="post", note="曾任该镇副镇长")
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=team, expert=expert, actor=office_user)
    assert refused.value.code == "avoidance_post"
    assert "任职回避" in refused.value.messages[0] and "李审计" in refused.value.messages[0]
    assert not TeamMember.objects.filter(expert=expert).exists()


def test_post_avoidance_when_the_expert_works_in_the_unit(team, office_user, make_expert):
    expert = _authorised(team.round, make_expert(name="赵干部", unit="城关镇党委", post="组织委员"), office_user)
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=team, expert=expert, actor=office_user)
    assert refused.value.code == "avoidance_post"


def test_region_avoidance_by_home_region(county, office_user, make_expert, make_target):
    round = round_create(name="机动巡察", kind="ad_hoc", actor=office_user)
    team = team_create(round=round, name="机动组")
    team_target_add(team=team, target=make_target(name="善堂镇党委", region_code="410621104"))
    expert = _authorised(round, make_expert(name="孙财政", home_region_code="410621104"), office_user)
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=team, expert=expert, actor=office_user)
    assert refused.value.code == "avoidance_region"
    assert "地域回避" in refused.value.messages[0]
    other = _authorised(round, make_expert(name="钱公安", home_region_code="410621105"), office_user)
    assert team_member_add(team=team, expert=other, actor=office_user).pk


def test_region_avoidance_by_declaration(team, office_user, make_expert):
    expert = _authorised(team.round, make_expert(name="周纪检"), office_user)
    conflict_declare(expert=expert, target=team.team_targets.get().target, kind="region")
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=team, expert=expert, actor=office_user)
    assert refused.value.code == "avoidance_region"


def test_official_matter_avoidance(team, office_user, make_expert):
    expert = _authorised(team.round, make_expert(name="吴组织"), office_user)
    conflict_declare(
        expert=expert, target=team.team_targets.get().target, kind="official_matter", note="配偶在该单位任职"
    )
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=team, expert=expert, actor=office_user)
    assert refused.value.code == "avoidance_official_matter"
    assert "公务回避" in refused.value.messages[0]


def test_adding_a_conflicting_target_to_a_staffed_team_is_refused_too(team, office_user, make_expert, make_target):
    expert = _authorised(team.round, make_expert(name="郑审计"), office_user)
    team_member_add(team=team, expert=expert, actor=office_user)
    conflicted = make_target(name="黎阳街道党工委")
    conflict_declare(expert=expert, target=conflicted, kind="official_matter")
    with pytest.raises(ValidationError) as refused:
        team_target_add(team=team, target=conflicted)
    assert refused.value.code == "avoidance_official_matter"
    assert not TeamTarget.objects.filter(target=conflicted).exists()


def test_a_conflict_with_another_target_does_not_block(team, office_user, make_expert, make_target):
    expert = _authorised(team.round, make_expert(name="冯纪检"), office_user)
    conflict_declare(expert=expert, target=make_target(name="别的单位"), kind="post")
    assert team_member_add(team=team, expert=expert, actor=office_user).pk


def test_member_must_be_authorised_for_the_round(team, office_user, make_expert):
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=team, expert=make_expert(name="未授权"), actor=office_user)
    assert refused.value.code == "not_authorised"


def test_one_leader_per_team_and_one_team_per_person(team, office_user, make_expert):
    second_leader = _authorised(team.round, make_expert(name="陈"), office_user)
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=team, expert=second_leader, role="leader", actor=office_user)
    assert refused.value.code == "leader_exists"
    other_team = team_create(round=team.round, name="第二巡察组")
    leader = team.leader.expert
    with pytest.raises(ValidationError) as refused:
        team_member_add(team=other_team, expert=leader, actor=office_user)
    assert refused.value.code == "already_member"


def test_a_team_takes_at_most_three_targets(team, make_target):
    team_target_add(team=team, target=make_target())
    team_target_add(team=team, target=make_target())
    with pytest.raises(ValidationError) as refused:
        team_target_add(team=team, target=make_target())
    assert refused.value.code == "too_many"
    assert team.team_targets.count() == 3


def test_a_target_is_on_one_team_per_round_service_and_database(team, office_user):
    target = team.team_targets.get().target
    other_team = team_create(round=team.round, name="第三巡察组")
    with pytest.raises(ValidationError) as refused:
        team_target_add(team=other_team, target=target)
    assert refused.value.code == "target_taken"
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamTarget.objects.create(team=other_team, round=team.round, target=target)


def test_the_same_target_can_be_on_teams_of_different_rounds(team, office_user):
    target = team.team_targets.get().target
    later = round_create(name="下一轮", kind="ad_hoc", actor=office_user)
    assert team_target_add(team=team_create(round=later, name="一组"), target=target).pk


def test_teams_are_frozen_after_announcement(team, office_user, office_access, make_target):
    from tenants.rounds.services import round_transition

    round_transition(round=team.round, to_state="team_formed", actor=office_user, access=office_access)
    round_transition(round=team.round, to_state="announced", actor=office_user, access=office_access)
    with pytest.raises(ValidationError) as refused:
        team_target_add(team=team, target=make_target())
    assert refused.value.code == "state"


def test_the_organisations_own_region_is_no_conflict(county, office_user, make_expert, make_target):
    # County A's office inspecting a county department: everyone's home region is the county itself.
    round = round_create(name="县直部门巡察", kind="ad_hoc", actor=office_user)
    team = team_create(round=round, name="县直组")
    team_target_add(team=team, target=make_target(name="县水利局党组", level="county", region_code="410621"))
    expert = _authorised(round, make_expert(name="本县干部", home_region_code="410621"), office_user)
    assert team_member_add(team=team, expert=expert, actor=office_user).pk


def test_a_city_round_on_a_county_applies_region_avoidance(orgs, make_member):
    from django_tenants.utils import schema_context

    from tenants.experts.services import expert_create
    from tenants.targets.services import target_create

    user = make_member(orgs["city"], "office_staff")
    with schema_context(orgs["city"].schema_name):
        round = round_create(name="对浚县的巡察", kind="ad_hoc", actor=user)
        team = team_create(round=round, name="市委第一组")
        team_target_add(
            team=team,
            target=target_create(name="浚县县委", level="county", managing_org_code="410600", region_code="410621"),
        )
        expert = expert_create(name="浚县籍干部", home_region_code="410621")
        round_expert_authorise(round=round, expert=expert, actor=user)
        with pytest.raises(ValidationError) as refused:
            team_member_add(team=team, expert=expert, actor=user)
        assert refused.value.code == "avoidance_region"


def test_the_database_refuses_a_team_target_or_member_under_another_round(team, office_user, make_target, make_expert):
    from django.db import connection

    other_round = round_create(name="另一轮", kind="ad_hoc", actor=office_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamTarget.objects.create(team=team, round=other_round, target=make_target())
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")  # the FK is deferred to commit
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.create(team=team, round=other_round, expert=make_expert(), added_by=office_user)
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
