"""One round trip to start an append: audit_chain_head(schema) takes the chain's advisory lock, then reads the head
and the database clock (audit.0006's trigger takes the same lock and checks the row against the same head).

The application used to send the lock and the head's read as two statements (the head must be read after the lock
is granted: a statement's snapshot is taken when it starts, so one SELECT holding both could read a head another
writer has since moved on). A PL/pgSQL function runs each of its statements with a fresh snapshot, so it can do both.
"""

from django.db import migrations

HEAD = r"""
CREATE OR REPLACE FUNCTION audit_chain_head(chain_schema text, OUT last_seq bigint, OUT last_hash text,
                                            OUT now_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('xuncha.audit'), hashtext(chain_schema));
    EXECUTE format('SELECT seq, row_hash FROM %I.audit_auditevent ORDER BY seq DESC LIMIT 1', chain_schema)
        INTO last_seq, last_hash;
    now_at := clock_timestamp();
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_administration_actions")]
    operations = [migrations.RunSQL(HEAD, "DROP FUNCTION IF EXISTS audit_chain_head(text);")]
