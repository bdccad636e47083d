"""The audit chain cannot be rewritten by whoever holds only the database (issue 13 point 5).

An attacker without the key edits a row and recomputes every later hash (the unkeyed SHA-256 the chain used
before); deletes the newest rows; or forges a checkpoint. Each is reported by `audit verify`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from tenants.audit.anchors import audit_anchors_read
from tenants.audit.models import GENESIS_HASH, AuditEvent
from tenants.audit.selectors import audit_chain_verify
from tenants.audit.services import audit_checkpoint, audit_record_read
from tenants.audit.tasks import audit_checkpoint_task
from tests.tenants.audit.test_audit import _tamper, database_dsn


def _reads(user, keys):
    events = [
        audit_record_read(actor=user, record_type="clues.clue", record_key=n, classification=Classification.SECRET)
        for n in keys
    ]
    for event in events:
        event.refresh_from_db()
    return events


def _recompute_from(seq: int):
    """Rehash the chain from row `seq` on, as an attacker without the key can: plain SHA-256 over each row."""
    rows = list(AuditEvent.objects.filter(seq__gte=seq - 1).order_by("seq"))
    prev_hash = rows[0].row_hash
    for row in rows[1:]:
        row.prev_hash = prev_hash
        row.row_hash = prev_hash = hashlib.sha256(row.canonical().encode("utf-8")).hexdigest()
        _tamper(
            "UPDATE audit_auditevent SET prev_hash = %s, row_hash = %s WHERE seq = %s",
            [row.prev_hash, row.row_hash, row.seq],
        )


def test_an_edited_row_with_every_later_hash_recomputed_is_reported(orgs, make_member, capsys):
    user = make_member(orgs["county_b"], "office_staff", clearance=3)
    with schema_context(orgs["county_b"].schema_name):
        events = _reads(user, (201, 202, 203, 204))
        assert audit_chain_verify().ok  # control: the intact chain verifies
        _tamper("UPDATE audit_auditevent SET username = 'nobody' WHERE seq = %s", [events[1].seq])
        _recompute_from(events[1].seq)
        assert AuditEvent.objects.get(seq=events[1].seq).username == "nobody"
        report = audit_chain_verify()
        assert not report.ok and report.broken_at == events[1].seq
    with pytest.raises(CommandError, match="410622"):
        call_command("audit", "verify", "--org", "410622")
    assert f"410622 BROKEN at row {events[1].seq}" in capsys.readouterr().out


def test_removing_the_newest_rows_is_reported_from_the_last_checkpoint(orgs, make_member, settings, tmp_path, capsys):
    settings.XUNCHA_AUDIT_ANCHOR_DIR = tmp_path
    user = make_member(orgs["county_b"], "office_staff", clearance=3)
    with schema_context(orgs["county_b"].schema_name):
        events = _reads(user, (301, 302, 303))
    call_command("audit", "checkpoint", "--org", "410622")
    call_command("audit", "verify", "--org", "410622")
    assert f"410622 ok: {events[2].seq} row(s), head {events[2].row_hash}, checkpoint at row {events[2].seq}" in (
        capsys.readouterr().out
    )
    with schema_context(orgs["county_b"].schema_name):
        _tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [events[1].seq])
        assert AuditEvent.objects.order_by("-seq").first().seq == events[0].seq
    with pytest.raises(CommandError, match="410622"):
        call_command("audit", "verify", "--org", "410622")
    assert (
        f"410622 BROKEN at row {events[1].seq}: rows {events[1].seq} to {events[2].seq} are missing"
        in capsys.readouterr().out
    )


def test_a_forged_checkpoint_is_reported(orgs, make_member, settings, tmp_path):
    """Lowering the anchored position in the checkpoint file (to hide deleted rows) breaks its signature."""
    settings.XUNCHA_AUDIT_ANCHOR_DIR = tmp_path
    user = make_member(orgs["county_b"], "office_staff", clearance=3)
    with schema_context(orgs["county_b"].schema_name):
        events = _reads(user, (401, 402))
        assert audit_checkpoint().anchored == events[1].seq
        assert audit_chain_verify(anchors=audit_anchors_read(organization_code="410622")).ok
        path = tmp_path / "410622.jsonl"
        line = json.loads(path.read_text())
        path.write_text(json.dumps({**line, "seq": events[0].seq, "head": events[0].row_hash}) + "\n")
        report = audit_chain_verify(anchors=audit_anchors_read(organization_code="410622"))
        assert (report.ok, report.reason) == (False, "a checkpoint's signature is invalid (file)")


def test_checkpoint_job_anchors_the_head_and_refuses_a_broken_chain(orgs, make_member, settings, tmp_path):
    settings.XUNCHA_AUDIT_ANCHOR_DIR = tmp_path
    assert settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]["args"] == ("audit.checkpoint",)
    user = make_member(orgs["county_b"], "office_staff", clearance=3)
    with schema_context(orgs["county_b"].schema_name):
        events = _reads(user, (501, 502))
        result = audit_checkpoint_task()
        assert result == {"ok": True, "rows": events[1].seq, "anchored": events[1].seq, "broken_at": None}
        assert [a.seq for a in audit_anchors_read(organization_code="410622")] == [events[1].seq]
        _tamper("UPDATE audit_auditevent SET record_key = '9' WHERE seq = %s", [events[0].seq])
        assert audit_checkpoint_task()["broken_at"] == events[0].seq
        assert [a.seq for a in audit_anchors_read(organization_code="410622")] == [events[1].seq]  # nothing blessed


def _start(**env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"XUNCHA_INSECURE_HTTP", "XUNCHA_AUDIT_KEY", "XUNCHA_AUDIT_KEY_FILE", "DEBUG"}
    }
    env.update({"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "example.org", **env_overrides})
    check = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xuncha.settings'; django.setup(); print('started')"
    )
    return subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    refused = _start()
    assert refused.returncode != 0 and "XUNCHA_AUDIT_KEY" in refused.stderr and "started" not in refused.stdout
    assert _start(XUNCHA_AUDIT_KEY="short").returncode != 0
    key_file = tmp_path / "audit.key"
    key_file.write_text("f" * 48 + "\n")
    assert _start(XUNCHA_AUDIT_KEY_FILE=str(key_file)).stdout.strip() == "started"
    assert _start(XUNCHA_AUDIT_KEY="e" * 48).stdout.strip() == "started"


@pytest.fixture
def app_role(django_db_setup):
    """A real login role that does not own the tables, given its privileges by the operator's command."""
    dsn = database_dsn()
    role, password = f"xuncha_app_test_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    admin = psycopg2.connect(**dsn)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN PASSWORD %s', [password])
    url = f"postgresql://{dsn['user']}{':' + dsn['password'] if dsn['password'] else ''}@{dsn['host']}:{dsn['port']}"
    granted = subprocess.run(
        [sys.executable, "-m", "xuncha", "audit", "grant-app-role", role],
        env={**os.environ, "DATABASE_URL": f"{url}/{dsn['dbname']}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        assert granted.returncode == 0, granted.stderr
        assert f"{role}: privileges granted in" in granted.stdout
        conn = psycopg2.connect(**{**dsn, "user": role, "password": password})
        conn.autocommit = True
        yield conn
        conn.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')
        admin.close()


def test_the_application_role_cannot_change_the_audit_log_or_its_triggers(app_role):
    with app_role.cursor() as cursor:
        cursor.execute("SET search_path TO org_410611")
        # Control: the role reads, appends through the chain, and may change an ordinary table.
        cursor.execute("SELECT seq, row_hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1")
        seq, head_hash = cursor.fetchone() or (0, GENESIS_HASH)
        cursor.execute("SELECT clock_timestamp()")
        event = AuditEvent(
            seq=seq + 1,
            at=cursor.fetchone()[0],
            prev_hash=head_hash,
            username="app",
            organization_code="410611",
            access_via="system",
            action="read",
            record_type="clues.clue",
            record_key="1",
            classification=3,
        )
        cursor.execute(
            "INSERT INTO audit_auditevent (seq, at, prev_hash, row_hash, user_id, username, organization_code,"
            " access_via, action, record_type, record_key, classification, ip, user_agent, detail)"
            " VALUES (%s, %s, %s, %s, NULL, 'app', '410611', 'system', 'read', 'clues.clue', '1', 3, '', '', '')",
            [event.seq, event.at, event.prev_hash, event.keyed_hash()],
        )
        cursor.execute("SELECT has_table_privilege('findings_finding', 'UPDATE')")
        assert cursor.fetchone() == (True,)
        for statement, refusal in [
            ("UPDATE audit_auditevent SET username = 'x'", "permission denied"),
            ("DELETE FROM audit_auditevent", "permission denied"),
            ("TRUNCATE audit_auditevent", "permission denied"),
            ("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only", "must be owner"),
            ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "must be owner"),
            ("DROP TRIGGER audit_event_chain ON audit_auditevent", "must be owner"),
            (
                "CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE sql AS 'SELECT NULL'",
                "permission denied for schema",
            ),
        ]:
            with pytest.raises(psycopg2.Error, match=refusal):
                cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM audit_auditevent WHERE seq = %s AND username = 'app'", [seq + 1])
        assert cursor.fetchone() == (1,)
