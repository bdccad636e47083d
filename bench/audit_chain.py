"""Audit chain throughput: appends per second with 1/4/8 concurrent writers (each append its own
transaction through tenants.audit.services.audit_events_append, which computes the keyed hash under the
chain lock the trigger checks), and the time `audit verify` takes per row.

    DATABASE_URL=postgresql://... python bench/audit_chain.py [ROWS_PER_WRITER]

Needs a migrated database (`xuncha migrate`): it copies the template schema's audit table, its
trigger and the head function into a scratch schema, measures, and drops the scratch schema.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")

import importlib  # noqa: E402

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from tenants.audit.models import AuditEvent  # noqa: E402
from tenants.audit.selectors import audit_chain_verify  # noqa: E402
from tenants.audit.services import audit_events_append  # noqa: E402

READ = dict(organization_code="410600", access_via="membership", action="read", record_type="findings.clue")
READ.update(classification=3, ip="10.0.0.1", user_agent="bench", detail="{}")


def dsn() -> dict:
    s = connection.settings_dict
    return dict(
        dbname=s["NAME"],
        user=s["USER"],
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        password=s["PASSWORD"] or None,
    )


def run(schema: str, writers: int, rows: int) -> float:
    def writer(n: int):
        with schema_context(schema):
            for i in range(rows):
                audit_events_append(events=[AuditEvent(**READ, username=f"w{n}", record_key=f"{n}-{i}")])
        connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return writers * rows / (time.perf_counter() - start)


def main(rows: int) -> None:
    admin = psycopg2.connect(**dsn())
    admin.autocommit = True
    schema = f"audit_bench_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'tpl_organization'")
        if cursor.fetchone() is None:
            sys.exit("run `xuncha migrate` on this database first (no template schema)")
        cursor.execute(f'CREATE SCHEMA "{schema}"')
        cursor.execute(
            f'CREATE TABLE "{schema}".audit_auditevent (LIKE tpl_organization.audit_auditevent INCLUDING ALL)'
        )
        cursor.execute(
            f'CREATE TRIGGER audit_event_chain BEFORE INSERT ON "{schema}".audit_auditevent '
            'FOR EACH ROW EXECUTE FUNCTION tpl_organization.audit_event_chain()'
        )
        # The append's one round trip (lock, head, clock) is a function of the chain's own schema.
        cursor.execute(f'SET search_path TO "{schema}"')
        cursor.execute(importlib.import_module("tenants.audit.migrations.0009_chain_head_function").HEAD)
        cursor.execute("SET search_path TO DEFAULT")
    try:
        for writers in (1, 4, 8):
            rate = run(schema, writers, rows)
            print(f"appends, {writers} writer(s) x {rows}: {rate:8.0f} rows/s")
        with schema_context(schema):
            start = time.perf_counter()
            report = audit_chain_verify()
            elapsed = time.perf_counter() - start
        print(f"verify: {report.rows} rows in {elapsed:.2f} s ({report.rows / elapsed:.0f} rows/s), ok={report.ok}")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
