"""In Chromium: the city office moves a cross-county round's on-site end to yesterday on the round's edit
page; the 浚县 team member, who a moment before had the card at home and the round's page, finds the card
gone and the city's pages refused with the Chinese refusal page. Rows are committed (the site is a
separate process), uniquely named, and removed afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.committed import chromium, people_create, signed_in, sync_high_water, sync_rows_remove, unique_suffix
from tests.browser.test_login import ARTIFACTS

CITY = "/org/410600/"
HOME = "/org/410621/"


def _build(users, suffix) -> tuple[int, dict]:
    """A cross-county round on site, through the services the city office's pages use."""
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.crossorg.services import cross_round_create
    from tenants.experts.services import expert_create
    from tenants.rounds.services import (
        round_expert_authorise,
        round_transition,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    admin, today = users["city_admin"], timezone.localdate()
    access = organization_access(person=admin, organization_id=Organization.objects.get(code="410600").pk)
    names = {"round": f"交叉巡察窗口{suffix}", "target": f"淇县财政局{suffix}"}
    with schema_context("org_410600"):
        round = cross_round_create(
            name=names["round"],
            home_org_code="410621",
            host_org_code="410622",
            actor=admin,
            onsite_start=today - timedelta(days=3),
            onsite_end=today + timedelta(days=20),
        )
        team = team_create(round=round, name="交叉巡察组（浚县）")
        for key, role in (("a_leader", "leader"), ("a_member", "member")):
            expert = expert_create(name=users[key].display_name, home_region_code="410621", user=users[key])
            round_expert_authorise(round=round, expert=expert, actor=admin)
            team_member_add(team=team, expert=expert, role=role, actor=admin)
        team_target_add(
            team=team, target=target_create(name=names["target"], level="county", managing_org_code="410622")
        )
        for state in ("team_formed", "announced", "on_site"):
            round_transition(round=round, to_state=state, actor=admin, access=access)
    return round.pk, names


@pytest.fixture
def world(django_db_setup, django_db_blocker):
    suffix = unique_suffix()
    with django_db_blocker.unblock():
        marks = sync_high_water()
        users = people_create(
            {
                "city_admin": ("410600", "office_admin", 3, f"市巡察办主任{suffix}"),
                "a_leader": ("410621", "office_staff", 3, f"浚县组长{suffix}"),
                "a_member": ("410621", "team_member", 2, f"浚县组员{suffix}"),
            },
            suffix,
        )
        round_pk, names = _build(users, suffix)
    yield {"users": {key: user.username for key, user in users.items()}, "round": round_pk, "names": names}
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from shared.grants.models import AccessGrant
        from tenants.experts.models import Expert
        from tenants.rounds.models import Round
        from tenants.targets.models import Target

        with schema_context("org_410600"):
            Round.objects.filter(pk=round_pk).delete()
            Target.objects.filter(name__endswith=suffix).delete()
            Expert.objects.filter(name__endswith=suffix).delete()
        AccessGrant.objects.filter(round_key=str(round_pk), organization__code="410600").delete()
        sync_rows_remove(marks)
        User.objects.filter(username__endswith=f"-{suffix}").delete()


@pytest.mark.browser
def test_city_shortens_the_window_and_the_member_is_refused(site, world, tmp_path):
    from playwright.sync_api import sync_playwright

    users, names = world["users"], world["names"]
    round_url = f"{CITY}rounds/{world['round']}/"
    yesterday = timezone.localdate() - timedelta(days=1)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        member = signed_in(browser, site, users["a_member"])
        member.goto(f"{site}{HOME}")
        card = member.locator(f"a.card[href='{CITY}crossorg/']")
        end = timezone.localdate() + timedelta(days=20)
        assert f"可访问至{end.year}年{end.month}月{end.day}日" in card.inner_text()
        card.click()
        member.get_by_role("link", name=names["round"]).first.click()
        assert member.url == f"{site}{round_url}" and names["target"] in member.content()

        admin = signed_in(browser, site, users["city_admin"])
        admin.goto(f"{site}{round_url}edit/")
        admin.fill("input[name=onsite_end]", yesterday.isoformat())
        admin.click("form.stacked button[type=submit]")
        assert admin.url == f"{site}{round_url}" and "已保存" in admin.content()
        assert f"{yesterday.year}年{yesterday.month}月{yesterday.day}日" in admin.content()
        admin.screenshot(path=str(ARTIFACTS / "access-window-shortened-city.png"), full_page=True)

        member.goto(f"{site}{HOME}")
        assert "浚县" in member.locator("main").inner_text()
        assert member.locator(f"a[href^='{CITY}']").count() == 0  # no card, no sidebar entry
        member.screenshot(path=str(ARTIFACTS / "access-window-shortened-home.png"), full_page=True)
        for path in (round_url, f"findings/?round={world['round']}", "inround/", "crossorg/"):
            url = path if path.startswith(CITY) else f"{CITY}{path}"
            response = member.goto(f"{site}{url}")
            assert response.status == 403, url
            assert "您无权访问此页面" in member.content() and names["target"] not in member.content(), url
        member.screenshot(path=str(ARTIFACTS / "access-window-shortened-refused.png"), full_page=True)
