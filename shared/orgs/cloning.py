"""Clone a migrated template schema into a new organisation's schema.

django-tenants ships a PL/pgSQL `clone_schema`, but it recreates constraints
under PostgreSQL's default names (its history: identity columns #831, renamed
indexes #1155), so a clone drifts from a migrated schema and later migrations
that name those objects break. This cloner rebuilds every object from the
catalog under its original name, in dependency order, and copies the
template's rows (the migration history and any seeded presets). The test
`tests/shared/test_provisioning.py` proves clone == migrated.

Everything runs on the caller's connection, so it is part of the caller's
transaction: a failure leaves no schema behind.
"""

from __future__ import annotations

import re

from django.db import connection
from django_tenants.utils import schema_exists


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _fetch(cursor, sql: str, params=()) -> list[tuple]:
    cursor.execute(sql, params)
    return cursor.fetchall()


# Every catalog read below starts from oids found through an index: pg_class has no index on relnamespace, so
# a filter on it scans the whole catalog, which holds every organisation's schema (hundreds of rows each) and
# made each clone slower than the one before. A schema's members are its namespace dependencies ('n' rows of
# pg_depend, indexed by referenced object); indexes, constraints, defaults and triggers hang off their
# tables' oids, each with an index of its own.
MEMBERS = """
    SELECT c.oid, c.relname, c.relkind, c.relispartition FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
    WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = %s AND d.deptype = 'n'
      AND d.classid = 'pg_class'::regclass
    ORDER BY c.relname"""

# Identity columns and their sequences, among these sequences (pg_depend's depender index, by classid and objid).
IDENTITY_SEQUENCES = """
    SELECT t.relname, a.attname, s.relname, q.seqtypid::regtype::text FROM pg_depend d
    JOIN pg_class s ON s.oid = d.objid JOIN pg_sequence q ON q.seqrelid = s.oid
    JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.objid = ANY(%s::oid[]) AND d.deptype = 'i'
      AND d.refclassid = 'pg_class'::regclass"""


def _members(cursor, schema: str) -> tuple[int, list[tuple]]:
    """The namespace oid of `schema` and its relations (oid, name, kind, is a partition), by name."""
    namespace = _fetch(cursor, "SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])[0][0]
    return namespace, _fetch(cursor, MEMBERS, [namespace])


def _run(cursor, statements: list[str]) -> None:
    """Send statements in one round trip (none of them takes parameters)."""
    if statements:
        cursor.execute(";\n".join(statements))


def schema_clone(*, source: str, target: str) -> None:
    """Create schema `target` as a structural and data copy of `source`."""
    if schema_exists(target):
        raise ValueError(f"schema {target} already exists")
    src, dst = _quote(source), _quote(target)
    # Catalog functions print names unqualified when they are visible on the
    # search_path; reading with the source first lets definitions be replayed
    # in the target by switching the search_path (public stays visible for
    # references to shared tables such as users).
    qualified = re.compile(r"(?<![\w\"])" + re.escape(src) + r"\.|(?<![\w\"])" + re.escape(source) + r"\.")

    def retarget(sql: str) -> str:
        return qualified.sub(dst + ".", sql)

    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL search_path TO {src}, public")
        namespace, members = _members(cursor, source)
        tables = [name for _oid, name, kind, partition in members if kind in ("r", "p") and not partition]
        table_oids = [oid for oid, _name, kind, _partition in members if kind in ("r", "p")]
        sequence_oids = [oid for oid, _name, kind, _partition in members if kind == "S"]
        sequence_names = [name for _oid, name, kind, _partition in members if kind == "S"]
        sequences = _fetch(
            cursor,
            """
            SELECT c.relname, s.seqtypid::regtype::text, s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                   s.seqcache, s.seqcycle
            FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
            WHERE c.oid = ANY(%s::oid[])
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                              AND d.objid = c.oid AND d.deptype = 'i')
            ORDER BY c.relname""",
            [sequence_oids],
        )
        serial_owners = _fetch(
            cursor,
            """
            SELECT c.relname, t.relname, a.attname FROM pg_depend d
            JOIN pg_class c ON c.oid = d.objid
            JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_class'::regclass AND d.objid = ANY(%s::oid[]) AND d.deptype = 'a'
              AND d.refclassid = 'pg_class'::regclass""",
            [sequence_oids],
        )
        # Defaults and triggers are named by their table from `members`, not by a join to pg_class: the planner
        # took that join for a sequential scan of all of pg_class (~50 ms each at 200 organisations, growing).
        relnames = {oid: name for oid, name, _kind, _partition in members}
        defaults = sorted(
            (relnames[relid], column, expression)
            for relid, column, expression in _fetch(
                cursor,
                """
            SELECT d.adrelid, a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
            JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = ANY(%s::oid[]) AND a.attgenerated = ''""",
                [table_oids],
            )
        )
        identity_sequences = _fetch(cursor, IDENTITY_SEQUENCES, [sequence_oids])
        constraints = _fetch(
            cursor,
            """
            SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
            WHERE con.conrelid = ANY(%s::oid[]) AND con.contype IN ('p', 'u', 'x', 'c', 'f')
            ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 WHEN 'c' THEN 3 ELSE 4 END,
                     c.relname, con.conname""",
            [table_oids],
        )
        indexes = [
            row[0]
            for row in _fetch(
                cursor,
                """
            SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = ANY(%s::oid[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = i.indrelid
                              AND con.conindid = i.indexrelid)
            ORDER BY ic.relname""",
                [table_oids],
            )
        ]
        functions = [
            row[0]
            for row in _fetch(
                cursor,
                """
            SELECT pg_get_functiondef(p.oid) FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
            WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = %s AND d.deptype = 'n'
              AND d.classid = 'pg_proc'::regclass AND p.prokind IN ('f', 'p')
            ORDER BY p.proname""",
                [namespace],
            )
        ]
        views = _fetch(
            cursor,
            """
            SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE c.oid = ANY(%s::oid[])
            ORDER BY c.relname""",
            [[oid for oid, _name, kind, _partition in members if kind == "v"]],
        )
        triggers = [
            definition
            for _table, _name, definition in sorted(
                (relnames[relid], name, definition)
                for relid, name, definition in _fetch(
                    cursor,
                    """
            SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
            WHERE t.tgrelid = ANY(%s::oid[]) AND NOT t.tgisinternal""",
                    [table_oids],
                )
            )
        ]

        # The DDL goes to the server in a few batches (one round trip each) rather than one statement at a time.
        structure = [f"CREATE SCHEMA {dst}", f"SET LOCAL search_path TO {dst}, public"]
        structure += [retarget(function_sql) for function_sql in functions]
        structure += [
            f"CREATE SEQUENCE {dst}.{_quote(name)} AS {data_type} START {start} INCREMENT {increment} "
            f"MINVALUE {minimum} MAXVALUE {maximum} CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'}"
            for name, data_type, start, increment, minimum, maximum, cache, cycle in sequences
        ]
        # Columns, NOT NULL, identity (with its own new sequence) and generated columns.
        structure += [
            f"CREATE TABLE {dst}.{_quote(table)} (LIKE {src}.{_quote(table)} "
            f"INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS INCLUDING COMPRESSION)"
            for table in tables
        ]
        structure += [
            f"ALTER TABLE {dst}.{_quote(table)} ALTER COLUMN {_quote(column)} SET DEFAULT {retarget(expression)}"
            for table, column, expression in defaults
        ]
        structure += [
            f"ALTER SEQUENCE {dst}.{_quote(sequence)} OWNED BY {dst}.{_quote(table)}.{_quote(column)}"
            for sequence, table, column in serial_owners
        ]
        _run(cursor, structure)

        _clone_namespace, clone_members = _members(cursor, target)
        clone_sequences = [oid for oid, _name, kind, _partition in clone_members if kind == "S"]
        clone_identity = {
            (table, column): sequence
            for table, column, sequence, _type in _fetch(cursor, IDENTITY_SEQUENCES, [clone_sequences])
        }
        renames = []
        for table, column, template_sequence, data_type in identity_sequences:
            clone_sequence = clone_identity[(table, column)]
            # LIKE ... INCLUDING IDENTITY makes a bigint sequence whatever the column type.
            renames.append(f"ALTER SEQUENCE {dst}.{_quote(clone_sequence)} AS {data_type}")
            if clone_sequence != template_sequence:
                renames.append(f"ALTER SEQUENCE {dst}.{_quote(clone_sequence)} RENAME TO {_quote(template_sequence)}")
        _run(cursor, renames)

        # Rows before constraints and triggers: faster, and append-only triggers must not fire on the copy.
        rows = [
            f"INSERT INTO {dst}.{_quote(table)} OVERRIDING SYSTEM VALUE SELECT * FROM {src}.{_quote(table)}"
            for table in tables
        ]
        if sequence_names:
            positions = _fetch(
                cursor,
                " UNION ALL ".join(
                    f"SELECT {index}, last_value, is_called FROM {src}.{_quote(name)}"
                    for index, name in enumerate(sequence_names)
                ),
            )
            for index, last_value, is_called in positions:
                qualified_name = f"{dst}.{_quote(sequence_names[index])}".replace("'", "''")
                rows.append(f"SELECT setval('{qualified_name}', {int(last_value)}, {'true' if is_called else 'false'})")
        _run(cursor, rows)

        # One ALTER TABLE per table for its keys and checks, then one per table for its foreign keys (which
        # need the keys they reference): a table locked and its relation cache rebuilt once, not per constraint.
        finish = []
        for foreign in (False, True):
            per_table: dict[str, list[str]] = {}
            for table, name, kind, definition in constraints:
                if (kind == "f") == foreign:
                    per_table.setdefault(table, []).append(f"ADD CONSTRAINT {_quote(name)} {retarget(definition)}")
            finish += [f"ALTER TABLE {dst}.{_quote(table)} {', '.join(parts)}" for table, parts in per_table.items()]
        finish += [retarget(index_sql) for index_sql in indexes]
        finish += [f"CREATE VIEW {dst}.{_quote(name)} AS {retarget(definition)}" for name, definition in views]
        finish += [retarget(trigger_sql) for trigger_sql in triggers]
        _run(cursor, finish)
        cursor.execute("SET LOCAL search_path TO public")
