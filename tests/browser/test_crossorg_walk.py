"""The city's elevated (提级) and cross-county (交叉) rounds walked in Chromium as each role: what each
person sees by clicking from their home page, and what each is refused. The elevated round's notice
reaches the managing county, and after feedback the cross round's rectification list reaches county B,
through the real relay and consumer processes.

Each round carries a clue (机密) with a marker; the marker must appear only on the pages of people
entitled to it (the city office at 机密; the cross-county team leader for the team's own target).
Rows are committed (the site is a separate process), uniquely named, and removed afterwards.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.browser import round_pages
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


# Each story's people: key -> (organisation, role, clearance, display name; the story's suffix is appended).
PEOPLE = {
    "city_admin": ("410600", "office_admin", 3, "市巡察办主任"),
    "city_staff": ("410600", "office_staff", 2, "市巡察办干部"),
    "city_leading": ("410600", "leading_group", 3, "市委巡察工作领导小组"),
    "a_office": ("410621", "office_admin", 3, "浚县巡察办"),
    "a_leader": ("410621", "office_staff", 3, "浚县组长"),
    "a_member": ("410621", "team_member", 2, "浚县组员"),
    "b_office": ("410622", "office_admin", 3, "淇县巡察办"),
    "c_office": ("410611", "office_admin", 3, "鹤山区巡察办"),
    "province": ("410000", "office_admin", 3, "省委巡视办"),
}


def _people(suffix: str, *keys: str) -> dict:
    return people_create({key: (*PEOPLE[key][:3], f"{PEOPLE[key][3]}{suffix}") for key in keys}, suffix)


@pytest.fixture
def crossorg_world(django_db_setup, django_db_blocker):
    suffix = unique_suffix()
    with django_db_blocker.unblock():
        marks = sync_high_water()
        users = _people(suffix, *PEOPLE)
        elevated_pk, cross_pk, names = _build(users, suffix)
    yield {
        "users": {key: user.username for key, user in users.items()},
        "elevated": elevated_pk,
        "cross": cross_pk,
        "names": names,
    }
    with django_db_blocker.unblock():
        _world_remove(suffix=suffix, marks=marks)


def _world_remove(*, suffix: str, marks: dict, county_codes=()) -> None:
    """Remove what a story added: the city's rounds named with `suffix` (with their feedback, clues, findings
    and grants), the units and people named with it in the city and in `county_codes`, the sync rows, the users."""
    from shared.accounts.models import User
    from shared.grants.models import AccessGrant
    from tenants.experts.models import Expert
    from tenants.findings.models import Clue, Finding
    from tenants.rectification.models import Feedback
    from tenants.rounds.models import Round
    from tenants.targets.models import Target

    with schema_context("org_410600"):
        rounds = Round.objects.filter(name__endswith=suffix)
        keys = [str(pk) for pk in rounds.values_list("pk", flat=True)]
        Feedback.objects.filter(round__in=rounds).delete()  # and its rectification items
        Clue.objects.filter(round__in=rounds).delete()
        Finding.objects.filter(round__in=rounds).delete()
        rounds.delete()
    for code in ("410600", *county_codes):
        with schema_context(f"org_{code}"):
            Target.objects.filter(name__endswith=suffix).delete()
            Expert.objects.filter(name__endswith=suffix).delete()
    AccessGrant.objects.filter(organization__code="410600", round_key__in=keys).delete()
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


# --- Walks 1 and 2 of issue 12: on the freshly seeded demo, set up on the city's pages, then steered -----------
#
# The demo's own users, with the demo's password, on a database seeded as `make demo` seeds it (demo_site).
# The demo's seeded cross-county round has xunxian.teamlead on 淇县财政局党组 and 淇县住建局党组; the walk puts
# xunxian.member (on no seeded round of the city) on 淇县教育局党组 and 淇县卫健委党组, which no seeded round uses,
# so "exactly those two units" and "nothing after" are the walk's own.

DEMO_CROSS = {
    "leader": "郑专家",  # 浚县's pool (no sign-in; his declared relation concerns 淇县财政局党组, not picked)
    "member": "刘组员",  # 浚县's pool, xunxian.member's
    "spare": "冯专家",
    "target_1": "淇县教育局党组",
    "target_2": "淇县卫健委党组",
    "target_other": "淇县财政局党组",  # 淇县's, on the demo's own cross round: not the member's
}
DEMO_HESHAN_UNIT = "鹤山区发改委党组"


def _demo_signed_in(browser, demo_site, username):
    from xuncha.demo import DEFAULT_PASSWORD

    return signed_in(browser, demo_site.url, username, password=DEFAULT_PASSWORD, width=1366)


@contextmanager
def _demo_city_walk(demo_site, tmp_path):
    """Chromium and the demo's city office (hebi.admin), signed in once the counties' registries reached the city."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        city = _demo_signed_in(browser, demo_site, "hebi.admin")
        for county, name in (("410621", "刘组员"), ("410622", "淇县卫健委党组"), ("410611", DEMO_HESHAN_UNIT)):
            city.goto(f"{demo_site.url}{CITY}crossorg/registries/?county={county}")
            reload_until(
                city, lambda p, name=name: name in p.locator("main").inner_text(), what=name, processes=demo_site
            )
        yield browser, city


def _table_column(page, testid: str, column: int) -> set[str]:
    cells = page.locator(f"[data-testid={testid}] tr td:nth-child({column})")
    return {text.strip() for text in cells.all_inner_texts()}


@pytest.mark.browser
def test_walk_1_the_city_sets_up_a_cross_county_round_on_the_demo_and_steers_its_access(demo_site, tmp_path):
    """Walk 1, from the seeded demo: hebi.admin creates the cross-county round from 浚县 to 淇县 on its pages,
    picking two 浚县 people and two 淇县 units from the replicas, and announces it; xunxian.member sees exactly
    those two units during the window and nothing once the city ends it on the steering page; after feedback
    (given on the round's pages, the last step by the leading group hebi.leader) 淇县 receives the
    rectification list (and the steering page shows it sent), 浚县 and 鹤山区 receive nothing of it."""
    names = {**DEMO_CROSS, "cross": "2026年交叉巡察（二）：浚县巡察组进驻淇县", "item": "教育经费拨付审批不规范"}
    site, today = demo_site.url, timezone.localdate()
    with _demo_city_walk(demo_site, tmp_path) as (browser, city):
        city.goto(f"{site}{CITY}")
        city.click(f"a.card[href='{CITY}crossorg/']")
        city.screenshot(path=str(ARTIFACTS / "demo-walk1-city-crossorg.png"), full_page=True)
        city.click(f"[data-testid=setup-actions] a[href='{CITY}crossorg/cross/new/']")
        city.fill("input[name=name]", names["cross"])
        city.select_option("select[name=home_org_code]", "410621")
        city.select_option("select[name=host_org_code]", "410622")
        city.fill("input[name=onsite_start]", today.isoformat())
        city.fill("input[name=onsite_end]", (today + timedelta(days=20)).isoformat())
        city.fill("input[name=team_name]", "交叉巡察二组（浚县）")
        for key in ("leader", "member", "target_1", "target_2"):
            city.get_by_label(names[key], exact=False).check()
        leader = city.locator("select[name=leader] option", has_text=names["leader"]).get_attribute("value")
        city.select_option("select[name=leader]", leader)
        city.screenshot(path=str(ARTIFACTS / "demo-walk1-cross-new.png"), full_page=True)
        city.click("[data-testid=cross-round-form] button[type=submit]")
        assert "已保存" in city.content(), city.locator("main").inner_text()
        city.get_by_test_id("organised-rounds").get_by_role("link", name=names["cross"]).click()
        round_id = round_pages.round_id(city)
        round_pages.move(city, "组建巡察组", "进驻动员", "进驻巡察")
        steering = city.get_by_test_id("steering")
        team = city.get_by_test_id("team").inner_text()
        assert names["leader"] in team and names["member"] in team
        # A grant per person with a sign-in: 刘组员 (xunxian.member); 郑专家 has none, so nothing to grant.
        assert _table_column(city, "steering-grants", 1) == {names["member"]}
        assert _table_column(city, "steering-grants", 7) == {"生效中"}
        for units in _table_column(city, "steering-grants", 4):  # the team's two units
            assert set(units.split("、")) == {names["target_1"], names["target_2"]}
        assert "浚县" in steering.inner_text() and names["spare"] in steering.inner_text()  # may still be added
        city.screenshot(path=str(ARTIFACTS / "demo-walk1-steering-in-force.png"), full_page=True)

        # xunxian.member, inside the window: from the card at home, exactly the two units.
        member = _demo_signed_in(browser, demo_site, "xunxian.member")
        member.click(f"a.card[href='{CITY}crossorg/']")
        assert _table_column(member, "granted-targets", 3) == {names["target_1"], names["target_2"]}
        assert names["target_other"] not in member.content() and "淇县住建局党组" not in member.content()
        member.screenshot(path=str(ARTIFACTS / "demo-walk1-member-granted.png"), full_page=True)
        member.get_by_test_id("granted-targets").get_by_role("link", name=names["cross"]).first.click()
        assert member.url.endswith(f"{CITY}rounds/{round_id}/") and 'data-testid="steering"' not in member.content()
        # The demo's own cross-county round is still open to its team leader (a positive control: grants there).
        teamlead = _demo_signed_in(browser, demo_site, "xunxian.teamlead")
        teamlead.click(f"a.card[href='{CITY}crossorg/']")
        assert names["target_other"] in teamlead.get_by_test_id("granted-targets").inner_text()
        assert names["target_1"] not in teamlead.content()

        # The city ends the window yesterday from the steering section: the member's next request is refused.
        city.click("[data-testid=steering-window]")
        city.fill("input[name=onsite_start]", (today - timedelta(days=20)).isoformat())
        city.fill("input[name=onsite_end]", (today - timedelta(days=1)).isoformat())
        city.click("form.stacked button[type=submit]")
        assert city.url.endswith(f"{CITY}rounds/{round_id}/") and "已保存" in city.content()
        assert _table_column(city, "steering-grants", 7) == {"已结束"}
        city.screenshot(path=str(ARTIFACTS / "demo-walk1-steering-ended.png"), full_page=True)
        member.reload()
        assert "无权访问" in member.content() and names["target_1"] not in member.content()
        member.goto(f"{site}/")
        assert member.url.endswith("/org/410621/") and f"{CITY}crossorg/" not in member.content()
        assert member.get_by_test_id("org-home-title").count() == 1  # their own home, still theirs

        # Report and hearing by the office, feedback by the leading group, on the round page; then the
        # feedback and its rectification item on the feedback pages (淇县教育局党组 is 淇县's).
        city.goto(f"{site}{CITY}rounds/{round_id}/")
        round_pages.move(city, "撰写报告", "领导小组听取汇报")
        leading = _demo_signed_in(browser, demo_site, "hebi.leader")
        leading.goto(f"{site}{CITY}rounds/{round_id}/")
        round_pages.move(leading, "反馈", note="领导小组同意反馈")
        city.reload()
        round_pages.feedback_open(city)
        round_pages.feedback_give(
            city,
            target=names["target_1"],
            leadership="领导班子落实全面从严治党主体责任不到位",
            principal="主要负责人末位表态制度执行不严",
            delivered_on=today.isoformat(),
        )
        round_pages.item_add(
            city,
            problem=names["item"],
            task="修订经费审批办法并报备",
            unit="办公室",
            person="刘洋",
            due_date=(today + timedelta(days=60)).isoformat(),
        )
        city.screenshot(path=str(ARTIFACTS / "demo-walk1-feedback.png"), full_page=True)

        b_office = _demo_signed_in(browser, demo_site, "qixian.admin")
        b_office.click("a.card[href='/org/410622/crossorg/']")
        reload_until(
            b_office,
            lambda p: names["item"] in p.get_by_test_id("rectification-received").inner_text(),
            what="the rectification list at 淇县",
            processes=demo_site,
        )
        assert names["target_1"] in b_office.get_by_test_id("rectification-received").inner_text()
        assert names["cross"] not in b_office.content() and names["leader"] not in b_office.content()
        b_office.screenshot(path=str(ARTIFACTS / "demo-walk1-qixian-received.png"), full_page=True)
        for username, code in (("xunxian.admin", "410621"), ("heshan.admin", "410611")):
            county = _demo_signed_in(browser, demo_site, username)
            county.click(f"a.card[href='/org/{code}/crossorg/']")
            assert county.get_by_test_id("rectification-received").count() == 1, username  # their list, empty
            content = county.content()
            assert names["item"] not in content and names["cross"] not in content, username
            assert names["target_1"] not in content, username
            county.goto(f"{site}/org/{code}/reminders/")
            assert names["item"] not in county.content() and names["cross"] not in county.content(), username

        city.goto(f"{site}{CITY}rounds/{round_id}/")
        reload_until(
            city,
            lambda p: "已发出" in p.get_by_test_id("steering-deliveries").inner_text(),
            what="the rectification item sent to 淇县",
            processes=demo_site,
        )
        deliveries = city.get_by_test_id("steering-deliveries").inner_text()
        assert "淇县" in deliveries and names["item"] in deliveries and "整改清单事项" in deliveries
        assert "浚县" not in deliveries and "鹤山区" not in deliveries
        city.screenshot(path=str(ARTIFACTS / "demo-walk1-steering-delivered.png"), full_page=True)


@pytest.mark.browser
def test_walk_2_the_city_sets_up_an_elevated_round_on_the_demo_and_the_county_sees_only_the_notice(demo_site, tmp_path):
    """Walk 2, from the seeded demo: hebi.admin creates an elevated round on a 鹤山区 unit on its pages, takes it
    on site and records a finding and a 机密 clue on the findings page; heshan.admin sees the notice and the
    cooperation asked, nothing of the finding or the clue, which the city sees on its own pages."""
    names = {
        "elevated": "2026年提级巡察：鹤山区发改委党组",
        "cooperation": "请鹤山区巡察办提供办公场所并通知被巡察单位班子成员",
        "finding": "MARKER-EF-DEMO 工程招投标程序不规范",
        "clue": "MARKER-EC-DEMO 关于某主任的问题线索",
    }
    site, today = demo_site.url, timezone.localdate()
    with _demo_city_walk(demo_site, tmp_path) as (browser, city):
        city.goto(f"{site}{CITY}crossorg/")
        city.click(f"[data-testid=setup-actions] a[href='{CITY}crossorg/elevated/new/']")
        city.fill("input[name=name]", names["elevated"])
        city.select_option("select[name=host_org_code]", "410611")
        city.fill("input[name=onsite_start]", today.isoformat())
        city.fill("input[name=onsite_end]", (today + timedelta(days=30)).isoformat())
        city.fill("textarea[name=cooperation]", names["cooperation"])
        city.fill("input[name=team_name]", "市委第二巡察组")
        city.get_by_label(DEMO_HESHAN_UNIT, exact=False).check()
        city.screenshot(path=str(ARTIFACTS / "demo-walk2-elevated-new.png"), full_page=True)
        city.click("[data-testid=elevated-round-form] button[type=submit]")
        assert "已保存" in city.content(), city.locator("main").inner_text()
        city.get_by_test_id("organised-rounds").get_by_role("link", name=names["elevated"]).click()
        round_id = round_pages.round_id(city)
        # The city's own team leader from its pool (陈组长, hebi.teamlead), authorised, then on the team.
        round_pages.authorise_and_add(city, "陈组长", "leader", unit="县纪委监委")  # not 浚县's 陈组长, adopted
        round_pages.move(city, "组建巡察组", "进驻动员", "进驻巡察")

        # On site: a finding and a clue (机密), from the round page's link to the findings page.
        round_pages.findings_open(city, names["elevated"])
        round_pages.finding_record(
            city,
            target=DEMO_HESHAN_UNIT,
            category="工作纪律",
            title=names["finding"],
            description="招标文件量身定制",
            evidence="招标文件、评标记录",
        )
        clue = city.get_by_test_id("clue-form")
        clue.locator("select[name=round]").select_option(label=names["elevated"])
        clue.locator("select[name=target]").select_option(label=DEMO_HESHAN_UNIT)
        clue.locator("textarea[name=summary]").fill(names["clue"])
        round_pages.submit(city, clue)
        city.goto(f"{site}{CITY}findings/?round={round_id}")
        assert names["finding"] in city.get_by_test_id("findings").inner_text()
        assert names["clue"] in city.get_by_test_id("clues").inner_text()  # the city (机密) sees both
        city.screenshot(path=str(ARTIFACTS / "demo-walk2-city-findings.png"), full_page=True)

        city.goto(f"{site}{CITY}rounds/{round_id}/")
        reload_until(
            city,
            lambda p: "已发出" in p.get_by_test_id("steering-deliveries").inner_text(),
            what="the elevated notice sent to 鹤山区",
            processes=demo_site,
        )
        deliveries = city.get_by_test_id("steering-deliveries").inner_text()
        assert "鹤山区" in deliveries and "提级巡察通知" in deliveries and "淇县" not in deliveries
        city.screenshot(path=str(ARTIFACTS / "demo-walk2-steering.png"), full_page=True)

        county = _demo_signed_in(browser, demo_site, "heshan.admin")
        county.click("a.card[href='/org/410611/crossorg/']")
        reload_until(
            county,
            lambda p: names["elevated"] in p.get_by_test_id("elevated-notices").inner_text(),
            what="the elevated notice at 鹤山区",
            processes=demo_site,
        )
        notice = county.get_by_test_id("elevated-notices").inner_text()
        assert names["cooperation"] in notice and f"{today.year}年{today.month}月{today.day}日" in notice
        county.screenshot(path=str(ARTIFACTS / "demo-walk2-heshan-notice.png"), full_page=True)
        county.goto(f"{site}/org/410611/reminders/")  # the bell: the notice, with the cooperation asked
        assert names["elevated"] in county.content() and names["cooperation"] in county.content()
        for path in ("/org/410611/crossorg/", "/org/410611/", "/org/410611/reminders/", "/org/410611/findings/"):
            county.goto(f"{site}{path}")
            content = county.content()
            assert names["finding"] not in content and names["clue"] not in content, path
            assert "MARKER-E" not in content, path
        assert county.goto(f"{site}{CITY}rounds/{round_id}/").status == 403
        assert county.goto(f"{site}{CITY}findings/?round={round_id}").status == 403
