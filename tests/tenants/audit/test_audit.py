"""The access audit log: who read which classified record, append-only and hash-chained."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import threading
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from tenants.audit.models import GENESIS_HASH, AuditAction, AuditEvent
from tenants.audit.selectors import audit_chain_verify, audit_events_for_record
from tenants.audit.services import audit_event_record, audit_events_append, audit_record_read
from tenants.audit.views import audited_list, audited_read

SECRET_READ = {"organization_code": "410600", "access_via": "membership", "action": "read", "classification": 3}


def _request(user, ip="10.1.2.3", agent="Mozilla/5.0 Xuncha-test"):
    request = RequestFactory().get("/org/410600/clues/1/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    request.user = user
    return request


def test_secret_read_is_logged_with_who_when_what_where(orgs, make_member):
    user = make_member(orgs["city"], "office_staff", clearance=3)
    with schema_context(orgs["city"].schema_name):
        before = AuditEvent.objects.count()
        event = audit_record_read(
            request=_request(user), record_type="clues.clue", record_key=42, classification=Classification.CONFIDENTIAL
        )
        event.refresh_from_db()
        assert AuditEvent.objects.count() == before + 1
        assert (event.user_id, event.username, event.organization_code) == (user.pk, user.username, "410600")
        assert (event.action, event.record_type, event.record_key) == ("read", "clues.clue", "42")
        assert (event.ip, event.user_agent, event.access_via) == ("10.1.2.3", "Mozilla/5.0 Xuncha-test", "membership")
        assert event.at is not None and event.seq == before + 1
        assert event.row_hash == hmac.new(settings.XUNCHA_AUDIT_KEY, event.canonical().encode(), "sha256").hexdigest()
        assert audit_chain_verify().ok


def test_public_and_internal_reads_are_not_logged(orgs, make_member):
    user = make_member(orgs["city"], "office_staff")
    with schema_context(orgs["city"].schema_name):
        before = AuditEvent.objects.count()
        for level in (Classification.PUBLIC, Classification.INTERNAL):
            assert (
                audit_record_read(actor=user, record_type="findings.finding", record_key=1, classification=level)
                is None
            )
        assert AuditEvent.objects.count() == before


def test_events_chain_each_row_to_the_previous_one(orgs, make_member):
    user = make_member(orgs["county_a"], "office_staff", clearance=3)
    with schema_context(orgs["county_a"].schema_name):
        events = [
            audit_record_read(actor=user, record_type="clues.clue", record_key=n, classification=Classification.SECRET)
            for n in range(3)
        ]
        for event in events:
            event.refresh_from_db()
        first_prev = AuditEvent.objects.filter(seq=events[0].seq - 1).values_list("row_hash", flat=True).first()
        assert events[0].prev_hash == (first_prev or GENESIS_HASH)
        assert events[1].prev_hash == events[0].row_hash and events[2].prev_hash == events[1].row_hash
        assert [e.seq for e in events] == [events[0].seq, events[0].seq + 1, events[0].seq + 2]
        assert list(audit_events_for_record(record_type="clues.clue", record_key=1)) == [events[1]]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET username = 'someone-else'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
def test_database_refuses_update_delete_truncate(orgs, make_member, statement):
    user = make_member(orgs["city"], "office_staff", clearance=3)
    with schema_context(orgs["city"].schema_name):
        audit_record_read(actor=user, record_type="clues.clue", record_key=7, classification=Classification.SECRET)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
        assert AuditEvent.objects.filter(record_key="7").exists()


def test_orm_update_and_delete_are_refused_too(orgs, make_member):
    user = make_member(orgs["county_b"], "office_staff", clearance=3)
    with schema_context(orgs["county_b"].schema_name):
        event = audit_record_read(
            actor=user, record_type="clues.clue", record_key=8, classification=Classification.SECRET
        )
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(record_key="9")
        with pytest.raises(DatabaseError), transaction.atomic():
            event.delete()


def _raw_insert(seq, prev_hash, row_hash, at="clock_timestamp()"):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (seq, at, prev_hash, row_hash, username, organization_code, access_via,"
            f" action, record_type, record_key, classification, ip, user_agent, detail) VALUES (%s, {at}, %s, %s,"
            " 'x', '410600', 'system', 'read', 'clues.clue', '1', 3, '', '', '{}')",
            [seq, prev_hash, row_hash],
        )


def test_writer_cannot_choose_position_link_or_time(orgs):
    with schema_context(orgs["city"].schema_name):
        head = AuditEvent.objects.order_by("-seq").first()
        seq, head_hash = (head.seq, head.row_hash) if head else (0, GENESIS_HASH)
        with pytest.raises(DatabaseError, match="does not follow the head"):
            _raw_insert(1 if seq else 5, head_hash, "a" * 64)
        with pytest.raises(DatabaseError, match="does not follow the head"):
            _raw_insert(seq + 1, "b" * 64, "a" * 64)
        with pytest.raises(DatabaseError, match="database clock"):
            _raw_insert(seq + 1, head_hash, "a" * 64, at="'2000-01-01'")
        with pytest.raises(DatabaseError, match="keyed hash"):
            _raw_insert(seq + 1, head_hash, "forged")
        assert AuditEvent.objects.count() == seq and audit_chain_verify().ok


def test_a_made_up_event_in_the_right_place_is_reported(orgs):
    """Whoever can insert but lacks the key gets the position and link right, not the keyed hash."""
    with schema_context(orgs["city"].schema_name):
        head = AuditEvent.objects.order_by("-seq").first()
        seq, head_hash = (head.seq, head.row_hash) if head else (0, GENESIS_HASH)
        _raw_insert(seq + 1, head_hash, hashlib.sha256(b"made up").hexdigest())
        report = audit_chain_verify()
        assert (report.ok, report.broken_at, report.reason) == (
            False,
            seq + 1,
            "row content does not match its keyed hash",
        )


def _tamper(sql: str, params=()):
    """What a database superuser could do: switch the append-only trigger off (inside the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def _three_reads(org, user):
    events = [
        audit_record_read(actor=user, record_type="clues.clue", record_key=n, classification=Classification.SECRET)
        for n in (101, 102, 103)
    ]
    for event in events:
        event.refresh_from_db()
    return events


def test_verify_reports_an_edited_row(orgs, make_member):
    user = make_member(orgs["county_c"], "office_staff", clearance=3)
    with schema_context(orgs["county_c"].schema_name):
        events = _three_reads(orgs["county_c"], user)
        _tamper("UPDATE audit_auditevent SET username = 'nobody' WHERE seq = %s", [events[1].seq])
        report = audit_chain_verify()
        assert not report.ok and report.broken_at == events[1].seq and "hash" in report.reason
        with pytest.raises(CommandError, match="410611"):
            call_command("audit", "verify", "--org", "410611")


def test_verify_reports_a_removed_row(orgs, make_member, capsys):
    user = make_member(orgs["county_c"], "office_staff", clearance=3)
    with schema_context(orgs["county_c"].schema_name):
        events = _three_reads(orgs["county_c"], user)
        _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
        report = audit_chain_verify()
        assert not report.ok and report.broken_at == events[1].seq and "missing" in report.reason
    with pytest.raises(CommandError):
        call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"410611 BROKEN at row {events[1].seq}" in out and "410600 ok" in out


def test_verify_reports_a_relinked_row(orgs, make_member):
    user = make_member(orgs["county_c"], "office_staff", clearance=3)
    with schema_context(orgs["county_c"].schema_name):
        events = _three_reads(orgs["county_c"], user)
        _tamper("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = %s", [GENESIS_HASH, events[2].seq])
        report = audit_chain_verify()
        assert report.broken_at == events[2].seq and "link" in report.reason


def test_verify_command_passes_on_an_intact_chain(orgs, make_member, capsys):
    user = make_member(orgs["city"], "office_staff", clearance=3)
    with schema_context(orgs["city"].schema_name):
        _three_reads(orgs["city"], user)
    call_command("audit", "verify", "--org", "410600")
    assert "410600 ok" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no organisation"):
        call_command("audit", "verify", "--org", "999999")


def test_audit_needs_an_organisation_schema(db, django_user_model):
    connection.set_schema_to_public()
    with pytest.raises(Exception, match="organisation"):
        audit_event_record(action=AuditAction.READ, record_type="x", record_key=1, classification=3)
    with pytest.raises(ValueError):
        audit_event_record(action="peek", record_type="x", record_key=1, classification=3)


def test_view_helpers_log_detail_and_list_reads(orgs, make_member):
    user = make_member(orgs["city"], "office_staff", clearance=3)
    with schema_context(orgs["city"].schema_name):
        # Any model with a `classification` field works; the audit event is one.
        secret = audit_record_read(actor=user, record_type="seed", record_key=1, classification=Classification.SECRET)
        internal = AuditEvent(pk=-1, classification=Classification.INTERNAL)
        before = AuditEvent.objects.count()
        assert audited_read(_request(user), secret) is secret
        assert audited_list(_request(user), [secret, internal]) == [secret, internal]
        rows = list(AuditEvent.objects.filter(record_type="audit.auditevent").order_by("seq"))
        assert AuditEvent.objects.count() == before + 2
        assert [(r.action, r.record_key) for r in rows] == [("read", str(secret.pk)), ("list", str(secret.pk))]


def database_dsn() -> dict:
    """psycopg2 arguments for the test database, for connections outside the test's transaction."""
    settings = connection.settings_dict
    return dict(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )


@pytest.fixture
def race_schema(django_db_setup):
    """A committed scratch schema with the audit table, its chain trigger and head function; dropped after the
    test's own transaction has ended (this fixture is set up before `db`, so torn down after it)."""
    dsn = database_dsn()
    schema = f"audit_race_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**dsn)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
        cursor.execute(
            f'CREATE TABLE "{schema}".audit_auditevent (LIKE tpl_organization.audit_auditevent INCLUDING ALL)'
        )
        cursor.execute(
            f'CREATE TRIGGER audit_event_chain BEFORE INSERT ON "{schema}".audit_auditevent '
            'FOR EACH ROW EXECUTE FUNCTION tpl_organization.audit_event_chain()'
        )
        cursor.execute(f'SET search_path TO "{schema}"')  # the append's head function, in the chain's schema
        cursor.execute(importlib.import_module("tenants.audit.migrations.0009_chain_head_function").HEAD)
        cursor.execute("SET search_path TO DEFAULT")
    yield schema, dsn
    with admin.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
    admin.close()


def test_concurrent_writers_cannot_fork_the_chain(race_schema, db):
    """Eight connections append at once to a committed table; the chain stays one line."""
    schema, dsn = race_schema
    errors = []

    def writer(n: int):
        try:
            with schema_context(schema):
                for i in range(25):
                    audit_events_append(
                        events=[
                            AuditEvent(**SECRET_READ, username=f"w{n}", record_key=f"{n}-{i}", record_type="clues.clue")
                        ]
                    )
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with schema_context(schema):
        report = audit_chain_verify()
    assert report.ok and report.rows == 200


def test_an_append_inside_a_service_transaction_costs_two_statements(orgs, make_member):
    """Issue 13 leftover 7: the lock, the head and the clock in one round trip, then the INSERT; no savepoint of
    its own (before: SAVEPOINT, lock, head, INSERT, RELEASE: five round trips for every audited read)."""
    user = make_member(orgs["county_a"], "office_staff", clearance=3)
    with schema_context(orgs["county_a"].schema_name), transaction.atomic():
        audit_record_read(actor=user, record_type="clues.clue", record_key=1, classification=Classification.SECRET)
        with CaptureQueriesContext(connection) as queries:
            event = audit_record_read(
                actor=user, record_type="clues.clue", record_key=2, classification=Classification.SECRET
            )
        assert [query["sql"].split()[0] for query in queries.captured_queries] == ["SELECT", "INSERT"]
        event.refresh_from_db()
        assert audit_chain_verify().ok and event.seq == AuditEvent.objects.order_by("-seq").first().seq
