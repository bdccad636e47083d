"""The demo seed step: the city's plan and first round's summary are filed once, however often
the demo starts."""

from django_tenants.utils import schema_context

from sync.models import OutboxMessage
from tenants.reports.models import Filing
from xuncha import demo


def test_the_demo_files_the_plan_and_a_round_summary_once(orgs, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # (the demo process test may have committed the same seed already: then nothing is new here)
    demo.demo_seed(password="demo-password-for-test")
    with schema_context(orgs["city"].schema_name):
        kinds = sorted(Filing.objects.filter(filed_by__username="hebi.demo-seed").values_list("kind", flat=True))
        assert kinds == ["annual_plan", "round_summary"]
        keys = [
            str(key) for key in Filing.objects.filter(filed_by__username="hebi.demo-seed").values_list("key", flat=True)
        ]
        assert OutboxMessage.objects.filter(record_key__in=keys, destination="410000").count() == 2
    second = demo.demo_seed(password="demo-password-for-test")
    assert "filings" not in second.created
    with schema_context(orgs["city"].schema_name):
        assert Filing.objects.filter(filed_by__username="hebi.demo-seed").count() == 2
