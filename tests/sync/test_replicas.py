"""The read API domain code queries replicas with (sync.replicas), and the guards that keep domain
modules and tests on the public sync API."""

import ast
import dataclasses
import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from sync.replicas import (
    ReplicaView,
    last_received_by_source,
    replica_count_by_source,
    replica_get,
    replicas_by_source,
    replicas_of,
)
from sync.testing import messages_deliver
from tenants.guidance.services import guidance_document_issue, guidance_document_revise

TODAY = datetime.date(2026, 3, 1)
REPO = Path(__file__).resolve().parents[2]


def _issued(orgs, title, **extra):
    with schema_context(orgs["city"].schema_name):
        return guidance_document_issue(title=title, doc_type="template", issued_on=TODAY, content="正文", **extra)


def test_a_received_record_reads_as_a_frozen_view_by_type_source_and_key(orgs):
    document = _issued(orgs, "巡察工作底稿模板")
    assert {verdict.outcome for verdict in messages_deliver(source=orgs["city"], receivers=[orgs["county_a"]])} == {
        "applied"
    }
    with schema_context(orgs["county_a"].schema_name):
        view = replica_get(record_type="guidance.document", source="410600", key=str(document.pk))
        assert isinstance(view, ReplicaView)
        assert (view.record_type, view.source, view.record_key, view.version) == (
            "guidance.document",
            "410600",
            str(document.pk),
            1,
        )
        assert (view.body["title"], view.text("title"), view.text("no-such-field")) == (
            "巡察工作底稿模板",
            "巡察工作底稿模板",
            "",
        )
        assert view.pk == view.id and view.audit_record_type == "sync.replica"
        with pytest.raises(dataclasses.FrozenInstanceError):
            view.source = "410611"
        assert replica_get(record_type="guidance.document", source="410611", key=str(document.pk)) is None
        assert replica_get(record_type="rounds.round", source="410600", key=str(document.pk)) is None


def test_clearance_body_match_and_withdrawal_decide_what_is_returned(orgs):
    internal = _issued(orgs, "内部模板")
    secret = _issued(orgs, "秘密模板", classification=Classification.SECRET)
    withdrawn = _issued(orgs, "撤回模板")
    messages_deliver(source=orgs["city"], receivers=[orgs["county_a"]])
    with schema_context(orgs["city"].schema_name):  # raised to 机密: county A gets a tombstone
        guidance_document_revise(document=withdrawn, classification=Classification.CONFIDENTIAL)
    messages_deliver(source=orgs["city"], receivers=[orgs["county_a"]])
    with schema_context(orgs["county_a"].schema_name):
        every = replicas_of(record_type="guidance.document", sources=["410600"])
        assert [view.text("title") for view in every] == ["内部模板", "秘密模板"]
        assert [view.record_key for view in replicas_of(record_type="guidance.document", clearance=1)] == [
            str(internal.pk)
        ]
        newest = replicas_of(record_type="guidance.document", order="newest")
        assert [view.text("title") for view in newest] == ["秘密模板", "内部模板"]
        assert [
            view.record_key for view in replicas_of(record_type="guidance.document", match={"title": "秘密模板"})
        ] == [str(secret.pk)]
        either = replicas_of(record_type="guidance.document", match_any={"title": ["撤回模板", "内部模板"]})
        assert [view.record_key for view in either] == [str(internal.pk)]  # the withdrawn one is not held
        assert replica_count_by_source(record_type="guidance.document", sources=["410600", "410611"]) == {"410600": 2}
        by_source = replicas_by_source(record_type="guidance.document", sources=["410600"], key=str(internal.pk))
        assert list(by_source) == ["410600"] and by_source["410600"].text("title") == "内部模板"


def test_a_list_of_replicas_costs_the_same_statements_for_one_row_as_for_six(orgs):
    def listed():
        messages_deliver(source=orgs["city"], receivers=[orgs["county_a"]])
        with schema_context(orgs["county_a"].schema_name), CaptureQueriesContext(connection) as queries:
            views = replicas_of(record_type="guidance.document", sources=["410600"], clearance=3)
        return len(views), len(queries)

    _issued(orgs, "模板0")
    one = listed()
    for number in range(1, 6):
        _issued(orgs, f"模板{number}")
    assert (one, listed()) == ((1, one[1]), (6, one[1]))


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) of every absolute import in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def test_no_domain_module_reads_the_sync_models():
    """Tenant apps and the site read what they were sent through sync.replicas (and sync.outbox), never
    sync.models: the replicas' JSON bodies are not queried from domain code."""
    offenders = [
        f"{path.relative_to(REPO)}: {module}"
        for root in ("tenants", "platform/xuncha")
        for path in sorted((REPO / root).rglob("*.py"))
        if "migrations" not in path.parts
        for module, _names in _imports(path)
        if module == "sync.models"
    ]
    assert offenders == []


def test_no_test_imports_a_private_sync_name():
    """Tests use the public sync API (sync.testing.messages_deliver, sync.relay.message_encode, ...)."""
    offenders = [
        f"{path.relative_to(REPO)}: {module}.{name}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for module, names in _imports(path)
        if module.split(".")[0] == "sync"
        for name in names
        if name.startswith("_")
    ]
    assert offenders == []


def test_last_received_by_source_is_each_sources_newest_arrival_in_one_indexed_statement(orgs):
    first = _issued(orgs, "第一份模板")
    messages_deliver(source=orgs["city"], receivers=[orgs["county_a"]])
    second = _issued(orgs, "第二份模板")
    messages_deliver(source=orgs["city"], receivers=[orgs["county_a"]])
    with schema_context(orgs["county_a"].schema_name):
        older = replica_get(record_type="guidance.document", source="410600", key=str(first.pk))
        newer = replica_get(record_type="guidance.document", source="410600", key=str(second.pk))
        assert older.received_at < newer.received_at
        with CaptureQueriesContext(connection) as queries:
            latest = last_received_by_source(sources=["410600", "410611", "410600"])
        assert latest == {"410600": newer.received_at} and len(queries) == 1  # 410611 sent nothing
        assert last_received_by_source(sources=[]) == {}
        # each source's newest row is one probe of the (source, received_at DESC) index, not a scan of all replicas
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "sync_replica_source_received" in plan, plan
