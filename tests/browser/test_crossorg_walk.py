"""The city's elevated (提级) and cross-county (交叉) rounds walked in Chromium as each role: what each
person sees by clicking from their home page, and what each is refused. The elevated round's notice
reaches the managing county, and after feedback the cross round's rectification list reaches county B,
through the real relay and consumer processes.

Each round carries a clue (机密) with a marker; the marker must appear only on the pages of people
entitled to it (the city office at 机密; the cross-county team leader for the team's own target).
Rows are committed (the site is a separate process), uniquely named, and removed afterwards.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser.committed import (
    CODES,
    chromium,
    off_the_event_loop,
    people_create,
    reload_until,
    signed_in,
    sync_high_water,
    sync_processes,
    sync_rows_remove,
    unique_suffix,
)
from tests.browser.test_login import ARTIFACTS

CITY = "/org/410600/"


def _build(users, suffix):
    """In the city's schema, with the services the office's pages use."""
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.crossorg.services import cross_round_create, elevated_round_create
    from tenants.experts.services import expert_create
    from tenants.findings.services import clue_create
    from tenants.rounds.services import (
        round_expert_authorise,
        round_transition,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    admin = users["city_admin"]
    today = timezone.localdate()
    access = organization_access(person=admin, organization_id=Organization.objects.get(code="410600").pk)
    names = {
        "elevated": f"提级巡察{suffix}",
        "cross": f"交叉巡察{suffix}",
        "cooperation": f"请浚县协助安排进驻{suffix}",
        "target_e": f"浚县城关镇党委{suffix}",
        "target_1": f"淇县财政局{suffix}",
        "target_2": f"淇县住建局{suffix}",
        "target_other": f"淇县教育局{suffix}",
        "marker_e": f"MARKER-E-{suffix}",
        "marker_x": f"MARKER-X-{suffix}",
        "marker_other": f"MARKER-XO-{suffix}",
        "marker_s": f"MARKER-XS-{suffix}",
        "item": f"“三重一大”决策不规范{suffix}",
    }
    with schema_context("org_410600"):
        elevated = elevated_round_create(
            name=names["elevated"],
            host_org_code="410621",
            actor=admin,
            cooperation=names["cooperation"],
            onsite_start=today,
            onsite_end=today + timedelta(days=20),
        )
        team = team_create(round=elevated, name="市委第一巡察组（提级）")
        target_e = target_create(name=names["target_e"], level="county", managing_org_code="410621")
        team_target_add(team=team, target=target_e)
        clue_create(
            actor=admin,
            access=access,
            round=elevated,
            target=target_e,
            summary=f"{names['marker_e']} 关于某镇党委书记的问题线索",
        )

        cross = cross_round_create(
            name=names["cross"],
            home_org_code="410621",
            host_org_code="410622",
            actor=admin,
            onsite_start=today - timedelta(days=1),
            onsite_end=today + timedelta(days=20),
        )
        team = team_create(round=cross, name="交叉巡察组（浚县）")
        for key, role in (("a_leader", "leader"), ("a_member", "member")):
            expert = expert_create(name=f"{users[key].display_name}", home_region_code="410621", user=users[key])
            round_expert_authorise(round=cross, expert=expert, actor=admin)
            team_member_add(team=team, expert=expert, role=role, actor=admin)
        targets = [
            target_create(name=names[key], level="county", managing_org_code="410622")
            for key in ("target_1", "target_2", "target_other")
        ]
        team_target_add(team=team, target=targets[0])
        team_target_add(team=team, target=targets[1])
        other_team = team_create(round=cross, name="交叉巡察二组")
        other_leader = expert_create(name=f"二组组长{suffix}", home_region_code="410621")
        round_expert_authorise(round=cross, expert=other_leader, actor=admin)
        team_member_add(team=other_team, expert=other_leader, role="leader", actor=admin)
        team_target_add(team=other_team, target=targets[2])
        for state in ("team_formed", "announced", "on_site"):
            round_transition(round=cross, to_state=state, actor=admin, access=access)
        clue_create(actor=admin, access=access, round=cross, target=targets[0], summary=f"{names['marker_x']} 线索")
        clue_create(actor=admin, access=access, round=cross, target=targets[2], summary=f"{names['marker_other']} 线索")
        clue_create(
            actor=admin,
            access=access,
            round=cross,
            target=targets[0],  # 秘密: staff and member see it
            summary=f"{names['marker_s']} 线索",
            classification=2,
        )
    return elevated.pk, cross.pk, names


def _feedback_with_rectification(world) -> None:
    """The city, through its services: the cross round leaves the site (grants revoked) and is heard;
    feedback to 淇县财政局 with one rectification item; the leading group moves the round to feedback,
    which releases the list to the county whose unit it is (the relay and consumer carry it)."""
    from shared.accounts.models import User
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.rectification.services import feedback_create, rectification_items_add
    from tenants.rounds.models import Round
    from tenants.rounds.services import round_transition
    from tenants.targets.models import Target

    city = Organization.objects.get(code="410600")
    admin, leading = (User.objects.get(username=world["users"][key]) for key in ("city_admin", "city_leading"))
    access = organization_access(person=admin, organization_id=city.pk)
    names = world["names"]
    with schema_context(city.schema_name):
        cross = Round.objects.get(pk=world["cross"])
        for state in ("reporting", "hearing"):
            cross = round_transition(round=cross, to_state=state, actor=admin, access=access)
        feedback = feedback_create(
            actor=admin,
            access=access,
            round=cross,
            target=Target.objects.get(name=names["target_1"]),
            leadership_content="领导班子落实全面从严治党主体责任不到位",
            principal_content="主要负责人末位表态制度执行不严",
        )
        rectification_items_add(
            actor=admin,
            access=access,
            feedback=feedback,
            items=[
                {
                    "problem": names["item"],
                    "task": "修订议事规则并报备",
                    "responsible_unit": "办公室",
                    "responsible_person": "李书记",
                    "due_date": timezone.localdate() + timedelta(days=60),
                }
            ],
        )
        round_transition(
            round=cross,
            to_state="feedback",
            actor=leading,
            note="领导小组同意反馈",
            access=organization_access(person=leading, organization_id=city.pk),
        )


@pytest.fixture
def crossorg_world(django_db_setup, django_db_blocker):
    suffix = unique_suffix()
    with django_db_blocker.unblock():
        marks = sync_high_water()
        users = people_create(
            {
                "city_admin": ("410600", "office_admin", 3, f"市巡察办主任{suffix}"),
                "city_staff": ("410600", "office_staff", 2, f"市巡察办干部{suffix}"),
                "city_leading": ("410600", "leading_group", 3, f"市委巡察工作领导小组{suffix}"),
                "a_office": ("410621", "office_admin", 3, f"浚县巡察办{suffix}"),
                "a_leader": ("410621", "office_staff", 3, f"浚县组长{suffix}"),
                "a_member": ("410621", "team_member", 2, f"浚县组员{suffix}"),
                "b_office": ("410622", "office_admin", 3, f"淇县巡察办{suffix}"),
                "c_office": ("410611", "office_admin", 3, f"鹤山区巡察办{suffix}"),
                "province": ("410000", "office_admin", 3, f"省委巡视办{suffix}"),
            },
            suffix,
        )
        elevated_pk, cross_pk, names = _build(users, suffix)
    yield {
        "users": {key: user.username for key, user in users.items()},
        "elevated": elevated_pk,
        "cross": cross_pk,
        "names": names,
    }
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from shared.grants.models import AccessGrant
        from tenants.experts.models import Expert
        from tenants.findings.models import Clue, Finding
        from tenants.rectification.models import Feedback
        from tenants.rounds.models import Round
        from tenants.targets.models import Target

        with schema_context("org_410600"):
            rounds = Round.objects.filter(pk__in=[elevated_pk, cross_pk])
            Feedback.objects.filter(round__in=rounds).delete()  # and its rectification items
            Clue.objects.filter(round__in=rounds).delete()
            Finding.objects.filter(round__in=rounds).delete()
            rounds.delete()
            Target.objects.filter(name__endswith=suffix).delete()
            Expert.objects.filter(name__endswith=suffix).delete()
        AccessGrant.objects.filter(round_key__in=[str(elevated_pk), str(cross_pk)]).delete()
        sync_rows_remove(marks)
        User.objects.filter(username__endswith=f"-{suffix}").delete()


def _markers_absent(page, names, *keys):
    content = page.content()
    for key in keys:
        assert names[key] not in content, f"{key} shown on {page.url}"


def _clues_shown(page, names, *keys):
    """On the findings page: the clue table shows exactly the markers `keys` of all the scenario's."""
    clues = page.get_by_test_id("clues").inner_text()
    assert {key for key in ALL_MARKERS if names[key] in clues} == set(keys), page.url
    _markers_absent(page, names, *(key for key in ALL_MARKERS if key not in keys))


def _round_window_end(world, day) -> None:
    """The city office ends the cross round's on-site window on `day`, through the rounds service the
    round's edit page calls (the team's access follows the round)."""
    from shared.accounts.models import User
    from tenants.rounds.models import Round
    from tenants.rounds.services import round_update

    admin = User.objects.get(username=world["users"]["city_admin"])
    with schema_context("org_410600"):
        cross = Round.objects.get(pk=world["cross"])
        round_update(round=cross, onsite_start=day - timedelta(days=20), onsite_end=day, actor=admin)


ALL_MARKERS = ("marker_e", "marker_x", "marker_other", "marker_s")


@pytest.mark.browser
def test_elevated_and_cross_rounds_walked_as_each_role(site, crossorg_world, tmp_path, django_db_blocker):
    from playwright.sync_api import sync_playwright

    world, names = crossorg_world, crossorg_world["names"]
    users = world["users"]
    elevated_url, cross_url = f"{CITY}rounds/{world['elevated']}/", f"{CITY}rounds/{world['cross']}/"
    ARTIFACTS.mkdir(exist_ok=True)
    processes = sync_processes(tmp_path, CODES)  # the elevated round's notice travels to 浚县
    try:
        with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
            # The city office (机密): both rounds from its crossorg page, each opening its round page.
            page = signed_in(browser, site, users["city_admin"])
            page.click(f"a.card[href='{CITY}crossorg/']")
            organised = page.get_by_test_id("organised-rounds").inner_text()
            assert names["elevated"] in organised and names["cross"] in organised
            assert "提级巡察" in organised and "交叉巡察" in organised and "进驻巡察" in organised
            page.get_by_test_id("organised-rounds").get_by_role("link", name=names["elevated"]).click()
            assert page.url.endswith(elevated_url) and names["target_e"] in page.locator("main").inner_text()
            page.click(f"nav.sidebar a[href='{CITY}crossorg/']")
            page.get_by_test_id("organised-rounds").get_by_role("link", name=names["cross"]).click()
            main = page.locator("main").inner_text()
            assert page.url.endswith(cross_url)
            assert all(names[key] in main for key in ("target_1", "target_2", "target_other"))
            page.click(f"nav.sidebar a[href='{CITY}findings/']")
            _clues_shown(page, names, *ALL_MARKERS)  # the entitled office sees every marker

            # City office staff (秘密): the same rounds, the 秘密 clue only.
            page = signed_in(browser, site, users["city_staff"])
            page.click(f"a.card[href='{CITY}crossorg/']")
            assert names["elevated"] in page.get_by_test_id("organised-rounds").inner_text()
            page.get_by_test_id("organised-rounds").get_by_role("link", name=names["cross"]).click()
            main = page.locator("main").inner_text()
            assert page.url.endswith(cross_url) and names["cross"] in main
            assert all(names[key] in main for key in ("target_1", "target_2", "target_other"))
            _markers_absent(page, names, *ALL_MARKERS)
            page.click(f"nav.sidebar a[href='{CITY}findings/']")
            _clues_shown(page, names, "marker_s")

            # 浚县, the county managing the elevated round's target: the notice arrives (dates, cooperation).
            page = signed_in(browser, site, users["a_office"])
            assert page.url.endswith("/org/410621/")
            assert f"{CITY}crossorg/" not in page.content()  # no grant, no way into the city
            page.click("a.card[href='/org/410621/crossorg/']")
            reload_until(
                page,
                lambda p: names["elevated"] in p.get_by_test_id("elevated-notices").inner_text(),
                what="the elevated round's notice at 浚县",
                processes=processes,
            )
            notice = page.get_by_test_id("elevated-notices").inner_text()
            assert names["elevated"] in notice and names["cooperation"] in notice and "年" in notice  # localised dates
            assert names["cross"] not in page.content() and names["target_e"] not in page.content()
            _markers_absent(page, names, *ALL_MARKERS)
            assert page.goto(f"{site}{CITY}").status == 403
            assert page.goto(f"{site}{elevated_url}").status == 403

            # The cross-county team leader from 浚县, inside the on-site window: a card at home leads to
            # the city, where only the team's two targets and the clue on its own target are shown.
            page = signed_in(browser, site, users["a_leader"])
            card = page.locator(f"a.card[href='{CITY}crossorg/']")
            assert "交叉巡察：鹤壁市" in card.inner_text()
            card.click()
            assigned = page.get_by_test_id("granted-targets").inner_text()
            assert names["target_1"] in assigned and names["target_2"] in assigned
            assert names["target_other"] not in assigned and names["elevated"] not in page.content()
            page.get_by_test_id("granted-targets").get_by_role("link", name=names["cross"]).first.click()
            assert page.url.endswith(cross_url)
            main = page.locator("main").inner_text()
            assert names["target_1"] in main and names["target_other"] not in main
            page.click(f"nav.sidebar a[href='{CITY}findings/']")
            _clues_shown(page, names, "marker_x", "marker_s")  # the clues on the team's own target
            page.click(f"nav.sidebar a[href='{CITY}rounds/']")
            listed = page.locator("main").inner_text()
            assert names["cross"] in listed and names["elevated"] not in listed
            response = page.goto(f"{site}{elevated_url}")
            assert response.status == 404 and names["elevated"] not in page.content()
            page.screenshot(path=str(ARTIFACTS / "crossorg-granted-leader.png"), full_page=True)

            # The team member (秘密 at home): the targets, and of the clues the 秘密 one on their own target.
            member = signed_in(browser, site, users["a_member"])
            member.click(f"a.card[href='{CITY}crossorg/']")
            assigned = member.get_by_test_id("granted-targets").inner_text()
            assert names["target_1"] in assigned and names["target_2"] in assigned
            member.click(f"nav.sidebar a[href='{CITY}findings/']")
            _clues_shown(member, names, "marker_s")

            # Outside the window (the city ends it yesterday on the round): refused at the next request,
            # and the card is gone.
            with django_db_blocker.unblock():
                off_the_event_loop(lambda: _round_window_end(world, timezone.localdate() - timedelta(days=1)))
            member.reload()
            assert "无权访问" in member.content()
            assert names["target_1"] not in member.content() and names["marker_s"] not in member.content()
            member.goto(f"{site}/")
            assert member.url.endswith("/org/410621/") and f"{CITY}crossorg/" not in member.content()

            # The city hears the round and gives feedback with a rectification list on a 淇县 unit.
            with django_db_blocker.unblock():
                off_the_event_loop(lambda: _feedback_with_rectification(world))

            # 淇县 (county B, whose units the cross team inspected) receives the rectification list, and
            # nothing else of either round; 浚县 (the team's home county), 鹤山区 and the province receive
            # nothing; none of them may enter the city.
            for key, code in (
                ("b_office", "410622"),
                ("a_office", "410621"),
                ("c_office", "410611"),
                ("province", "410000"),
            ):
                page = signed_in(browser, site, users[key])
                page.click(f"a.card[href='/org/{code}/crossorg/']")
                if key == "b_office":
                    reload_until(
                        page,
                        lambda p: names["item"] in p.get_by_test_id("rectification-received").inner_text(),
                        what="the rectification list at 淇县",
                        processes=processes,
                    )
                    assert names["target_1"] in page.get_by_test_id("rectification-received").inner_text()
                content = page.content()
                assert (
                    'data-testid="province-note"' if key == "province" else 'data-testid="elevated-notices"'
                ) in content, key  # their crossorg page
                assert names["cross"] not in content, key
                # 浚县 keeps the elevated round's notice (seen above); nobody else has it.
                assert (names["elevated"] in content) == (key == "a_office"), key
                assert (names["item"] in content) == (key == "b_office"), key
                _markers_absent(page, names, *ALL_MARKERS)
                response = page.goto(f"{site}{cross_url}")
                assert response.status == 403 and "无权访问" in page.content(), key
    finally:
        processes.stop_all()
