"""The demo seed step: an elevated and a cross-county round a person can walk through by role."""

from django.test import override_settings
from django_tenants.utils import schema_context

from shared.accounts.models import User
from shared.grants.models import AccessGrant
from sync.models import Replica
from tenants.rounds.models import Round
from xuncha import demo
from xuncha.demo.crossorg import CROSS_NAME, ELEVATED_NAME

from .conftest import deliver_all


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_rounds_walkthrough_by_role(orgs, client):
    first = demo.demo_seed(password="demo-password-for-test")
    assert first.created["elevated rounds"] == 1 and first.created["cross-county rounds"] == 1
    assert "elevated rounds" not in demo.demo_seed(password="demo-password-for-test").created
    with schema_context(orgs["city"].schema_name):
        cross = Round.objects.get(name=CROSS_NAME)
        assert cross.state == "on_site" and Round.objects.filter(name=ELEVATED_NAME).exists()
    # One grant: the team leader's (浚县组员 has no sign-in; xunxian.member is on no seeded round of the city,
    # free for a round a visitor sets up on the city's page, see tests/browser/test_crossorg_walk.py).
    grants = AccessGrant.objects.filter(round_key=str(cross.pk), revoked_at__isnull=True)
    assert [grant.user.username for grant in grants] == ["xunxian.teamlead"]
    deliver_all(orgs["city"], orgs)

    client.force_login(User.objects.get(username="xunxian.member"))
    home = client.get("/org/410621/").content.decode()
    assert 'href="/org/410621/crossorg/"' in home and "/org/410600/crossorg/" not in home  # no card into the city
    assert client.get("/org/410600/crossorg/").status_code == 403

    client.force_login(User.objects.get(username="xunxian.teamlead"))
    home = client.get("/org/410621/").content.decode()  # the way in: a card at home, while the window is open
    assert 'href="/org/410600/crossorg/"' in home and "交叉巡察：鹤壁市" in home
    page = client.get("/org/410600/crossorg/").content.decode()
    assert "淇县财政局党组" in page and "淇县住建局党组" in page and "淇县教育局党组" not in page
    assert f'href="/org/410600/rounds/{cross.pk}/"' in page and 'data-testid="organised-rounds"' not in page
    rounds = client.get("/org/410600/rounds/")
    assert rounds.status_code == 200 and CROSS_NAME in rounds.content.decode()
    assert ELEVATED_NAME not in rounds.content.decode()

    client.force_login(User.objects.get(username="heshan.admin"))  # the elevated round is on a 鹤山区 unit
    page = client.get("/org/410611/crossorg/").content.decode()
    assert ELEVATED_NAME in page.split('data-testid="elevated-notices"', 1)[1] and CROSS_NAME not in page
    assert "请鹤山区巡察办协助安排进驻动员会" in page

    client.force_login(User.objects.get(username="xunxian.admin"))
    page = client.get("/org/410621/crossorg/").content.decode()
    assert 'data-testid="elevated-notices"' in page  # its (empty) list: no notice of another county's round
    assert ELEVATED_NAME not in page and CROSS_NAME not in page
    assert 'data-testid="organised-rounds"' not in page  # a county organises none: no empty table
    home = client.get("/org/410621/")
    assert home.status_code == 200 and 'href="/org/410621/crossorg/"' in home.content.decode()  # own card
    assert "/org/410600/crossorg/" not in home.content.decode()  # no grant, no card

    client.force_login(User.objects.get(username="qixian.admin"))
    page = client.get("/org/410622/crossorg/")
    assert page.status_code == 200 and 'data-testid="elevated-notices"' in page.content.decode()
    assert CROSS_NAME not in page.content.decode() and "淇县财政局党组" not in page.content.decode()
    with schema_context(orgs["county_b"].schema_name):
        # The city's regular rounds reach every county as schedules; the cross-county round reaches none.
        assert not Replica.objects.filter(record_type="rounds.round", record_key=str(cross.pk)).exists()
        assert not Replica.objects.filter(record_type="rounds.round", body__name=CROSS_NAME).exists()

    client.force_login(User.objects.get(username="hebi.admin"))
    page = client.get("/org/410600/crossorg/").content.decode()
    assert ELEVATED_NAME in page and CROSS_NAME in page
    with schema_context(orgs["city"].schema_name):
        elevated = Round.objects.get(name=ELEVATED_NAME)
    for round in (elevated, cross):  # each row opens the round's page
        assert f'href="/org/410600/rounds/{round.pk}/"' in page
    assert 'data-testid="elevated-notices"' not in page  # county-only sections stay off the city's page

    client.force_login(User.objects.get(username="henan.admin"))
    page = client.get("/org/410000/crossorg/").content.decode()  # the province: a note, not empty tables
    assert "提级巡察和交叉巡察由各市组织" in page and 'href="/org/410000/reports/inbox/"' in page
    assert 'data-testid="organised-rounds"' not in page and ELEVATED_NAME not in page and CROSS_NAME not in page


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_a_demo_started_again_later_reopens_the_cross_county_window(orgs, client):
    from datetime import timedelta

    from django.utils import timezone

    from tenants.rounds.services import round_update

    demo.demo_seed(password="demo-password-for-test")
    today = timezone.localdate()
    member = User.objects.get(username="xunxian.teamlead")
    client.force_login(member)
    assert "淇县财政局党组" in client.get("/org/410600/crossorg/").content.decode()  # inside the window
    # Weeks later: the window lies in the past, as if the city office had set these dates on the round's
    # edit page (the rounds service, which the team's access follows).
    admin = User.objects.get(username="hebi.admin")
    with schema_context(orgs["city"].schema_name):
        cross = Round.objects.get(name=CROSS_NAME)
        round_update(
            round=cross, onsite_start=today - timedelta(days=40), onsite_end=today - timedelta(days=14), actor=admin
        )
    refused = client.get("/org/410600/crossorg/")  # the window is over
    assert refused.status_code == 403 and "无权访问" in refused.content.decode()
    assert "淇县财政局党组" not in refused.content.decode()
    home = client.get("/org/410621/").content.decode()
    assert 'href="/org/410621/crossorg/"' in home and 'href="/org/410600/crossorg/"' not in home  # no card

    again = demo.demo_seed(password="demo-password-for-test")
    assert again.created["cross-county windows reopened"] == 1
    with schema_context(orgs["city"].schema_name):
        cross.refresh_from_db()
    assert cross.onsite_start <= today <= cross.onsite_end
    grants = AccessGrant.objects.filter(round_key=str(cross.pk), revoked_at__isnull=True)
    assert grants.count() == 1 and all(g.starts_on <= today <= g.ends_on for g in grants)
    page = client.get("/org/410600/crossorg/")
    assert page.status_code == 200 and "淇县财政局党组" in page.content.decode()
    assert 'href="/org/410600/crossorg/"' in client.get("/org/410621/").content.decode()  # the card is back
    assert "cross-county windows reopened" not in demo.demo_seed(password="demo-password-for-test").created


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_one_demo_seed_answers_the_campaign_through_the_county_services_and_the_city_sees_the_answers(orgs, client):
    """Issue 12 point 5: the demo's campaign is launched by campaign_setup; the seed's bus step carries it to the
    counties, which answer it with their campaign page's services (浚县 starts its linked round, 鹤山区 declines
    with its reason, 淇县 is left to answer), and the last bus step carries the answers up: after ONE seed (the
    first `make demo`), with nothing delivered by the test, the city's campaign page shows them. A second seed
    answers nothing again and carries nothing."""
    from tenants.crossorg.models import CampaignReply, RoundArrangement
    from xuncha.demo.crossorg import CAMPAIGN_TITLE

    first = demo.demo_seed(password="demo-password-for-test")
    assert first.created["unified campaigns"] == 1
    assert first.created["campaign rounds started"] == 1 and first.created["campaign answers (declined)"] == 1
    assert first.carried > 0
    with schema_context(orgs["county_a"].schema_name):
        assert RoundArrangement.objects.get(campaign_source="410600").round.name == "浚县惠民资金使用管理专项巡察"
    with schema_context(orgs["county_c"].schema_name):
        assert (
            CampaignReply.objects.get(campaign_source="410600").reason
            == "本区今年巡察力量集中于换届风气监督，拟于明年开展。"
        )
    with schema_context(orgs["county_b"].schema_name):
        assert not CampaignReply.objects.exists() and not RoundArrangement.objects.exclude(campaign_key="").exists()

    client.force_login(User.objects.get(username="hebi.admin"))
    overview = client.get("/org/410600/crossorg/").content.decode()
    link = overview.split(CAMPAIGN_TITLE, 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    page = client.get(link).content.decode()
    xunxian = page.split('data-testid="county-410621"', 1)[1].split("</tr>", 1)[0]
    assert "已启动联动巡察" in xunxian and "浚县惠民资金使用管理专项巡察" in xunxian  # its linked round, by name
    heshan = page.split('data-testid="county-410611"', 1)[1].split("</tr>", 1)[0]
    assert "不开展" in heshan and "本区今年巡察力量集中于换届风气监督，拟于明年开展。" in heshan
    qixian = page.split('data-testid="county-410622"', 1)[1].split("</tr>", 1)[0]
    assert "尚未答复" in qixian and 'data-testid="remind-410622"' in qixian  # the city may remind it

    second = demo.demo_seed(password="demo-password-for-test")
    assert second.created == {} and second.carried == 0  # nothing new, nothing left to carry
    with schema_context(orgs["county_a"].schema_name):
        assert RoundArrangement.objects.exclude(campaign_key="").count() == 1
    with schema_context(orgs["county_c"].schema_name):
        assert CampaignReply.objects.count() == 1


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_rounds_are_set_up_from_the_counties_replicas(orgs):
    """Issue 12 point 5: the seeded cross-county and elevated rounds are made by cross_round_setup /
    elevated_round_setup with units and people picked from the city's replicas of the counties' registries: each
    team's unit and person is the city's copy adopted from the county's record (same key), none made by hand."""
    from tenants.crossorg.adoption import PERSON, UNIT
    from tenants.experts.models import Expert
    from tenants.rounds.models import TeamMember, TeamTarget
    from tenants.targets.models import Target

    demo.demo_seed(password="demo-password-for-test")
    keys = {}
    for code, model, names in (
        ("410621", Expert, ("陈组长", "冯专家")),
        ("410622", Target, ("淇县财政局党组", "淇县住建局党组")),
        ("410611", Target, ("鹤壁集镇党委",)),
    ):
        with schema_context(orgs[code].schema_name):
            keys.update({(code, name): str(model.objects.get(name=name).pk) for name in names})
    with schema_context(orgs["city"].schema_name):
        replica_ids = {
            (replica.source, replica.body["name"]): (replica.pk, replica.record_key)
            for replica in Replica.objects.filter(
                record_type__in=[PERSON, UNIT], source__in=["410621", "410622", "410611"]
            )
        }
        cross = Round.objects.get(name=CROSS_NAME)
        team = {
            member.expert.name: (member.role, member.expert.adoption.source, member.expert.adoption.record_key)
            for member in TeamMember.objects.filter(round=cross).select_related("expert__adoption")
        }
        assert team == {
            "陈组长": ("leader", "410621", keys[("410621", "陈组长")]),
            "冯专家": ("member", "410621", keys[("410621", "冯专家")]),
        }
        leader = TeamMember.objects.get(round=cross, role="leader").expert
        assert leader.user.username == "xunxian.teamlead"  # 浚县's 陈组长, with the sign-in the replica names
        assert replica_ids[("410621", "陈组长")][1] == keys[("410621", "陈组长")]  # the replica the form offers

        def units(round):
            return {
                (link.target.name, link.target.adoption.source, link.target.adoption.record_key)
                for link in TeamTarget.objects.filter(round=round).select_related("target__adoption")
            }

        assert units(cross) == {
            ("淇县财政局党组", "410622", keys[("410622", "淇县财政局党组")]),
            ("淇县住建局党组", "410622", keys[("410622", "淇县住建局党组")]),
        }
        elevated = Round.objects.get(name=ELEVATED_NAME)
        assert elevated.arrangement.host_org_code == "410611"
        assert units(elevated) == {("鹤壁集镇党委", "410611", keys[("410611", "鹤壁集镇党委")])}
        # The walks' own picks stay free: no seeded round uses them.
        used = set(TeamTarget.objects.values_list("target__name", flat=True))
        assert not used & {"淇县教育局党组", "淇县卫健委党组", "鹤山区发改委党组"}
        assert not TeamMember.objects.filter(expert__user__username="xunxian.member").exists()
