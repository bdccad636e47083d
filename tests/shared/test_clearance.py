"""The shared clearance building blocks: querysets, one record, DRF permission, template tag."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.accounts.selectors import NO_ACCESS, OrganizationAccess
from tenants.rounds.models import Round, TeamTarget
from tenants.rounds.services import round_create, team_create, team_target_add
from tenants.targets.models import Target
from xuncha.clearance import ClearedForRecord, HasClearance, record_visible_to, visible_to

OFFICE = OrganizationAccess(roles=frozenset({"office_staff"}), clearance=Classification.INTERNAL)
CLEARED = OrganizationAccess(roles=frozenset({"office_staff"}), clearance=Classification.CONFIDENTIAL)


@pytest.fixture
def city_rounds(orgs, make_member):
    creator = make_member(orgs["city"], "office_admin", clearance=3)
    with schema_context(orgs["city"].schema_name):
        rounds = {
            level: round_create(name=f"轮次{level}", kind="ad_hoc", actor=creator, classification=level)
            for level in (0, 1, 2, 3)
        }
        targets = [Target.objects.create(name=f"单位{n}", level="county", managing_org_code="410622") for n in range(3)]
        team = team_create(round=rounds[2], name="第一组")
        for target in targets:
            team_target_add(team=team, target=target)
        yield rounds, targets


def test_classification_above_clearance_is_filtered(city_rounds):
    rounds, _ = city_rounds
    assert set(visible_to(Round.objects.filter(pk__in=[r.pk for r in rounds.values()]), OFFICE)) == {
        rounds[0],
        rounds[1],
    }
    assert set(visible_to(Round.objects.filter(pk__in=[r.pk for r in rounds.values()]), CLEARED)) == set(
        rounds.values()
    )
    assert not visible_to(Round.objects.all(), NO_ACCESS).exists()
    assert not visible_to(Round.objects.all(), None).exists()


def test_granted_access_sees_only_its_round_and_targets(city_rounds):
    rounds, targets = city_rounds
    granted = OrganizationAccess(
        roles=frozenset({"team_member"}),
        clearance=3,
        grant_id=1,
        round_keys=frozenset({str(rounds[2].pk)}),
        target_keys=frozenset({str(targets[0].pk), str(targets[1].pk)}),
    )
    assert list(visible_to(Round.objects.all(), granted, round_field="id")) == [rounds[2]]
    shown = visible_to(TeamTarget.objects.all(), granted, round_field="round_id", target_field="target_id")
    assert {tt.target_id for tt in shown} == {targets[0].pk, targets[1].pk}
    # A model that declares no relation to rounds or targets is closed to granted users.
    assert not visible_to(Target.objects.all(), granted).exists()
    assert visible_to(Target.objects.all(), CLEARED).count() == Target.objects.count()


def test_one_record_follows_the_same_rule(city_rounds):
    rounds, targets = city_rounds
    team_target = TeamTarget.objects.get(target=targets[2])
    team_target.clearance_round_field, team_target.clearance_target_field = "round_id", "target_id"
    granted = OrganizationAccess(
        roles=frozenset({"team_member"}),
        clearance=3,
        grant_id=1,
        round_keys=frozenset({str(rounds[2].pk)}),
        target_keys=frozenset({str(targets[0].pk)}),
    )
    assert not record_visible_to(team_target, granted)
    assert record_visible_to(team_target, CLEARED)
    assert not record_visible_to(rounds[3], OFFICE) and record_visible_to(rounds[1], OFFICE)


def _drf_request(access):
    request = RequestFactory().get("/")
    request.org_access = access
    return request


def test_drf_permissions_hide_records_as_not_found(city_rounds):
    rounds, _ = city_rounds
    permission = ClearedForRecord()
    assert permission.has_object_permission(_drf_request(CLEARED), None, rounds[3])
    with pytest.raises(Http404):
        permission.has_object_permission(_drf_request(OFFICE), None, rounds[3])
    view = type("View", (), {"required_clearance": Classification.SECRET})()
    assert HasClearance().has_permission(_drf_request(CLEARED), view)
    assert not HasClearance().has_permission(_drf_request(OFFICE), view)
    assert not HasClearance().has_permission(_drf_request(NO_ACCESS), type("V", (), {})())


def test_template_tag_never_renders_a_classified_field_to_the_uncleared(city_rounds):
    rounds, _ = city_rounds
    template = Template(
        '{% load clearance %}[{% classified_field record "name" %}]'
        '{% if record|visible_for:org_access %}VISIBLE{% endif %}'
    )
    secret_name = rounds[3].name
    assert template.render(Context({"record": rounds[3], "org_access": CLEARED})) == f"[{secret_name}]VISIBLE"
    hidden = template.render(Context({"record": rounds[3], "org_access": OFFICE}))
    assert secret_name not in hidden and "VISIBLE" not in hidden
    assert secret_name not in template.render(Context({"record": rounds[3]}))
