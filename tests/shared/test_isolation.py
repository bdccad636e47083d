"""Rows written in one organisation's schema are invisible from another's."""

from django_tenants.utils import schema_context

from tenants.targets.models import Target


def test_orm_rows_stay_in_their_schema(orgs):
    with schema_context(orgs["county_a"].schema_name):
        Target.objects.create(name="浚县财政局", level="county", managing_org_code="410621")
        assert Target.objects.filter(name="浚县财政局").count() == 1
    with schema_context(orgs["county_b"].schema_name):
        assert not Target.objects.filter(name="浚县财政局").exists()
        assert Target.objects.count() == 0
    with schema_context(orgs["city"].schema_name):
        assert not Target.objects.filter(name="浚县财政局").exists()


def test_http_a_user_sees_their_own_organisation_only(client, orgs, make_member):
    with schema_context(orgs["county_a"].schema_name):
        Target.objects.create(name="浚县财政局", level="county", managing_org_code="410621")
    user_a = make_member(orgs["county_a"], "office_staff")
    user_b = make_member(orgs["county_b"], "office_staff")

    client.force_login(user_a)
    home_a = client.get("/org/410621/")
    assert home_a.status_code == 200
    assert "浚县" in home_a.content.decode()
    assert client.get("/org/410622/").status_code == 403
    assert client.get("/org/410622/api/me/").status_code == 403

    client.force_login(user_b)
    assert client.get("/org/410621/").status_code == 403
    response = client.get("/org/410622/api/me/")
    assert response.status_code == 200
    assert response.json()["organization"]["code"] == "410622"
    assert "浚县" not in client.get("/org/410622/").content.decode()
