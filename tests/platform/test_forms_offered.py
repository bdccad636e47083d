"""Forms and links are shown only to the people who may use them (issue 10, point 6), on the demo's pages
as the demo's people; a refused submit answers a page in Chinese that says nothing was saved."""

from __future__ import annotations

from django.test import Client
from django_tenants.utils import schema_context

from shared.accounts.models import User
from xuncha.demo.core import FINISHED_SUFFIX

ORG = "/org/410621/"


def signed_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    return client


def finished_feedback_and_round():
    from tenants.rectification.models import Feedback

    with schema_context("org_410621"):
        feedback = Feedback.objects.filter(round__name__endswith=FINISHED_SUFFIX).order_by("id").first()
        return feedback.pk, feedback.round_id, feedback.round.name


def test_office_staff_without_clue_clearance_gets_no_clue_form_and_a_clean_refusal(demo_world):
    staff = signed_in("xunxian.staff")  # clearance 秘密: clues are 机密
    page = staff.get(f"{ORG}findings/").content.decode()
    assert 'data-testid="finding-form"' in page  # positive control: the finding form is there
    assert 'data-testid="clue-form"' not in page and "findings/clues/new/" not in page
    admin_page = signed_in("xunxian.admin").get(f"{ORG}findings/").content.decode()
    assert 'data-testid="clue-form"' in admin_page  # the office admin (机密) has it

    with schema_context("org_410621"):
        from tenants.rounds.models import Round

        running = Round.objects.get(name__endswith="（示例·进行中）")
        target_id = running.team_targets.first().target_id
    refused = staff.post(
        f"{ORG}findings/clues/new/",
        {"round": running.pk, "target": target_id, "summary": "某局长违规收受礼金"},
        HTTP_REFERER=f"http://testserver{ORG}findings/",
    )
    body = refused.content.decode()
    assert refused.status_code == 403
    assert "您的角色或密级权限不允许进行此项操作，未保存任何内容。" in body
    assert f'href="http://testserver{ORG}findings/"' in body  # back to the page, where the text still is
    assert "某局长违规收受礼金" not in body
    with schema_context("org_410621"):
        from tenants.findings.models import Clue

        assert not Clue.objects.filter(summary="某局长违规收受礼金").exists()


def test_the_unit_liaison_gets_no_item_form_and_no_dead_round_link(demo_world):
    feedback_id, round_id, round_name = finished_feedback_and_round()
    liaison = signed_in("xunxian.liaison")
    page = liaison.get(f"{ORG}rectification/feedback/{feedback_id}/").content.decode()
    assert round_name in page and 'data-testid="items"' in page  # positive control: its feedback and items
    assert "新增整改事项" not in page and f"rectification/feedback/{feedback_id}/items/" not in page
    assert f"{ORG}rectification/rounds/{round_id}/" not in page  # the round section is not its to open
    assert liaison.get(f"{ORG}rectification/rounds/{round_id}/").status_code == 404
    index = liaison.get(f"{ORG}rectification/").content.decode()
    assert round_name in index and f"rectification/rounds/{round_id}/" not in index

    staff_page = signed_in("xunxian.staff").get(f"{ORG}rectification/feedback/{feedback_id}/").content.decode()
    assert "新增整改事项" in staff_page and f"{ORG}rectification/rounds/{round_id}/" in staff_page

    refused = liaison.post(
        f"{ORG}rectification/feedback/{feedback_id}/items/",
        {"problem": "问题", "task": "任务", "responsible_unit": "单位", "responsible_person": "某人"},
    )
    assert refused.status_code == 403 and "未保存任何内容" in refused.content.decode()


def test_the_header_names_the_liaison_by_role_not_as_the_office(demo_world):
    liaison_header = signed_in("xunxian.liaison").get(ORG).content.decode()
    assert 'data-testid="current-org">浚县 · 被巡察单位联络员<' in liaison_header
    assert "县区巡察办" not in liaison_header
    staff_header = signed_in("xunxian.staff").get(ORG).content.decode()
    assert 'data-testid="current-org">浚县 · 县区巡察办<' in staff_header


def test_the_api_docs_are_linked_and_served_for_the_office_only(demo_world):
    for username in ("xunxian.liaison", "xunxian.agency", "xunxian.member", "xunxian.leader"):
        client = signed_in(username)
        home = client.get(ORG).content.decode()
        assert f'href="{ORG}"' in home and "api/docs/" not in home, username  # the nav is there, the link not
        assert client.get(f"{ORG}api/docs/").status_code == 403, username
        assert client.get(f"{ORG}api/schema/").status_code == 403, username
    staff = signed_in("xunxian.staff")
    assert f'href="{ORG}api/docs/"' in staff.get(ORG).content.decode()
    assert staff.get(f"{ORG}api/docs/").status_code == 200
    assert staff.get(f"{ORG}api/schema/").status_code == 200
