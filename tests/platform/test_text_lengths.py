"""Over-long text is refused before the database, with a field-keyed Chinese message, on the pages and the API
(issue 10, point 4: a 10,000-character finding title or 责任单位 used to be a 500, `DataError varchar(200)`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tenants.findings.models import Finding
from tenants.rectification.models import RectificationItem
from tests.tenants.workflow import API, WEB, category, signed_feedback

LONG = "长" * 10_000
ITEM = {
    "problem": "三重一大决策不规范",
    "task": "修订议事规则",
    "responsible_unit": "办公室",
    "responsible_person": "李书记",
}


def _finding_fields(flow, **changes):
    with flow.schema():
        fields = {
            "round": flow.round.pk,
            "target": flow.target.pk,
            "category": category("work-discipline").pk,
            "title": "会议纪要不规范",
            "description": "描述",
            "evidence": "会议记录第3页",
            "severity": "minor",
        }
    return {**fields, **changes}


def _page_messages(client, url) -> str:
    return client.get(url).content.decode()


def test_the_finding_service_refuses_a_title_over_200_characters(flow):
    from tenants.findings.services import finding_create

    with flow.schema():
        with pytest.raises(ValidationError) as error:
            finding_create(
                actor=flow.users["leader"],
                access=flow.access("leader"),
                round=flow.round,
                target=flow.target,
                category=category("work-discipline"),
                title=LONG,
                description="描述",
                evidence="证据",
            )
        assert list(error.value.message_dict) == ["title"]
        assert not Finding.objects.exists()


def test_a_10000_character_finding_title_on_the_page_is_refused_in_chinese(client, flow):
    client.force_login(flow.users["leader"])
    response = client.post(f"{WEB}/findings/new/", _finding_fields(flow, title=LONG))
    assert response.status_code == 302
    page = _page_messages(client, response["Location"])
    assert "标题最多 200 个字符（现为 10000 个）。" in page
    with flow.schema():
        assert not Finding.objects.exists()
    # positive control: the same post with a short title is recorded
    response = client.post(f"{WEB}/findings/new/", _finding_fields(flow))
    assert response.status_code == 302
    with flow.schema():
        assert list(Finding.objects.values_list("title", flat=True)) == ["会议纪要不规范"]


def test_a_10000_character_finding_title_in_the_api_is_a_400_keyed_by_field(client, flow):
    client.force_login(flow.users["leader"])
    response = client.post(
        f"{API}/findings/findings/", _finding_fields(flow, title=LONG), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert "200" in response.json()["title"][0] and "字符" in response.json()["title"][0]
    with flow.schema():
        assert not Finding.objects.exists()


def test_a_10000_character_responsible_unit_on_the_page_is_refused_in_chinese(client, flow):
    with flow.schema():
        feedback = signed_feedback(flow)
    client.force_login(flow.users["admin"])
    url = f"{WEB}/rectification/feedback/{feedback.pk}/items/"
    response = client.post(url, {**ITEM, "responsible_unit": LONG})
    assert response.status_code == 302
    page = _page_messages(client, response["Location"])
    assert "第1项：责任单位最多 200 个字符（现为 10000 个）。" in page
    with flow.schema():
        assert not RectificationItem.objects.exists()
    response = client.post(url, ITEM)
    assert response.status_code == 302
    with flow.schema():
        assert list(RectificationItem.objects.values_list("responsible_unit", flat=True)) == ["办公室"]


def test_a_10000_character_responsible_unit_in_the_api_is_a_400_keyed_by_field(client, flow):
    with flow.schema():
        feedback = signed_feedback(flow)
    client.force_login(flow.users["admin"])
    response = client.post(
        f"{API}/rectification/feedbacks/{feedback.pk}/items/",
        [{**ITEM, "responsible_unit": LONG}],
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"0": {"responsible_unit": ["请确保这个字段不能超过 200 个字符。"]}}
    with flow.schema():
        assert not RectificationItem.objects.exists()


def test_the_items_service_names_the_item_and_the_field_in_chinese(flow):
    from django.utils import translation

    from tenants.rectification.services import rectification_items_add

    with flow.schema():
        feedback = signed_feedback(flow)
        with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
            rectification_items_add(
                actor=flow.users["admin"],
                access=flow.access("admin"),
                feedback=feedback,
                items=[ITEM, {**ITEM, "responsible_person": "李" * 101}],
            )
        assert error.value.message_dict == {"items": ["第2项：责任人最多 100 个字符（现为 101 个）。"]}
        assert not RectificationItem.objects.exists()


def test_a_team_transition_without_a_team_in_the_api_is_a_400_not_a_500(client, orgs, make_member):
    from django_tenants.utils import schema_context

    from tenants.rounds.services import round_create

    admin = make_member(orgs["county_a"], "office_admin", clearance=3)
    with schema_context(orgs["county_a"].schema_name):
        round = round_create(name="无巡察组的轮次", kind="regular", actor=admin)
    client.force_login(admin)
    url = f"/org/410621/api/rounds/{round.pk}/transition/"
    response = client.post(url, {"to_state": "team_formed"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": ["请先组建至少一个巡察组。"], "code": "conditions"}
    with schema_context(orgs["county_a"].schema_name):
        round.refresh_from_db()
        assert round.state == "planned"
