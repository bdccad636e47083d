"""Tenant tables name people without a database foreign key (issue 14: each key added referential triggers to
public.accounts_user, and provisioning grew with the organisation count); the accounts_user_referenced trigger
keeps what the keys gave: a person a tenant row names cannot be deleted (nor the users table truncated)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_migrate
from django_tenants.utils import schema_context

from shared.accounts.models import User, UserReference
from shared.accounts.references import user_reference_columns
from shared.orgs.services import organization_create
from tenants.planning.models import MultiYearPlan
from tenants.planning.services import plan_create

FOREIGN_KEYS_TO_USERS = """
    SELECT n.nspname, c.relname, con.conname FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE con.contype = 'f' AND con.confrelid = 'public.accounts_user'::regclass AND n.nspname = ANY(%s)"""


def tenant_models():
    shared = {apps.get_app_config(name.rsplit(".", 1)[-1]).label for name in settings.SHARED_APPS}
    for name in settings.TENANT_APPS:
        config = apps.get_app_config(name.rsplit(".", 1)[-1])
        if config.label not in shared:
            yield from config.get_models(include_auto_created=True)


def referenced_user(orgs, make_member, username: str) -> User:
    """A county office's person who wrote a plan there: a tenant row names them."""
    person = make_member(orgs["county_b"], "office_staff", username=username)
    with schema_context(orgs["county_b"].schema_name):
        plan_create(kind="multi_year", actor=person, title="2027—2031年巡察工作规划", start_year=2027, end_year=2031)
    connection.set_schema_to_public()
    return person


def delete_and_check(person: User) -> None:
    """Delete the person and check the deferred constraints now, as the commit would."""
    with transaction.atomic():
        User.objects.filter(pk=person.pk).delete()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_new_organisation_schema_has_no_foreign_key_to_users(orgs):
    county = organization_create(kind="county", code="410626", name="无键县", parent_code="410600")
    with connection.cursor() as cursor:
        cursor.execute(FOREIGN_KEYS_TO_USERS, [[county.schema_name, "tpl_organization"]])
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND tablename = 'planning_multiyearplan' "
            "AND indexdef LIKE '%%(created_by_id)%%'",
            [county.schema_name],
        )
        assert cursor.fetchone()[0] == 1, "the column keeps its index (the guard probes it)"


def test_every_tenant_reference_to_users_has_no_constraint_and_is_listed(db):
    user_model = get_user_model()
    tenant_references = {
        (model._meta.db_table, field.column, field.db_constraint)
        for model in tenant_models()
        for field in model._meta.local_fields
        if field.is_relation and field.related_model is user_model
    }
    assert ("planning_multiyearplan", "created_by_id", False) in tenant_references
    assert [row for row in tenant_references if row[2]] == []
    listed = set(UserReference.objects.values_list("table_name", "column_name"))
    assert {(table, column) for table, column, _constraint in tenant_references} <= listed
    assert listed == set(user_reference_columns())
    assert ("reminders_notificationread", "user_id") in listed


def test_each_migrate_writes_the_list_from_the_models(db):
    UserReference.objects.filter(table_name="planning_multiyearplan").delete()
    UserReference.objects.create(table_name="planning_dropped", column_name="author_id")
    accounts = apps.get_app_config("accounts")
    post_migrate.send(sender=accounts, app_config=accounts, verbosity=0, interactive=False, using="default", apps=apps)
    listed = set(UserReference.objects.values_list("table_name", "column_name"))
    assert ("planning_multiyearplan", "created_by_id") in listed
    assert ("planning_dropped", "author_id") not in listed
    assert listed == set(user_reference_columns())


def test_deleting_a_person_a_tenant_row_names_is_refused(orgs, make_member):
    person = referenced_user(orgs, make_member, "plan-author")
    with pytest.raises(IntegrityError) as refused:
        delete_and_check(person)
    assert (
        f"user plan-author (id {person.pk}) is still referenced from org_410622.planning_multiyearplan.created_by_id"
        in str(refused.value)
    )
    assert "该用户仍被 org_410622.planning_multiyearplan.created_by_id 引用，不能删除" in str(refused.value)
    assert User.objects.filter(pk=person.pk).exists()


def test_a_person_no_row_names_may_be_deleted(orgs, make_member):
    person = referenced_user(orgs, make_member, "plan-author")
    with schema_context(orgs["county_b"].schema_name):
        MultiYearPlan.objects.filter(created_by=person).delete()  # what a test's clean-up does first
    connection.set_schema_to_public()
    delete_and_check(person)
    assert not User.objects.filter(pk=person.pk).exists()


def test_truncating_users_is_refused_while_a_tenant_row_names_one(orgs, make_member):
    person = referenced_user(orgs, make_member, "plan-author")
    refused = pytest.raises(IntegrityError, match="accounts_user may not be truncated: user id")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses tables with pending checks
        cursor.execute("TRUNCATE accounts_user CASCADE")
    assert User.objects.filter(pk=person.pk).exists()
