"""The demo's 督办 item: the city's item reaches 浚县's ledger, which xunxian.admin sees; seeding twice adds nothing."""

from django.test import override_settings
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.rectification.models import RectificationItem, SupervisedItem
from tenants.rounds.models import Round
from tests.tenants.crossorg.conftest import deliver_all
from xuncha import demo
from xuncha.demo.supervised import ROUND_NAME


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_city_item_lands_in_the_county_ledger(orgs, client):
    assert demo.demo_seed(password="demo-password-for-test").created["supervised rectification items"] == 1
    assert "supervised rectification items" not in demo.demo_seed(password="demo-password-for-test").created
    with schema_context(orgs["city"].schema_name):
        assert Round.objects.get(name=ROUND_NAME).state == "feedback"
        item = RectificationItem.objects.get(assignee_org_code="410621")
    deliver_all(orgs["city"], orgs, record_type="rectification.item")
    with schema_context(orgs["county_a"].schema_name):
        assert SupervisedItem.objects.get(record_key=str(item.pk)).title == item.problem
    client.force_login(User.objects.get(username="xunxian.admin"))
    page = client.get("/org/410621/rectification/supervised/").content.decode()
    assert item.problem in page and 'data-colour="yellow"' in page
