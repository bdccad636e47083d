"""The chain is keyed: the application computes each row's hash as an HMAC with a key the database never holds
(settings.XUNCHA_AUDIT_KEY), so a database administrator who edits a row and recomputes the later hashes, or
inserts a made-up event, is caught by `audit verify`.

The trigger still serialises appends under the per-schema advisory lock (the application takes the same lock
first; advisory locks are re-entrant within a session) and now checks instead of assigns: the row must take the
next position, link to the current head's hash, carry the database clock's time of the last minute and a
64-digit hex hash. It cannot check the HMAC itself (it has no key); verification does.
"""

import importlib

from django.db import migrations

_chain_0002 = importlib.import_module("tenants.audit.migrations.0002_chain_and_append_only")
CHAIN_HEAD, CHAIN_FUNCTION = _chain_0002.CHAIN_HEAD, _chain_0002.CHAIN_FUNCTION

CHECK = CHAIN_HEAD + r"""
    IF NEW.seq IS DISTINCT FROM coalesce(last_seq, 0) + 1
            OR NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, repeat('0', 64)) THEN
        RAISE EXCEPTION 'the audit chain is append-only: row % does not follow the head (row %)',
            NEW.seq, coalesce(last_seq, 0) USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.at IS NULL OR NEW.at > clock_timestamp() OR NEW.at < clock_timestamp() - interval '1 minute' THEN
        RAISE EXCEPTION 'the audit chain takes the database clock: % refused', NEW.at
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.row_hash !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'the audit chain needs a keyed hash' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
"""

class Migration(migrations.Migration):
    dependencies = [("audit", "0005_informant_read_action")]
    operations = [migrations.RunSQL(CHECK, CHAIN_FUNCTION)]  # back: 0002's unkeyed function
