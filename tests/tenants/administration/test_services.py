"""三员分立: accounts, memberships and clearance changed through the services, each change audited."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from shared.accounts.models import Membership, User
from shared.accounts.selectors import organization_access
from tenants.administration.services import (
    account_create,
    account_password_set,
    account_update,
    membership_grant,
    membership_update,
)
from tenants.audit.models import AuditEvent
from tenants.audit.selectors import audit_chain_verify

PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture
def admins(orgs, make_member):
    """County A's system and security administrators, and the city's security administrator."""
    made = {
        "sys": make_member(orgs["county_a"], "system_admin", clearance=0, username="xa.sys"),
        "sec": make_member(orgs["county_a"], "security_admin", clearance=0, username="xa.sec"),
        "city_sec": make_member(orgs["city"], "security_admin", clearance=0, username="hb.sec"),
    }
    User.objects.filter(username__in=["xa.sys", "xa.sec"]).update(home_organization=orgs["county_a"])
    return {name: User.objects.get(pk=user.pk) for name, user in made.items()}


def _events(org, action):
    with schema_context(org.schema_name):
        return [
            (e.username, e.record_type, json.loads(e.detail))
            for e in AuditEvent.objects.filter(action=action).order_by("seq")
        ]


def test_a_new_account_and_its_changes_are_audited_with_before_and_after(orgs, admins):
    county = orgs["county_a"]
    with schema_context(county.schema_name):
        person = account_create(
            actor=admins["sys"], organization=county, username="zhang.san", display_name="张三", password=PASSWORD
        )
        account_update(actor=admins["sys"], organization=county, person=person, display_name="张三丰", is_active=True)
        account_update(actor=admins["sys"], organization=county, person=person, display_name="张三丰", is_active=True)
        account_update(actor=admins["sys"], organization=county, person=person, display_name="张三丰", is_active=False)
        account_password_set(actor=admins["sys"], organization=county, person=person, password="another-passphrase-77")
        assert audit_chain_verify().ok
    person.refresh_from_db()
    assert (person.home_organization_id, person.display_name, person.is_active) == (county.pk, "张三丰", False)
    assert person.check_password("another-passphrase-77")
    assert _events(county, "account_create") == [
        ("xa.sys", "accounts.user", {"after": {"username": "zhang.san", "display_name": "张三", "is_active": True}})
    ]
    # The unchanged save wrote nothing; the password is never logged, only that it was set.
    assert _events(county, "account_change") == [
        ("xa.sys", "accounts.user", {"before": {"display_name": "张三"}, "after": {"display_name": "张三丰"}}),
        ("xa.sys", "accounts.user", {"before": {"is_active": True}, "after": {"is_active": False}}),
        ("xa.sys", "accounts.user", {"before": {"password": "—"}, "after": {"password": "已重置"}}),
    ]


def test_a_weak_password_is_refused_in_chinese_and_no_account_is_left(orgs, admins):
    with translation.override("zh-hans"), schema_context(orgs["county_a"].schema_name):
        with pytest.raises(ValidationError) as refused:
            account_create(
                actor=admins["sys"], organization=orgs["county_a"], username="li.si", display_name="", password="123"
            )
        assert "密码" in " ".join(refused.value.messages)
    assert not User.objects.filter(username="li.si").exists()
    assert _events(orgs["county_a"], "account_create") == []


def test_the_system_administrator_sets_no_administrators_password_and_does_not_disable_themselves(orgs, admins):
    county = orgs["county_a"]
    with translation.override("zh-hans"), schema_context(county.schema_name):
        with pytest.raises(ValidationError) as refused:
            account_password_set(actor=admins["sys"], organization=county, person=admins["sec"], password=PASSWORD)
        assert refused.value.messages == ["管理员的密码只能由本人在“修改密码”页面修改。"]
        with pytest.raises(ValidationError) as refused:
            account_update(
                actor=admins["sys"], organization=county, person=admins["sys"], display_name="", is_active=False
            )
        assert refused.value.messages == ["不能停用自己的账号。"]
        with pytest.raises(ValidationError) as refused:  # an account another office keeps
            account_update(
                actor=admins["sys"], organization=county, person=admins["city_sec"], display_name="", is_active=False
            )
        assert refused.value.messages == ["该账号由其他单位管理。"]
    assert User.objects.get(pk=admins["sys"].pk).is_active and User.objects.get(pk=admins["city_sec"].pk).is_active


def test_grants_and_clearance_changes_are_audited_and_nobody_changes_their_own(orgs, admins):
    county = orgs["county_a"]
    with translation.override("zh-hans"), schema_context(county.schema_name):
        person = account_create(
            actor=admins["sys"], organization=county, username="wang.wu", display_name="王五", password=PASSWORD
        )
        granted = membership_grant(
            actor=admins["sec"], organization=county, person=person, role="office_staff", clearance=1
        )
        membership_update(actor=admins["sec"], organization=county, membership=granted, clearance=2, is_active=True)
        membership_update(actor=admins["sec"], organization=county, membership=granted, clearance=2, is_active=True)
        with pytest.raises(ValidationError) as refused:
            membership_grant(
                actor=admins["sec"], organization=county, person=admins["sec"], role="office_admin", clearance=3
            )
        assert refused.value.messages == ["不能变更自己的角色或密级。"]
        own = Membership.objects.get(user=admins["sec"], organization=county)
        with pytest.raises(ValidationError):
            membership_update(actor=admins["sec"], organization=county, membership=own, clearance=3, is_active=True)
    assert organization_access(person=person, organization_id=county.pk).clearance == 2
    assert list(Membership.objects.filter(user=admins["sec"]).values_list("role", "clearance")) == [
        ("security_admin", 0)
    ]
    assert _events(county, "membership_create") == [
        (
            "xa.sec",
            "accounts.membership",
            {"after": {"user": "wang.wu", "role": "office_staff", "clearance": 1, "is_active": True}},
        )
    ]
    assert _events(county, "membership_change") == [
        (
            "xa.sec",
            "accounts.membership",
            {
                "before": {"user": "wang.wu", "role": "office_staff", "clearance": 1},
                "after": {"user": "wang.wu", "role": "office_staff", "clearance": 2},
            },
        )
    ]


def test_no_person_holds_two_administrator_roles_in_any_organisation(orgs, admins):
    county, city = orgs["county_a"], orgs["city"]
    with translation.override("zh-hans"):
        with schema_context(county.schema_name):
            person = account_create(
                actor=admins["sys"], organization=county, username="zhao.liu", display_name="赵六", password=PASSWORD
            )
            audit = membership_grant(
                actor=admins["sec"], organization=county, person=person, role="audit_admin", clearance=0
            )
            with pytest.raises(ValidationError) as refused:
                membership_grant(
                    actor=admins["sec"], organization=county, person=person, role="system_admin", clearance=0
                )
            assert refused.value.messages == ["三员分立：此人已是安全审计员，不得再担任系统管理员。"]
        with schema_context(city.schema_name):  # nor in another organisation
            with pytest.raises(ValidationError):
                membership_grant(
                    actor=admins["city_sec"], organization=city, person=person, role="security_admin", clearance=0
                )
            # the same role elsewhere, or a working role, is not a second administrator
            elsewhere = membership_grant(
                actor=admins["city_sec"], organization=city, person=person, role="audit_admin", clearance=0
            )
            membership_update(
                actor=admins["city_sec"], organization=city, membership=elsewhere, clearance=0, is_active=False
            )
        with schema_context(county.schema_name):
            # withdrawn, the audit role no longer blocks; brought back while the other is held, it is refused
            membership_update(actor=admins["sec"], organization=county, membership=audit, clearance=0, is_active=False)
            system = membership_grant(
                actor=admins["sec"], organization=county, person=person, role="system_admin", clearance=0
            )
            with pytest.raises(ValidationError) as refused:
                membership_update(
                    actor=admins["sec"], organization=county, membership=audit, clearance=0, is_active=True
                )
            assert refused.value.messages == ["三员分立：此人已是系统管理员，不得再担任安全审计员。"]
    assert sorted(Membership.objects.filter(user=person).values_list("organization__code", "role", "is_active")) == [
        ("410600", "audit_admin", False),
        ("410621", "audit_admin", False),
        ("410621", "system_admin", True),
    ]
    assert system.is_active


def test_an_administrators_clearance_raises_nothing_the_person_reads(orgs, admins, make_member):
    """Found while building this: the clearance of an administrator's membership counted as the person's level."""
    county = orgs["county_a"]
    person = make_member(county, "office_staff", clearance=1, username="xa.staff")
    make_member(county, "audit_admin", clearance=3, username="xa.staff")
    access = organization_access(person=person, organization_id=county.pk)
    assert (sorted(access.roles), access.clearance) == (["audit_admin", "office_staff"], 1)
    only_admin = organization_access(person=admins["sec"], organization_id=county.pk)
    assert (sorted(only_admin.roles), only_admin.clearance) == (["security_admin"], 0)
