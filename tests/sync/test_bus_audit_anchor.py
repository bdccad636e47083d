"""The audit chain's head anchored at the parent over the real RabbitMQ (issue 13 point 5): a county's checkpoint
travels as `audit.anchor` through the relay and consumer processes, the city keeps it as a replica, and when the
county's newest audit rows are deleted with SQL and its local checkpoint file is gone as well, `xuncha audit
verify` reports the missing rows from the anchor the city holds."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from sync.replicas import replica_get
from tenants.audit.models import AuditEvent
from tenants.audit.services import audit_checkpoint, audit_record_read
from tests.tenants.audit.test_audit import _tamper

from .conftest import wait_for

pytestmark = pytest.mark.bus


def _anchor_at_city(world, seq: int):
    with schema_context(world.city.schema_name):
        return replica_get(record_type="audit.anchor", source=world.county_1.code, key=f"anchor-{seq}")


def test_removing_the_newest_rows_is_seen_from_the_anchor_the_parent_holds(
    committed, amqp_processes, settings, tmp_path, capsys
):
    world = committed
    code = world.county_1.code
    settings.XUNCHA_AUDIT_ANCHOR_DIR = tmp_path
    with schema_context(world.county_1.schema_name):
        events = [
            audit_record_read(record_type="clues.clue", record_key=key, classification=Classification.SECRET)
            for key in ("a1", "a2", "a3")
        ]
        head = AuditEvent.objects.get(seq=events[2].seq)
        report = audit_checkpoint()
    assert (report.ok, report.anchored) == (True, head.seq)
    amqp_processes.start("consume", [world.city.code])
    amqp_processes.start("relay", [code])
    wait_for(lambda: _anchor_at_city(world, head.seq) is not None, processes=amqp_processes, what="anchor at the city")
    anchor = _anchor_at_city(world, head.seq)
    assert (anchor.body["seq"], anchor.body["head_hash"], anchor.body["kind"]) == (head.seq, head.row_hash, "anchor")
    assert set(anchor.body) == {"kind", "seq", "head_hash", "at", "signature", "classification"}  # no event content

    # Positive control: the intact chain passes, with the city's anchor counted.
    (tmp_path / f"{code}.jsonl").unlink()
    call_command("audit", "verify", "--org", code)
    assert f"{code} ok: {head.seq} row(s), head {head.row_hash}, checkpoint at row {head.seq}" in (
        capsys.readouterr().out
    )

    with schema_context(world.county_1.schema_name):
        _tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [events[1].seq])
        assert AuditEvent.objects.order_by("-seq").first().seq == events[0].seq
    with pytest.raises(CommandError, match=code):
        call_command("audit", "verify", "--org", code)
    assert (
        f"{code} BROKEN at row {events[1].seq}: rows {events[1].seq} to {head.seq} are missing: the checkpoint of"
        f" {anchor.body['at']} (parent {world.city.code}) saw {head.seq} rows" in capsys.readouterr().out
    )
