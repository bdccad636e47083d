"""`sync verify` across deployments (sync/verify.py): the owners' side writes what it shared with another
deployment's organisations (versions and digests, no body); the far side compares its replicas with it, reports
what is missing, stale or diverged, and writes what to re-send; the owners' side queues exactly that again."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from sync.models import OutboxMessage
from sync.testing import messages_deliver
from tenants.guidance.services import guidance_document_issue


@pytest.fixture
def delivered_to_county_a(orgs):
    with schema_context(orgs["city"].schema_name):
        guidance_document_issue(title="跨部署核对", doc_type="template", issued_on=datetime.date(2026, 1, 5))
    assert [verdict.outcome for verdict in messages_deliver(source=orgs["city"], receivers=[orgs["county_a"]])] == [
        "applied"
    ]


def _run(*args) -> str:
    out = io.StringIO()
    call_command("sync", "verify", *args, stdout=out)
    return out.getvalue()


def test_the_far_side_finds_its_replicas_as_the_owner_expects_and_reports_a_stale_one(
    orgs, delivered_to_county_a, tmp_path
):
    expected = tmp_path / "expected.json"
    assert "1 record(s) in 1 pair(s) written" in _run("--expected-out", str(expected), "--to", "410621")
    document = json.loads(expected.read_text(encoding="utf-8"))
    [pair] = document["pairs"]
    assert (pair["owner"], pair["destination"]) == ("410600", "410621")
    [[record_type, _key, version, digest, tombstone]] = pair["records"]
    assert (record_type, version, tombstone, len(digest)) == ("guidance.document", 1, False, 64)
    assert "跨部署核对" not in expected.read_text(encoding="utf-8")  # no body travels

    assert "410600 -> 410621: 1 record(s) ok" in _run("--expected-in", str(expected))

    pair["records"][0][2] = 2  # the owner says version 2: the far side holds version 1
    expected.write_text(json.dumps(document), encoding="utf-8")
    differences = tmp_path / "differences.json"
    with pytest.raises(CommandError, match="differences found"):
        _run("--expected-in", str(expected), "--differences-out", str(differences))
    assert json.loads(differences.read_text(encoding="utf-8"))["pairs"] == [
        {"owner": "410600", "destination": "410621", "resend": [["guidance.document", _key]]}
    ]
    with schema_context(orgs["city"].schema_name):
        before = OutboxMessage.objects.filter(destination="410621").count()
    assert "1 message(s) queued" in _run("--resend", str(differences))
    with schema_context(orgs["city"].schema_name):
        assert OutboxMessage.objects.filter(destination="410621", sent_at__isnull=True).count() == 1
        assert OutboxMessage.objects.filter(destination="410621").count() == before + 1


def test_a_file_that_is_not_an_expected_replicas_document_is_refused(orgs, tmp_path):
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    with pytest.raises(CommandError, match="not an expected-replicas document"):
        _run("--expected-in", str(wrong))
    with pytest.raises(CommandError, match="needs the other deployment's organisations"):
        _run("--expected-out", str(tmp_path / "x.json"))
