"""A tenant table names a person without a database foreign key; what guards deletion reads which columns do.

Tenant models refer to users through `user_reference()` (db_constraint=False): a foreign key per column per
organisation put its triggers on public.accounts_user and made every provisioning slower than the one before
(issue 14). Migration 0004's constraint trigger refuses to delete a user that any schema's listed column still
names; the list is written from the models here, by that migration and after every migrate of the public schema,
so a new reference is guarded as soon as its column exists.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, models, transaction
from django_tenants.utils import get_public_schema_name

from shared.accounts.models import UserReference


def user_reference(verbose_name: Any = None, **options: Any) -> models.ForeignKey:
    """A tenant model's field naming a person: the ORM relation and the column's index, no database key.

    DO_NOTHING, because the user lives in the public schema where Django's delete collector cannot see tenant
    tables; people are deactivated, never deleted, and the accounts_user_referenced trigger refuses it.
    """
    options.setdefault("related_name", "+")
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.DO_NOTHING, db_constraint=False, **options
    )


def user_reference_columns() -> list[tuple[str, str]]:
    """(table, column) of every model field that refers to the user model without a database constraint."""
    user_model = get_user_model()
    columns = set()
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is user_model and not field.db_constraint:
                columns.add((model._meta.db_table, field.column))
    return sorted(columns)


def user_references_write(*, using: str = "default") -> None:
    """Make accounts_userreference list exactly the models' references (nothing is written when it does)."""
    wanted = set(user_reference_columns())
    with transaction.atomic(using=using):
        held = set(UserReference.objects.using(using).values_list("table_name", "column_name"))
        for table, column in held - wanted:
            UserReference.objects.using(using).filter(table_name=table, column_name=column).delete()
        UserReference.objects.using(using).bulk_create(
            [UserReference(table_name=table, column_name=column) for table, column in sorted(wanted - held)]
        )


def user_references_record(*, using: str = "default", **_signal) -> None:
    """post_migrate receiver: after the public schema's migrate, once its table exists."""
    connection = connections[using]
    if getattr(connection, "schema_name", get_public_schema_name()) != get_public_schema_name():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.accounts_userreference') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
    user_references_write(using=using)
