"""API refusals are 400/403/404 with Chinese messages keyed by field, never a constraint's name or an English
internal message (issue 10, the API half of point 5)."""

from __future__ import annotations

import pytest

ORG = "/org/410621/api"


@pytest.fixture
def admin(client, orgs, make_member):
    user = make_member(orgs["county_a"], "office_admin", clearance=3)
    client.force_login(user)
    return user


def test_an_on_site_end_before_its_start_is_a_field_error_not_a_constraint_name(client, admin):
    response = client.post(
        f"{ORG}/rounds/",
        {"name": "倒序进驻期", "kind": "regular", "onsite_start": "2026-05-10", "onsite_end": "2026-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"onsite_end": ["进驻结束日期不能早于进驻开始日期。"]}
    # positive control: the same round in the right order is created
    response = client.post(
        f"{ORG}/rounds/",
        {"name": "正序进驻期", "kind": "regular", "onsite_start": "2026-05-01", "onsite_end": "2026-05-10"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_a_multi_year_plan_ending_before_it_starts_is_a_field_error(client, admin):
    response = client.post(
        f"{ORG}/plans/multi-year/",
        {"title": "倒序规划", "start_year": 2027, "end_year": 2025},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"end_year": ["结束年份不能早于开始年份。"]}


def test_a_missing_record_is_a_chinese_404_that_names_no_model(client, admin):
    response = client.get(f"{ORG}/targets/999999/")
    assert (response.status_code, response.json()) == (404, {"detail": "未找到。"})


def test_a_refused_role_and_an_unreadable_body_are_refused_in_chinese(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "unit_liaison"))
    response = client.get(f"{ORG}/targets/")
    assert (response.status_code, response.json()) == (403, {"detail": "您在本单位的角色不允许此操作。"})
    client.force_login(make_member(orgs["county_a"], "office_admin", clearance=3))
    response = client.post(f"{ORG}/rounds/", b"\x84{not json", content_type="application/json")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "无法读取请求内容：请发送有效的 JSON 或表单数据。"},
    )
