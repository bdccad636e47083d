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
