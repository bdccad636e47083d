"""The pages that connect a round's steps: the round page's later-steps links, findings narrowed to a round,
the round's feedback section (new feedback, items closed, its ledger) and linking a pool member to a sign-in."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tenants.experts.models import Expert

ORG = "/org/410621/"


def _walk(round, access, user, *states):
    from tenants.rounds.services import round_transition

    for state in states:
        round = round_transition(round=round, to_state=state, actor=user, access=access, note="同意")
    return round


@pytest.fixture
def heard_round(staffed_round, office_user, office_access, leading_user):
    """The staffed round, heard by the leading group (feedback may be given)."""
    return _walk(
        staffed_round, office_access, office_user, "team_formed", "announced", "on_site", "reporting", "hearing"
    )


def test_round_page_links_to_the_later_steps_once_announced(client, county, staffed_round, office_user, office_access):
    client.force_login(office_user)
    page = client.get(f"{ORG}rounds/{staffed_round.pk}/").content.decode()
    assert 'data-testid="round-later-steps"' not in page  # nothing to find or feed back before the team goes in
    _walk(staffed_round, office_access, office_user, "team_formed", "announced")
    page = client.get(f"{ORG}rounds/{staffed_round.pk}/").content.decode()
    assert 'data-testid="round-later-steps"' in page
    assert f'href="{ORG}findings/?round={staffed_round.pk}"' in page
    assert f'href="{ORG}rectification/rounds/{staffed_round.pk}/"' in page


def test_findings_page_narrowed_to_a_round_preselects_it_and_offers_only_its_targets(
    client, county, staffed_round, office_user, make_target, orgs, make_member
):
    from tenants.findings.models import Finding
    from tenants.office.models import FindingCategory
    from tenants.rounds.services import round_create

    other = round_create(name="另一轮", kind="ad_hoc", actor=office_user)
    make_target(name="不在本轮的单位")
    client.force_login(office_user)
    page = client.get(f"{ORG}findings/", {"round": staffed_round.pk}).content.decode()
    round_select = re.search(r'<select name="round">(.*?)</select>', page).group(1)
    assert f'<option value="{staffed_round.pk}" selected>' in round_select and f'value="{other.pk}"' not in round_select
    assert "城关镇党委" in page and "不在本轮的单位" not in page
    assert 'data-testid="findings-round"' in page
    assert 'name="from" value="round"' in page
    category = FindingCategory.objects.get(code="work-discipline")
    finding = {
        "round": staffed_round.pk,
        "target": staffed_round.team_targets.get().target_id,
        "from": "round",
        "category": category.pk,
        "severity": "minor",
        "title": "村务公开不及时",
        "description": "未更新",
        "evidence": "照片",
    }
    response = client.post(f"{ORG}findings/new/", finding)
    assert response["Location"] == f"{ORG}findings/?round={staffed_round.pk}"
    assert Finding.objects.get(round=staffed_round).title == "村务公开不及时"
    finding["title"] = ""  # an error goes back to the narrowed page too, naming the missing field
    response = client.post(f"{ORG}findings/new/", finding, follow=True)
    assert response.redirect_chain[-1][0] == f"{ORG}findings/?round={staffed_round.pk}"
    assert Finding.objects.filter(round=staffed_round).count() == 1
    assert client.get(f"{ORG}findings/", {"round": 999999}).status_code == 404
    assert client.get(f"{ORG}findings/", {"round": "x"}).status_code == 404

    # A team member who is not on the round cannot open it through the findings page either.
    client.force_login(make_member(orgs["county_a"], "team_member", clearance=3))
    assert client.get(f"{ORG}findings/", {"round": staffed_round.pk}).status_code == 404


def test_feedback_is_given_from_the_rounds_section_and_errors_return_there(client, county, heard_round, office_user):
    from tenants.rectification.models import Feedback

    section = f"{ORG}rectification/rounds/{heard_round.pk}/"
    client.force_login(office_user)
    page = client.get(section).content.decode()
    assert 'data-testid="feedback-form"' in page and "城关镇党委" in page
    target_id = heard_round.team_targets.get().target_id
    form = {
        "round": heard_round.pk,
        "target": target_id,
        "from": "round",
        "leadership_content": "向班子反馈",
        "principal_content": "",
        "leadership_delivered_on": "2026-05-06",
    }
    response = client.post(f"{ORG}rectification/feedback/new/", form, follow=True)
    assert response.redirect_chain[-1][0] == section
    assert "向主要负责人反馈的内容" in response.content.decode()  # the missing field, named in the error
    assert not Feedback.objects.filter(round=heard_round).exists()

    form["principal_content"] = "向主要负责人反馈"
    response = client.post(f"{ORG}rectification/feedback/new/", form)
    feedback = Feedback.objects.get(round=heard_round)
    assert response["Location"] == f"{ORG}rectification/feedback/{feedback.pk}/"
    page = client.get(section).content.decode()
    assert 'data-testid="feedback-form"' not in page  # every unit of the round has its feedback now
    assert 'data-testid="items-closed">0 / 0<' in page


def test_the_section_says_when_feedback_is_not_yet_possible(client, county, staffed_round, office_user):
    client.force_login(office_user)
    page = client.get(f"{ORG}rectification/rounds/{staffed_round.pk}/").content.decode()
    assert 'data-testid="feedback-form"' not in page
    assert "须在领导小组听取巡察情况汇报后才能反馈" in page


def test_the_rounds_ledger_holds_only_that_rounds_items(client, county, heard_round, office_user, office_access):
    from tenants.rectification.services import feedback_create, rectification_items_add
    from tenants.rounds.services import round_create

    feedback = feedback_create(
        actor=office_user,
        access=office_access,
        round=heard_round,
        target=heard_round.team_targets.get().target,
        leadership_content="班子",
        principal_content="主要负责人",
    )
    rectification_items_add(
        actor=office_user,
        access=office_access,
        feedback=feedback,
        items=[
            {
                "problem": "问题一",
                "task": "任务一",
                "responsible_unit": "单位",
                "responsible_person": "某某",
                "due_date": heard_round.onsite_end,
            }
        ],
    )
    empty = round_create(name="没有整改的轮次", kind="ad_hoc", actor=office_user)
    client.force_login(office_user)

    def rows(round_id):
        response = client.get(f"{ORG}rectification/ledger.xlsx", {"round": round_id})
        return list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))

    assert [row[3] for row in rows(heard_round.pk)] == ["问题一"]
    assert rows(empty.pk) == []
    assert client.get(f"{ORG}rectification/ledger.xlsx", {"round": "x"}).status_code == 404


def test_a_pool_member_is_linked_to_a_sign_in_with_a_team_role_of_this_office(
    client, county, orgs, office_user, make_member
):
    leader = make_member(orgs["county_a"], "team_leader", username="linkable-leader")
    make_member(orgs["county_a"], "unit_liaison", username="not-a-team-role")
    make_member(orgs["county_b"], "team_leader", username="leader-of-another-county")
    taken = make_member(orgs["county_a"], "team_member", username="already-linked")
    Expert.objects.create(name="已关联的人", user=taken)
    client.force_login(office_user)
    page = client.get(f"{ORG}experts/new/").content.decode()
    assert "linkable-leader" in page
    assert "not-a-team-role" not in page and "leader-of-another-county" not in page and "already-linked" not in page

    response = client.post(
        f"{ORG}experts/new/", {"name": "新组长", "specialty": "discipline", "user": leader.pk, "is_active": "on"}
    )
    expert = Expert.objects.get(name="新组长")
    assert response["Location"] == f"{ORG}experts/{expert.pk}/" and expert.user == leader
    assert "linkable-leader" in client.get(f"{ORG}experts/{expert.pk}/").content.decode()
    # editing keeps the person's own link on offer; another pool member cannot take it
    assert "linkable-leader" in client.get(f"{ORG}experts/{expert.pk}/edit/").content.decode()
    response = client.post(
        f"{ORG}experts/new/", {"name": "抢用户的人", "specialty": "other", "user": leader.pk, "is_active": "on"}
    )
    assert response.status_code == 200 and not Expert.objects.filter(name="抢用户的人").exists()
    assert "errorlist" in response.content.decode()
