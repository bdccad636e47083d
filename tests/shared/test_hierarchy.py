import pytest
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_exists

from shared.orgs.models import Organization
from shared.orgs.services import ProvisioningError, organization_create


@pytest.mark.parametrize(
    "kind, code, parent, message",
    [
        ("county", "410699", "410000", "must be a City"),  # county under a province
        ("county", "410698", None, "needs its parent city"),
        ("city", "410700", "410600", "must be a Province"),  # city under a city
        ("province", "420000", "410000", "has no parent"),
        ("county", "410697", "999999", "unknown parent"),
        ("county", "410621", "410600", "already exists"),  # duplicate code
        ("county", "41062", "410600", "six-digit"),
        ("county", "010621", "410600", "six-digit"),
        ("prefecture", "410696", "410600", "unknown kind"),
        ("county", "410695", "410600", "name is empty"),
    ],
)
def test_bad_input_is_refused_and_creates_nothing(orgs, kind, code, parent, message):
    before = Organization.objects.count()
    name = "" if "empty" in message else "测试县"
    with pytest.raises(ProvisioningError) as refused:
        organization_create(kind=kind, code=code, name=name, parent_code=parent)
    assert message in " ".join(refused.value.messages)
    assert Organization.objects.count() == before
    if code not in {"410621"}:
        assert not schema_exists(f"org_{code}")


def test_database_refuses_a_county_under_a_province_even_without_the_service(orgs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(
            kind="county", code="410690", name="绕过服务", parent=orgs["province"], schema_name="org_410690"
        )


def test_database_refuses_a_parentless_county(orgs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(kind="county", code="410691", name="无上级", parent=None, schema_name="org_410691")


def test_hierarchy_of_the_test_organisations(orgs):
    assert orgs["county_a"].parent == orgs["city"]
    assert orgs["city"].parent == orgs["province"]
    assert [o.code for o in orgs["county_a"].ancestors()] == ["410600", "410000"]
    assert orgs["county_a"].route == "/org/410621/"
    assert orgs["county_a"].schema_name == "org_410621"


def test_a_failure_half_way_through_a_batch_rolls_everything_back(orgs, monkeypatch):
    from shared.orgs import services

    real = services._create_one
    calls = {"n": 0}

    def failing_second(spec):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(spec)

    monkeypatch.setattr(services, "_create_one", failing_second)
    specs = [
        services.OrganizationSpec("county", "410680", "甲县", "410600"),
        services.OrganizationSpec("county", "410681", "乙县", "410600"),
    ]
    with pytest.raises(RuntimeError):
        services.organizations_create_many(specs=specs)
    connection.set_schema_to_public()
    assert not Organization.objects.filter(code__in=["410680", "410681"]).exists()
    assert not schema_exists("org_410680")
