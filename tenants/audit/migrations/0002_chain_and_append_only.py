"""The audit log's guarantees live in the database, whatever writes the row.

- audit_event_chain (BEFORE INSERT): under a transaction-scoped advisory lock per schema, give
  the row the next chain position, the database clock's time, the previous row's hash and its own
  hash (sha256 over the fields joined by U+001F, matching AuditEvent.canonical()). The lock
  serialises appends; the unique seq refuses a fork even under REPEATABLE READ.
- audit_event_refuse_change (BEFORE UPDATE/DELETE/TRUNCATE, per statement): append-only.

Both functions and triggers live in the organisation's schema, so the template-schema cloner
(shared/orgs/cloning.py) reproduces them for every new organisation.
"""

from django.db import migrations

# The chain function's start (lock, then read the head), shared with audit.0006's keyed version.
CHAIN_HEAD = r"""
CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('xuncha.audit'), hashtext(TG_TABLE_SCHEMA));
    EXECUTE format('SELECT seq, row_hash FROM %I.%I ORDER BY seq DESC LIMIT 1', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO last_seq, last_hash;
"""

CHAIN_FUNCTION = CHAIN_HEAD + r"""    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.at := clock_timestamp();
    NEW.row_hash := encode(sha256(convert_to(concat_ws(chr(31),
        NEW.seq::text,
        to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(NEW.user_id::text, ''),
        NEW.username, NEW.organization_code, NEW.access_via, NEW.action, NEW.record_type, NEW.record_key,
        NEW.classification::text, NEW.ip, NEW.user_agent, NEW.detail, NEW.prev_hash), 'UTF8')), 'hex');
    RETURN NEW;
END
$$;
"""

CREATE = CHAIN_FUNCTION + r"""
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_chain();
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_chain ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_refuse_change();
DROP FUNCTION IF EXISTS audit_event_chain();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunSQL(CREATE, DROP)]
