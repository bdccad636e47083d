"""Provisioning clones a migrated template; the clone must equal a migrated schema."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from shared.orgs.services import (
    ProvisioningError,
    organization_create,
    organization_specs_from_file,
    organizations_create_many,
)

CATALOG_QUERIES = {
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               a.attidentity, pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1, 2""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2""",
    "constraints": """
        SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s ORDER BY 1, 2""",
    "sequences": """
        SELECT s.sequencename, s.data_type, s.start_value, s.increment_by, s.min_value, s.max_value, s.cycle,
               (SELECT count(*) FROM pg_depend dep JOIN pg_class sc ON sc.oid = dep.objid
                WHERE sc.relname = s.sequencename
                  AND sc.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
                  AND dep.deptype IN ('a', 'i')) AS owned
        FROM pg_sequences s WHERE s.schemaname = %s ORDER BY 1""",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %s ORDER BY 1, 2""",
    "views": """
        SELECT viewname, definition FROM pg_views WHERE schemaname = %s ORDER BY 1""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND NOT t.tgisinternal ORDER BY 1, 2""",
}


def schema_catalog(schema: str) -> dict[str, list[tuple]]:
    catalog = {}
    with connection.cursor() as cursor:
        for name, sql in CATALOG_QUERIES.items():
            cursor.execute(sql, [schema] * sql.count("%s"))
            catalog[name] = [tuple(str(v).replace(schema, "<schema>") for v in row) for row in cursor.fetchall()]
    return catalog


@pytest.fixture
def migrated_schema(db):
    name = "migrated_reference"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", tenant=True, schema_name=name, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    return name


def test_cloned_schema_equals_a_migrated_schema(orgs, migrated_schema):
    cloned = organization_create(kind="county", code="410628", name="克隆县", parent_code="410600")
    connection.set_schema_to_public()
    reference, clone = schema_catalog(migrated_schema), schema_catalog(cloned.schema_name)
    assert reference["columns"], "the migrated schema has tables"
    for part in CATALOG_QUERIES:
        assert clone[part] == reference[part], f"{part} differ between clone and migrated schema"


def test_a_cloned_schema_is_usable_and_has_its_own_sequences(orgs):
    from tenants.targets.models import Target

    cloned = organization_create(kind="county", code="410627", name="序列县", parent_code="410600")
    with schema_context(cloned.schema_name):
        first = Target.objects.create(name="一号单位", level="county", managing_org_code="410627")
        second = Target.objects.create(name="二号单位", level="county", managing_org_code="410627")
        assert second.pk == first.pk + 1
    with schema_context("tpl_organization"):
        assert Target.objects.count() == 0, "the template keeps no data"


def test_template_and_clone_have_all_migrations_recorded(orgs):
    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM "tpl_organization".django_migrations')
        template_count = cursor.fetchone()[0]
        cursor.execute('SELECT count(*) FROM "org_410621".django_migrations')
        clone_count = cursor.fetchone()[0]
    assert template_count > 0
    assert clone_count == template_count


def test_bulk_import_from_csv_is_all_or_nothing(orgs, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "kind,code,name,parent_code\ncity,410700,新乡市,410000\ncounty,410721,新乡县,410700\n", encoding="utf-8"
    )
    created = organizations_create_many(specs=organization_specs_from_file(path=good))
    assert [o.code for o in created] == ["410700", "410721"]
    assert Organization.objects.get(code="410721").parent.code == "410700"

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,code,name,parent_code\ncounty,410722,获嘉县,410700\ncounty,410723,原阳县,410000\n", encoding="utf-8"
    )
    with pytest.raises(ProvisioningError) as refused:
        organizations_create_many(specs=organization_specs_from_file(path=bad))
    assert "row 2" in " ".join(refused.value.messages)
    assert not Organization.objects.filter(code__in=["410722", "410723"]).exists()


def test_bulk_import_from_xlsx(orgs, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kind", "code", "name", "parent_code"])
    book.active.append(["county", "410626", "表格县", 410600])
    path = tmp_path / "orgs.xlsx"
    book.save(path)
    created = organizations_create_many(specs=organization_specs_from_file(path=path))
    assert created[0].parent == orgs["city"]


def test_import_file_with_missing_columns_is_refused(orgs, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code,name\n410629,某县\n", encoding="utf-8")
    with pytest.raises(ProvisioningError, match="missing column"):
        organization_specs_from_file(path=path)


def test_org_create_command(orgs):
    from io import StringIO

    from django.core.management.base import CommandError

    out = StringIO()
    call_command(
        "org", "create", "--kind", "county", "--parent", "410600", "--code", "410625", "--name", "命令县", stdout=out
    )
    assert "org_410625" in out.getvalue()
    with pytest.raises(CommandError, match="already exists"):
        call_command("org", "create", "--kind", "county", "--parent", "410600", "--code", "410625", "--name", "命令县")


def test_clone_reproduces_functions_triggers_views_serials_and_data(orgs):
    """Objects no app has yet (but later migrations may add) survive the clone under their own names."""

    with connection.cursor() as cursor:
        cursor.execute("""
            SET LOCAL search_path TO tpl_organization, public;
            CREATE TABLE extra_log (id serial PRIMARY KEY, note text NOT NULL DEFAULT 'x',
                                    target_id bigint REFERENCES targets_target (id) DEFERRABLE INITIALLY DEFERRED,
                                    CONSTRAINT extra_note_short CHECK (length(note) < 100));
            CREATE UNIQUE INDEX extra_log_note_partial ON extra_log (note) WHERE note <> 'x';
            CREATE FUNCTION extra_refuse_update() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'append-only'; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER extra_log_append_only BEFORE UPDATE OR DELETE ON extra_log
                FOR EACH ROW EXECUTE FUNCTION extra_refuse_update();
            CREATE VIEW extra_notes AS SELECT id, note FROM extra_log;
            INSERT INTO extra_log (note) VALUES ('seeded preset');
        """)
    # The template is already current, so provisioning must not touch these objects.
    from shared.orgs import services

    cloned = services._create_one(services.OrganizationSpec("county", "410624", "对象县", "410600"))
    template, clone = schema_catalog("tpl_organization"), schema_catalog(cloned.schema_name)
    for part in CATALOG_QUERIES:
        assert clone[part] == template[part], f"{part} differ between template and clone"
    with connection.cursor() as cursor:
        cursor.execute('SELECT note FROM "org_410624".extra_log')
        assert cursor.fetchall() == [("seeded preset",)]
        cursor.execute("INSERT INTO \"org_410624\".extra_log (note) VALUES ('second') RETURNING id")
        assert cursor.fetchone()[0] == 2, "the serial sequence continues from the template's value"
        cursor.execute("SAVEPOINT before_update")
        with pytest.raises(Exception, match="append-only"):
            cursor.execute('UPDATE "org_410624".extra_log SET note = \'y\'')
        cursor.execute("ROLLBACK TO SAVEPOINT before_update")


def test_schemas_behind_names_only_the_schemas_missing_migrations(orgs):
    from django.test.utils import CaptureQueriesContext

    from shared.orgs.services import TEMPLATE_SCHEMA, schemas_behind, template_schema_ensure

    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "bare_for_behind"')
    organisation_schemas = [orgs["county_a"].schema_name, orgs["city"].schema_name]
    assert schemas_behind(schemas=[TEMPLATE_SCHEMA, *organisation_schemas, "bare_for_behind", "no_such_schema"]) == [
        "bare_for_behind",
        "no_such_schema",
    ]

    # An up-to-date template is not handed to the migrator again (that replays every app's plan).
    with CaptureQueriesContext(connection) as queries:
        template_schema_ensure()
    assert len(queries) < 10, [query["sql"][:80] for query in queries]


def test_platform_migrate_brings_a_schema_that_is_behind_up_to_date(orgs):
    from shared.orgs.services import platform_migrate, schemas_behind

    organization = organization_create(kind="county", code="410628", name="落后县", parent_code="410600")
    # A schema restored from a backup taken before an app's newest migration.
    call_command(
        "migrate_schemas",
        "findings",
        "0001",
        tenant=True,
        schema_name=organization.schema_name,
        interactive=False,
        verbosity=0,
    )
    connection.set_schema_to_public()
    assert schemas_behind(schemas=[organization.schema_name]) == [organization.schema_name]
    platform_migrate(verbosity=0)
    assert schemas_behind(schemas=[organization.schema_name]) == []
