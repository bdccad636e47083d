"""The application's database role: everything it needs, and on the audit tables only SELECT and INSERT.

The owner role (which runs `xuncha migrate` and `xuncha org create`) owns every table; the application connects
as another role, which therefore cannot ALTER, DISABLE TRIGGER or DROP on any table, and gets no UPDATE, DELETE
or TRUNCATE on the audit log (its append-only trigger refuses those for everyone anyway). Run as the owner after
every migration and organisation creation: `xuncha audit grant-app-role xuncha_app` (deploy/README.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from shared.orgs.models import Organization

AUDIT_TABLES = ("audit_auditevent",)


def app_role_grant(*, role: str) -> list[str]:
    """Grant `role` the application's privileges in the public, template and every organisation schema."""
    schemas = [get_public_schema_name(), settings.XUNCHA_TEMPLATE_SCHEMA]
    schemas += list(Organization.objects.local().order_by("code").values_list("schema_name", flat=True))
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [schemas])
        existing = {row[0] for row in cursor.fetchall()}
        schemas = [schema for schema in schemas if schema in existing]
        for schema in schemas:
            cursor.execute(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {quote(role)}")
            cursor.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quote(schema)} TO {quote(role)}"
            )
            cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {quote(role)}")
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
                [schema, list(AUDIT_TABLES)],
            )
            for (table,) in cursor.fetchall():
                name = f"{quote(schema)}.{quote(table)}"
                cursor.execute(f"REVOKE ALL ON {name} FROM {quote(role)}")
                cursor.execute(f"GRANT SELECT, INSERT ON {name} TO {quote(role)}")
    return schemas
