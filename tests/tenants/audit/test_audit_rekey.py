"""`xuncha audit rekey` (issue 13 point 5): rows written before the audit key existed, or under an old key, are
re-hashed under the current key with a signed rekey checkpoint, so `audit verify` passes again and still catches
an edit or a removal in those rows; a chain that does not check under the keys given is not rekeyed."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from tenants.audit.anchors import audit_anchors_read
from tenants.audit.models import AuditEvent
from tenants.audit.selectors import audit_chain_verify
from tests.tenants.audit.test_audit import _tamper
from tests.tenants.audit.test_audit_keyed import _reads

CODE = "410622"
OLD_KEY = b"o" * 40


def _unkeyed_history():
    """What rows from before the key existed look like: the chain hashed with plain SHA-256 (migration 0002)."""
    prev_hash = "0" * 64
    for row in AuditEvent.objects.order_by("seq"):
        row.prev_hash = prev_hash
        row.row_hash = prev_hash = hashlib.sha256(row.canonical().encode("utf-8")).hexdigest()
        _tamper(
            "UPDATE audit_auditevent SET prev_hash = %s, row_hash = %s WHERE seq = %s",
            [row.prev_hash, row.row_hash, row.seq],
        )


@pytest.fixture
def county(orgs, make_member, settings, tmp_path):
    settings.XUNCHA_AUDIT_ANCHOR_DIR = tmp_path
    return make_member(orgs["county_b"], "office_staff", clearance=3)


def test_rows_from_before_the_key_are_rekeyed_and_verify_again(county, capsys):
    with schema_context(f"org_{CODE}"):
        events = _reads(county, (601, 602, 603))
        _unkeyed_history()
        assert audit_chain_verify().broken_at == 1  # before: the unkeyed rows fail under the key
    with pytest.raises(CommandError):  # without --legacy the unkeyed rows are not accepted: nothing written
        call_command("audit", "rekey", "--org", CODE)
    assert f"{CODE} NOT rekeyed: row 1 matches none of the keys given" in capsys.readouterr().out
    with schema_context(f"org_{CODE}"):
        assert not AuditEvent.objects.filter(action="rekey").exists()

    call_command("audit", "rekey", "--org", CODE, "--legacy")
    head = events[2].seq
    assert (
        f"{CODE} rekeyed: rows 1 to {head} (unkeyed {head}) re-hashed under the current key;"
        f" rekey checkpoint at row {head + 1}" in capsys.readouterr().out
    )
    with schema_context(f"org_{CODE}"):
        rekey = AuditEvent.objects.get(action="rekey")
        assert (rekey.seq, rekey.record_type, rekey.access_via) == (head + 1, "audit.chain", "system")
        assert json.loads(rekey.detail)["through"] == head and json.loads(rekey.detail)["rows"] == {"unkeyed": head}
        [anchor] = audit_anchors_read(organization_code=CODE)
        assert (anchor.kind, anchor.seq, anchor.head_hash, anchor.valid) == ("rekey", rekey.seq, rekey.row_hash, True)
        later = _reads(county, (604,))  # new rows chain on under the key
        assert audit_chain_verify(anchors=[anchor]).ok and audit_chain_verify().rows == later[0].seq
    call_command("audit", "verify", "--org", CODE)
    call_command("audit", "rekey", "--org", CODE)  # nothing left to rekey: nothing written
    assert f"{CODE} ok: {head + 2} row(s), all under the current key" in capsys.readouterr().out

    with schema_context(f"org_{CODE}"):  # an edit in the re-hashed rows is still seen
        _tamper("UPDATE audit_auditevent SET username = 'nobody' WHERE seq = %s", [events[1].seq])
        report = audit_chain_verify()
        assert (report.ok, report.reason.startswith(f"rows 1 to {head} differ from the rekey checkpoint")) == (
            False,
            True,
        )


def test_rows_under_an_old_key_are_rekeyed_with_that_key_and_a_removal_is_still_seen(county, settings, tmp_path):
    settings.XUNCHA_AUDIT_KEY = OLD_KEY
    with schema_context(f"org_{CODE}"):
        events = _reads(county, (701, 702))
    call_command("audit", "checkpoint", "--org", CODE)  # signed under the old key
    settings.XUNCHA_AUDIT_KEY = b"n" * 40  # the key is changed
    with schema_context(f"org_{CODE}"):
        assert not audit_chain_verify().ok
    with pytest.raises(CommandError):
        call_command("audit", "rekey", "--org", CODE)  # the old rows match no key given
    key_file = tmp_path / "old.key"
    key_file.write_text(OLD_KEY.decode())
    call_command("audit", "rekey", "--org", CODE, "--old-key-file", str(key_file))
    call_command("audit", "verify", "--org", CODE)  # the old checkpoint is covered by the rekey checkpoint
    with schema_context(f"org_{CODE}"):
        assert json.loads(AuditEvent.objects.get(action="rekey").detail)["rows"] == {"old key": events[1].seq}
        _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    with pytest.raises(CommandError, match=CODE):
        call_command("audit", "verify", "--org", CODE)


def test_an_edited_old_row_is_not_rekeyed(county, capsys):
    with schema_context(f"org_{CODE}"):
        events = _reads(county, (801, 802))
        _unkeyed_history()
        _tamper("UPDATE audit_auditevent SET record_key = '9' WHERE seq = %s", [events[0].seq])  # edited, not rehashed
    with pytest.raises(CommandError):
        call_command("audit", "rekey", "--org", CODE, "--legacy")
    assert f"{CODE} NOT rekeyed: row {events[0].seq} matches none of the keys given" in capsys.readouterr().out
    with schema_context(f"org_{CODE}"):
        assert not AuditEvent.objects.filter(action="rekey").exists()
