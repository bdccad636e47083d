"""Cross-organisation grants: a county-A team member enters the city for one round's targets,
within the on-site window only; changes are audited; revocation stops the next request."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.grants.models import AccessGrant
from shared.grants.selectors import grant_access_for
from shared.grants.services import grant_change, grant_create, grant_revoke, grants_revoke_for_round
from tenants.audit.models import AuditEvent
from tenants.audit.selectors import audit_chain_verify
from xuncha.middleware import OrganizationAccessMiddleware

TODAY = timezone.localdate


@pytest.fixture
def city_office(orgs, make_member):
    return make_member(orgs["city"], "office_admin", clearance=3)


@pytest.fixture
def member_a(orgs, make_member):
    """A county-A official who will sit on a cross-county team organised by the city."""
    return make_member(orgs["county_a"], "office_staff", clearance=2)


def _grant(orgs, user, by, *, start=0, end=10, targets=("11", "12"), **extra):
    return grant_create(
        organization=orgs["city"],
        person=user,
        home_organization=orgs["county_a"],
        round_key="5",
        target_keys=targets,
        starts_on=TODAY() + timedelta(days=start),
        ends_on=TODAY() + timedelta(days=end),
        actor=by,
        **extra,
    )


def test_without_grant_a_county_member_is_refused_by_the_city(client, orgs, member_a):
    client.force_login(member_a)
    assert client.get("/org/410600/").status_code == 403
    assert client.get("/org/410600/api/me/").status_code == 403


def test_grant_lets_the_member_in_as_team_member_with_the_grant_clearance(client, orgs, member_a, city_office):
    _grant(orgs, member_a, city_office, clearance=Classification.SECRET)
    client.force_login(member_a)
    me = client.get("/org/410600/api/me/")
    assert me.status_code == 200
    assert me.json()["roles"] == ["team_member"] and me.json()["clearance"] == Classification.SECRET
    assert client.get("/org/410600/").status_code == 200
    # The grant opens the city only: the sibling county stays closed.
    assert client.get("/org/410622/").status_code == 403


def test_access_carries_the_granted_round_and_targets_only(orgs, member_a, city_office):
    grant = _grant(orgs, member_a, city_office)
    request = RequestFactory().get("/org/410600/")
    request.user, request.tenant = member_a, orgs["city"]
    access = OrganizationAccessMiddleware(lambda r: r.org_access)(request)
    assert access.grant_id == grant.pk and access.is_granted
    assert access.round_keys == frozenset({"5"}) and access.target_keys == frozenset({"11", "12"})
    assert access.may_see_target(11) and not access.may_see_target(13)


@pytest.mark.parametrize("start,end", [(1, 10), (-10, -1)])
def test_outside_the_window_the_grant_gives_nothing(client, orgs, member_a, city_office, start, end):
    _grant(orgs, member_a, city_office, start=start, end=end)
    client.force_login(member_a)
    assert client.get("/org/410600/api/me/").status_code == 403
    assert grant_access_for(person=member_a, organization=orgs["city"]) is None


def test_window_is_inclusive_of_its_last_day(client, orgs, member_a, city_office):
    _grant(orgs, member_a, city_office, start=-3, end=0)
    client.force_login(member_a)
    assert client.get("/org/410600/api/me/").status_code == 200


def test_revocation_takes_effect_at_the_next_request_in_the_same_session(client, orgs, member_a, city_office):
    grant = _grant(orgs, member_a, city_office)
    client.force_login(member_a)
    assert client.get("/org/410600/api/me/").status_code == 200
    grant_revoke(grant=grant, actor=city_office, reason="回避")
    assert client.get("/org/410600/api/me/").status_code == 403
    assert client.get("/org/410600/").status_code == 403


def test_narrowing_targets_takes_effect_at_the_next_request(orgs, member_a, city_office):
    grant = _grant(orgs, member_a, city_office)
    grant_change(grant=grant, actor=city_office, target_keys=["12"])
    access = grant_access_for(person=member_a, organization=orgs["city"])
    assert access.target_keys == frozenset({"12"})


def test_every_grant_change_is_audited_in_the_granting_organisation(orgs, member_a, city_office):
    with schema_context(orgs["city"].schema_name):
        before = AuditEvent.objects.count()
    request = RequestFactory().post("/org/410600/grants/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="ua-test")
    request.user = city_office
    grant = _grant(orgs, member_a, city_office, request=request)
    grant_change(grant=grant, actor=city_office, ends_on=TODAY() + timedelta(days=3))
    grant_revoke(grant=grant, actor=city_office, reason="round ended")
    with schema_context(orgs["city"].schema_name):
        events = list(AuditEvent.objects.filter(record_type="grants.access_grant", record_key=str(grant.pk)))
        assert [e.action for e in events] == ["grant_create", "grant_change", "grant_revoke"]
        assert all(e.username == city_office.username and e.organization_code == "410600" for e in events)
        assert (events[0].ip, events[0].user_agent) == ("192.0.2.7", "ua-test")
        assert member_a.username in events[0].detail and '"targets": ["11", "12"]' in events[0].detail
        assert AuditEvent.objects.count() == before + 3 and audit_chain_verify().ok
    with schema_context(orgs["county_a"].schema_name):
        assert not AuditEvent.objects.filter(record_type="grants.access_grant").exists()


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"start": 5, "end": 1}, "cannot end before"),
        ({"targets": ()}, "at least one target"),
        ({"role": "office_admin"}, "team roles"),
    ],
)
def test_bad_grants_are_refused_and_leave_nothing(orgs, member_a, city_office, kwargs, message):
    with schema_context(orgs["city"].schema_name):
        before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        _grant(orgs, member_a, city_office, **kwargs)
    assert not AccessGrant.objects.filter(user=member_a).exists()
    with schema_context(orgs["city"].schema_name):
        assert AuditEvent.objects.count() == before


def test_one_live_grant_per_person_and_round(orgs, member_a, city_office):
    grant = _grant(orgs, member_a, city_office)
    with pytest.raises(ValidationError, match="already holds"):
        _grant(orgs, member_a, city_office)
    grant_revoke(grant=grant, actor=city_office)
    assert _grant(orgs, member_a, city_office).pk != grant.pk


def test_ending_a_round_revokes_all_its_grants(client, orgs, member_a, make_member, city_office):
    other = make_member(orgs["county_a"], "office_staff")
    _grant(orgs, member_a, city_office)
    _grant(orgs, other, city_office)
    assert grants_revoke_for_round(organization=orgs["city"], round_key="5", actor=city_office, reason="end") == 2
    client.force_login(other)
    assert client.get("/org/410600/").status_code == 403


def test_ending_a_round_revokes_its_grants_in_two_statements_and_syncs_each_home_office_once(
    orgs, member_a, make_member, city_office, monkeypatch, django_capture_on_commit_callbacks
):
    """grants_revoke_for_round did everything once per person: lock and read the grant, its person, its office, and
    after the commit the person's whole home office's notices (three people of 浚县: three syncs of 浚县). Now: one
    statement reads and locks them all, one ends them, each is still its own event in the city's chain, and each home
    office's notices are synced once (a person of 淇县 is the positive control: 淇县 is synced too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import tenants.reminders.receivers as receivers

    people = [member_a, make_member(orgs["county_a"], "office_staff"), make_member(orgs["county_a"], "office_staff")]
    other_home = make_member(orgs["county_b"], "office_staff")
    with django_capture_on_commit_callbacks(execute=True):  # the grants made and committed before the round ends
        for person in people:
            _grant(orgs, person, city_office)
        grant_create(
            organization=orgs["city"],
            person=other_home,
            home_organization=orgs["county_b"],
            round_key="5",
            target_keys=["11"],
            starts_on=TODAY(),
            ends_on=TODAY() + timedelta(days=10),
            actor=city_office,
        )
    synced = []
    monkeypatch.setattr(
        receivers, "grant_notices_sync", lambda *, organization, today: synced.append(organization.code) or {}
    )
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as revoking:
        assert grants_revoke_for_round(organization=orgs["city"], round_key="5", actor=city_office, reason="end") == 4
    on_grants = [query["sql"].split()[0] for query in revoking.captured_queries if "grants_accessgrant" in query["sql"]]
    assert on_grants == ["SELECT", "UPDATE"]
    assert not [query for query in revoking.captured_queries if query["sql"].startswith('SELECT "accounts_user"')]
    assert sorted(synced) == ["410621", "410622"]  # each home office once, however many of its people
    assert not AccessGrant.objects.filter(round_key="5", revoked_at__isnull=True).exists()
    assert set(AccessGrant.objects.filter(round_key="5").values_list("revoke_reason", flat=True)) == {"end"}
    with schema_context(orgs["city"].schema_name):
        revoked = AuditEvent.objects.filter(action="grant_revoke").values_list("detail", flat=True)
        assert sorted(json.loads(detail)["grantee"] for detail in revoked) == sorted(
            p.get_username() for p in [*people, other_home]
        )
        assert audit_chain_verify().ok


def test_several_live_grants_union_targets_and_take_the_lowest_clearance(orgs, member_a, city_office):
    _grant(orgs, member_a, city_office, clearance=3)
    grant_create(
        organization=orgs["city"],
        person=member_a,
        round_key="6",
        target_keys=["21"],
        starts_on=TODAY(),
        ends_on=TODAY(),
        actor=city_office,
        clearance=1,
    )
    access = grant_access_for(person=member_a, organization=orgs["city"])
    assert access.clearance == 1 and access.round_keys == frozenset({"5", "6"})
    assert access.target_keys == frozenset({"11", "12", "21"})


def test_a_member_of_the_organisation_keeps_membership_access_not_the_grant(orgs, make_member, city_office):
    city_member = make_member(orgs["city"], "team_member", clearance=3)
    grant_create(
        organization=orgs["city"],
        person=city_member,
        round_key="5",
        target_keys=["11"],
        starts_on=TODAY(),
        ends_on=TODAY(),
        actor=city_office,
    )
    request = RequestFactory().get("/org/410600/")
    request.user, request.tenant = city_member, orgs["city"]
    access = OrganizationAccessMiddleware(lambda r: r.org_access)(request)
    assert access.target_keys is None and access.clearance == 3 and not access.is_granted


def test_a_grant_change_no_audit_listens_to_is_refused_and_leaves_no_grant(orgs, member_a, city_office):
    """The audit hears of grant changes through shared.grants.signals; with its listener gone the
    change is refused (no grant change without its audit row), and with it back it goes through."""
    from shared.grants.signals import grant_changed
    from tenants.audit.receivers import grant_change_audit

    assert grant_changed.disconnect(sender=AccessGrant, dispatch_uid="audit.grant_change")
    try:
        with pytest.raises(ImproperlyConfigured, match="No access audit listens"):
            _grant(orgs, member_a, city_office)
    finally:
        grant_changed.connect(grant_change_audit, sender=AccessGrant, dispatch_uid="audit.grant_change")
    assert not AccessGrant.objects.filter(user=member_a).exists()
    grant = _grant(orgs, member_a, city_office)
    with schema_context(orgs["city"].schema_name):
        assert [e.action for e in AuditEvent.objects.filter(record_key=str(grant.pk))] == ["grant_create"]


def test_no_other_listener_stands_in_for_the_missing_audit(orgs, member_a, city_office):
    """The grant's notices (tenants.reminders) follow grant changes on their own signal, and the service asks for the
    audit's own answer: with the audit's receiver gone, the notices' receiver connected and some other receiver on
    grant_changed, a grant change is still refused and leaves no grant."""
    from shared.grants.signals import grant_changed, grant_committed
    from tenants.audit.receivers import grant_change_audit

    heard = []

    def bystander(**signal) -> None:
        heard.append(signal["action"])

    assert grant_committed.has_listeners(sender=AccessGrant)  # the notices' receiver is connected
    assert grant_changed.disconnect(sender=AccessGrant, dispatch_uid="audit.grant_change")
    grant_changed.connect(bystander, sender=AccessGrant, dispatch_uid="test.bystander")
    try:
        with pytest.raises(ImproperlyConfigured, match="No access audit listens"):
            _grant(orgs, member_a, city_office)
        assert heard == ["grant_create"]  # the other receiver did listen: it is not enough
    finally:
        grant_changed.disconnect(sender=AccessGrant, dispatch_uid="test.bystander")
        grant_changed.connect(grant_change_audit, sender=AccessGrant, dispatch_uid="audit.grant_change")
    assert not AccessGrant.objects.filter(user=member_a).exists()
    assert _grant(orgs, member_a, city_office).pk  # and with the audit back it goes through


def test_public_schema_apps_import_no_tenant_app():
    """shared/ (the public-schema apps) is below the tenant apps: none of its modules imports `tenants`."""
    import ast
    from pathlib import Path

    import shared

    offenders = []
    for path in sorted(Path(shared.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(Path(shared.__file__).parent)}: {name}"
                for name in names
                if name.split(".")[0] == "tenants"
            ]
    assert offenders == []


def _grant_statements(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = client.get(path).content.decode()
    return page, [query["sql"] for query in captured if "grants_accessgrant" in query["sql"]]


def test_the_home_card_of_a_grant_elsewhere_reads_the_live_grants_only_when_one_may_be_open(
    client, orgs, member_a, city_office
):
    """Every page's navigation asks whether the person holds a grant in another organisation; the live-grants
    statement (with its home-clearance subquery) runs only when a simple one finds an open window."""
    client.force_login(member_a)
    page, statements = _grant_statements(client, "/org/410621/")
    assert "交叉巡察" not in page
    assert len(statements) == 1 and "accounts_membership" not in statements[0]
    grant = _grant(orgs, member_a, city_office)
    page, statements = _grant_statements(client, "/org/410621/")
    assert f"交叉巡察：{orgs['city'].name}" in page
    assert len(statements) == 2 and "accounts_membership" in statements[1]
    grant_revoke(grant=grant, actor=city_office, reason="回避")
    page, statements = _grant_statements(client, "/org/410621/")
    assert "交叉巡察" not in page and len(statements) == 1
