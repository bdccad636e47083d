"""The demo seed step: an elevated and a cross-county round a person can walk through by role."""

from django.test import override_settings
from django_tenants.utils import schema_context

from shared.accounts.models import User
from shared.grants.models import AccessGrant
from sync.models import Replica
from tenants.crossorg.demo import CROSS_NAME, ELEVATED_NAME
from tenants.rounds.models import Round
from xuncha import demo

from .conftest import deliver_all


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_rounds_walkthrough_by_role(orgs, client):
    first = demo.demo_seed(password="demo-password-for-test")
    assert first.created["elevated rounds"] == 1 and first.created["cross-county rounds"] == 1
    assert "elevated rounds" not in demo.demo_seed(password="demo-password-for-test").created
    with schema_context(orgs["city"].schema_name):
        cross = Round.objects.get(name=CROSS_NAME)
        assert cross.state == "on_site" and Round.objects.filter(name=ELEVATED_NAME).exists()
    assert AccessGrant.objects.filter(round_key=str(cross.pk), revoked_at__isnull=True).count() == 2
    deliver_all(orgs["city"], orgs)

    client.force_login(User.objects.get(username="xunxian.member"))
    page = client.get("/org/410600/crossorg/").content.decode()
    assert "淇县财政局党组" in page and "淇县住建局党组" in page and "淇县教育局党组" not in page
    assert ELEVATED_NAME not in client.get("/org/410600/rounds/").content.decode()

    client.force_login(User.objects.get(username="xunxian.admin"))
    page = client.get("/org/410621/crossorg/").content.decode()
    assert ELEVATED_NAME in page and CROSS_NAME not in page

    client.force_login(User.objects.get(username="qixian.admin"))
    assert CROSS_NAME not in client.get("/org/410622/crossorg/").content.decode()
    with schema_context(orgs["county_b"].schema_name):
        # The city's regular rounds reach every county as schedules; the cross-county round reaches none.
        assert not Replica.objects.filter(record_type="rounds.round", record_key=str(cross.pk)).exists()
        assert not Replica.objects.filter(record_type="rounds.round", body__name=CROSS_NAME).exists()

    client.force_login(User.objects.get(username="hebi.admin"))
    page = client.get("/org/410600/crossorg/").content.decode()
    assert ELEVATED_NAME in page and CROSS_NAME in page
