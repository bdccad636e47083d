"""An announced round keeps its on-site window on the edit page (issue 10): clearing both dates of a round in
进驻动员 is refused in Chinese and nothing changes; before it is announced the window may still be cleared.
(round_update itself accepts a cleared window, the case tests/tenants/crossorg/test_access_follows_reason.py
keeps: access that follows the window then fails closed.)"""

from __future__ import annotations

import datetime

from tenants.rounds.models import Round
from tests.html_forms import rendered_forms

ORG = "/org/410621/"


def _post_edit_without_window(client, round):
    edit = f"{ORG}rounds/{round.pk}/edit/"
    [form] = [f for f in rendered_forms(client.get(edit).content.decode()) if f.action in ("", edit)]
    data = [(name, "" if name in ("onsite_start", "onsite_end") else value) for name, value in form.data]
    return client.post(edit, dict(data))


def test_an_announced_round_keeps_its_window_on_the_edit_page(
    client, county, staffed_round, office_user, office_access
):
    from tenants.rounds.services import round_transition

    for state in ("team_formed", "announced"):
        round_transition(round=staffed_round, to_state=state, actor=office_user, access=office_access)
    client.force_login(office_user)
    response = _post_edit_without_window(client, staffed_round)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("本轮巡察已进驻动员，须保留进驻期。") == 2  # beside both dates
    assert Round.objects.values_list("onsite_start", "onsite_end").get(pk=staffed_round.pk) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 31),
    )


def test_a_planned_round_s_window_may_still_be_cleared(client, county, staffed_round, office_user):
    client.force_login(office_user)
    response = _post_edit_without_window(client, staffed_round)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Round.objects.values_list("onsite_start", "onsite_end").get(pk=staffed_round.pk) == (None, None)


def test_the_hearing_deadline_in_calendar_days_is_explained_in_chinese_with_a_chinese_date(client, flow):
    """The round API gave the reason of a hearing deadline counted in calendar days in English with an ISO date
    ("30 calendar days from 2025-…"), beside the working-days mode's Chinese one."""

    from tenants.office.services import office_settings_update

    with flow.schema():
        office_settings_update(changes={"hearing_deadline_mode": "calendar_days", "hearing_calendar_days": 30})
        end = flow.round.onsite_end
    client.force_login(flow.users["admin"])
    hearing = client.get(f"/org/{flow.org.code}/api/rounds/{flow.round.pk}/").json()["hearing_due"]
    assert hearing["due"] == (end + datetime.timedelta(days=30)).isoformat()
    assert hearing["reason"] == f"自 {end.year}年{end.month}月{end.day}日 起 30 日"
