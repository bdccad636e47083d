"""Tenant tables name people without a foreign key (issue 14); this guards their deletion instead.

- accounts_userreference: which tables and columns hold a user's id (written from the models, here and after each
  migrate: shared/accounts/references.py).
- accounts_user_reference_find(ids): the first schema.table.column that names one of these users (any user, for
  NULL), looking in every schema that has the table: organisations, the template and any other.
- accounts_user_referenced (AFTER DELETE, per row, a constraint trigger DEFERRABLE INITIALLY DEFERRED as Django's
  foreign keys are): refuses at commit, or at SET CONSTRAINTS ... IMMEDIATE, to delete a user still named.
- accounts_user_refuse_truncate (BEFORE TRUNCATE): refuses while any tenant row names a user.
People are deactivated (is_active = false), never deleted; a test's clean-up deletes the rows that name its
people first, as it did under the foreign keys.
"""

from django.db import migrations, models

SQL = r"""
CREATE FUNCTION public.accounts_user_reference_find(ids bigint[]) RETURNS TABLE(place text, user_id bigint)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    schema_query record;
    found_place text;
    found_user bigint;
BEGIN
    -- One statement per schema, a UNION ALL of an index probe per referencing column (each column keeps its
    -- index); pg_class is reached by relname, which its (relname, relnamespace) index serves.
    FOR schema_query IN
        SELECT string_agg(
                   format('(SELECT %L, t.%I::bigint FROM %I.%I t WHERE %s LIMIT 1)',
                          n.nspname || '.' || r.table_name || '.' || r.column_name, r.column_name, n.nspname,
                          r.table_name,
                          CASE WHEN ids IS NULL THEN format('t.%I IS NOT NULL', r.column_name)
                               ELSE format('t.%I = ANY($1)', r.column_name) END),
                   ' UNION ALL ' ORDER BY r.table_name, r.column_name) AS sql
        FROM public.accounts_userreference r
        JOIN pg_class c ON c.relname = r.table_name AND c.relkind IN ('r', 'p')
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = r.column_name AND NOT a.attisdropped
        GROUP BY n.nspname ORDER BY n.nspname
    LOOP
        EXECUTE schema_query.sql || ' LIMIT 1' INTO found_place, found_user USING ids;
        IF found_place IS NOT NULL THEN
            place := found_place;
            user_id := found_user;
            RETURN NEXT;
            RETURN;
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION public.accounts_user_refuse_referenced_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hit record;
BEGIN
    SELECT * INTO hit FROM public.accounts_user_reference_find(ARRAY[OLD.id]::bigint[]);
    IF FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            MESSAGE = format('user %s (id %s) is still referenced from %s and may not be deleted '
                             '(该用户仍被 %s 引用，不能删除)', OLD.username, OLD.id, hit.place, hit.place),
            HINT = 'Deactivate the account instead (is_active = false; 停用账号，而不是删除).';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER accounts_user_referenced AFTER DELETE ON public.accounts_user
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.accounts_user_refuse_referenced_delete();

CREATE FUNCTION public.accounts_user_refuse_referenced_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hit record;
BEGIN
    SELECT * INTO hit FROM public.accounts_user_reference_find(NULL);
    IF FOUND THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            MESSAGE = format('accounts_user may not be truncated: user id %s is still referenced from %s '
                             '(用户仍被 %s 引用，不能清空)', hit.user_id, hit.place, hit.place);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER accounts_user_refuse_truncate BEFORE TRUNCATE ON public.accounts_user
    FOR EACH STATEMENT EXECUTE FUNCTION public.accounts_user_refuse_referenced_truncate();
"""

REVERSE_SQL = """
DROP TRIGGER accounts_user_refuse_truncate ON public.accounts_user;
DROP TRIGGER accounts_user_referenced ON public.accounts_user;
DROP FUNCTION public.accounts_user_refuse_referenced_truncate();
DROP FUNCTION public.accounts_user_refuse_referenced_delete();
DROP FUNCTION public.accounts_user_reference_find(bigint[]);
"""


def record_references(apps, schema_editor):
    """The current models' references (post_migrate rewrites them after every migrate)."""
    from shared.accounts.references import user_references_write

    user_references_write(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_administrators'),
    ]

    operations = [
        migrations.CreateModel(
            name='UserReference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('table_name', models.CharField(max_length=63, verbose_name='table')),
                ('column_name', models.CharField(max_length=63, verbose_name='column')),
            ],
            options={
                'verbose_name': 'reference to a user',
                'verbose_name_plural': 'references to users',
                'constraints': [models.UniqueConstraint(fields=('table_name', 'column_name'), name='accounts_userreference_unique')],
            },
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
        migrations.RunPython(record_references, migrations.RunPython.noop),
    ]
