"""Who sees what: round kind × role × organisation × record type, through the UI, the API and the
replicated tables; and a planted confidential marker found nowhere it must not be (every other
schema's text columns, the owner's outbox/copies/audit, the broker's queues and dead letters)."""

from __future__ import annotations

import base64
import json
import os
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access
from sync import inbox
from sync.models import Replica
from sync.relay import outbox_relay_batch
from tenants.audit.models import AuditEvent
from tenants.crossorg.services import elevated_round_create
from tenants.findings.services import clue_create
from tenants.rounds.services import round_expert_authorise, round_transition, team_create, team_member_add, team_target_add
from tenants.targets.services import target_create

from .conftest import TODAY, deliver_all

MARKER_E = "MARKER-ELEVATED-" + uuid.uuid4().hex[:10]
MARKER_X = "MARKER-CROSS-" + uuid.uuid4().hex[:10]
MARKER_X_OTHER = "MARKER-CROSS-OTHER-" + uuid.uuid4().hex[:10]
MARKERS = (MARKER_E, MARKER_X, MARKER_X_OTHER)


@pytest.fixture
def world(orgs, make_member, cross_round, city_admin, city_access):
    """An elevated round on a 浚县 unit and the cross-county round (浚县 team on 淇县 units), each with a
    clue carrying a marker, a second 淇县 team whose target's clue the first team must not see; the
    cross round announced (grants issued); every outbox row delivered."""
    from tenants.experts.services import expert_create

    with schema_context(orgs["city"].schema_name):
        elevated = elevated_round_create(name="提级-矩阵", host_org_code="410621", created_by=city_admin,
                                         cooperation="请配合", onsite_start=TODAY(), onsite_end=TODAY() + timedelta(days=9))
        team = team_create(round=elevated, name="提级组")
        target_e = target_create(name="浚县矩阵单位", level="county", managing_org_code="410621")
        team_target_add(team=team, target=target_e)
        clue_create(actor=city_admin, access=city_access, round_obj=elevated, target=target_e,
                    summary=f"{MARKER_E} 关于某局长的问题线索", persons=[{"name": f"{MARKER_E}-人名"}])

        cross = cross_round["round"]
        other_team = team_create(round=cross, name="交叉二组")
        other_leader = expert_create(name="浚县二组组长", home_region_code="410621")
        round_expert_authorise(round=cross, expert=other_leader, by=city_admin)
        team_member_add(team=other_team, expert=other_leader, role="leader", by=city_admin)
        team_target_add(team=other_team, target=cross_round["other_target"])
        round_transition(round=cross, to_state="announced", by=city_admin, access=city_access)
        clue_create(actor=city_admin, access=city_access, round_obj=cross, target=cross_round["targets"][0],
                    summary=f"{MARKER_X} 线索")
        clue_create(actor=city_admin, access=city_access, round_obj=cross, target=cross_round["other_target"],
                    summary=f"{MARKER_X_OTHER} 线索")
    deliver_all(orgs["city"], orgs)
    users = {
        "city_office": city_admin,
        "city_staff_secret": make_member(orgs["city"], "office_staff", clearance=2),
        "city_leading": make_member(orgs["city"], "leading_group", clearance=3),
        "city_liaison": make_member(orgs["city"], "unit_liaison", clearance=0),
        "granted_leader": cross_round["leader"],     # 浚县, clearance 3 at home, on the cross team
        "granted_member": cross_round["member"],     # 浚县, clearance 2
        "county_a_office": make_member(orgs["county_a"], "office_admin", clearance=3),
        "county_b_office": make_member(orgs["county_b"], "office_admin", clearance=3),
        "county_c_office": make_member(orgs["county_c"], "office_admin", clearance=3),
        "province": make_member(orgs["province"], "province_viewer", clearance=3),
    }
    return {"elevated": elevated, "cross": cross, "users": users}


def _get(client, path):
    response = client.get(path)
    return response.status_code, response.content.decode()


# (user, what they see at the city) -> round names visible, markers visible; None = refused (403)
CITY_EXPECTATIONS = {
    "city_office": ({"提级-矩阵", "2026年交叉巡察"}, set(MARKERS)),
    "city_leading": ({"提级-矩阵", "2026年交叉巡察"}, set(MARKERS)),
    "city_staff_secret": ({"提级-矩阵", "2026年交叉巡察"}, set()),          # clues are 机密
    "granted_leader": ({"2026年交叉巡察"}, {MARKER_X}),                      # own target only
    "granted_member": ({"2026年交叉巡察"}, set()),                           # cleared 秘密 only
    "city_liaison": (set(), set()),
    "county_a_office": None, "county_b_office": None, "county_c_office": None, "province": None,
}


@pytest.mark.parametrize("who", sorted(CITY_EXPECTATIONS))
def test_city_pages_and_api_by_role(world, client, who):
    client.force_login(world["users"][who])
    expected = CITY_EXPECTATIONS[who]
    pages = ["/org/410600/rounds/", "/org/410600/findings/", "/org/410600/crossorg/",
             "/org/410600/api/rounds/", "/org/410600/api/findings/clues/", "/org/410600/api/crossorg/"]
    results = [_get(client, path) for path in pages]
    if expected is None:
        assert all(status == 403 for status, _ in results)
        assert all(marker not in body and "提级-矩阵" not in body for status, body in results for marker in MARKERS)
        return
    names, markers = expected
    text = "\n".join(body for status, body in results if status == 200)
    for name in ("提级-矩阵", "2026年交叉巡察"):
        assert (name in text) == (name in names), name
    for marker in MARKERS:
        assert (marker in text) == (marker in markers), marker
    detail = _get(client, f"/org/410600/api/findings/clues/?round={world['cross'].pk}")
    assert MARKER_X_OTHER not in detail[1] or who in ("city_office", "city_leading")


def test_granted_reads_of_clues_are_audited_as_grant_access(world, client):
    client.force_login(world["users"]["granted_leader"])
    assert MARKER_X in client.get("/org/410600/api/findings/clues/").content.decode()
    with schema_context("org_410600"):
        event = AuditEvent.objects.filter(username="a-leader", record_type="findings.clue").latest("seq")
        assert event.access_via.startswith("grant:") and event.action == "list"
        assert all(marker not in event.detail for marker in MARKERS)


# Replicated tables: what each organisation holds about the two rounds.
def test_replicas_by_organisation(orgs, world):
    elevated, cross = world["elevated"], world["cross"]
    with schema_context(orgs["county_a"].schema_name):   # target county of the elevated round, home of the cross team
        held = {(r.record_type, r.record_key): r for r in Replica.objects.filter(source="410600")}
        assert set(held) == {("rounds.round", str(elevated.pk))}
        assert set(held[("rounds.round", str(elevated.pk))].body) <= {
            "name", "kind", "start_date", "end_date", "cooperation", "target_managing_org_code"}
    for code in ("county_b", "county_c", "province"):   # target county of the cross round, others
        with schema_context(orgs[code].schema_name):
            assert not Replica.objects.filter(source="410600", record_type="rounds.round").exists()


def test_county_pages_by_organisation(world, client):
    expectations = {"county_a_office": ("410621", True), "county_b_office": ("410622", False),
                    "county_c_office": ("410611", False)}
    for who, (code, sees_elevated) in expectations.items():
        client.force_login(world["users"][who])
        text = "".join(_get(client, path)[1] for path in (f"/org/{code}/crossorg/", f"/org/{code}/api/crossorg/",
                                                          f"/org/{code}/rounds/", f"/org/{code}/findings/"))
        assert ("提级-矩阵" in text) == sees_elevated
        assert "2026年交叉巡察" not in text and all(marker not in text for marker in MARKERS)


def _text_columns(schema: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT table_name, column_name FROM information_schema.columns
                          WHERE table_schema = %s AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')
                          AND table_name IN (SELECT table_name FROM information_schema.tables
                                             WHERE table_schema = %s AND table_type = 'BASE TABLE')""",
                       [schema, schema])
        return cursor.fetchall()


def _marker_hits(schema: str, tables: set[str] | None = None) -> list[str]:
    hits = []
    with connection.cursor() as cursor:
        for table, column in _text_columns(schema):
            if tables is not None and table not in tables:
                continue
            for marker in MARKERS:
                cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}" WHERE "{column}"::text LIKE %s',
                               [f"%{marker}%"])
                if cursor.fetchone()[0]:
                    hits.append(f"{schema}.{table}.{column}")
    return hits


def test_marker_is_in_no_other_schema_and_not_in_the_owners_bus_or_audit_tables(orgs, world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'org\\_%%' OR nspname IN ('public', 'tpl_organization')")
        schemas = [row[0] for row in cursor.fetchall()]
    assert "org_410621" in schemas and len(schemas) >= 7
    hits = []
    for schema in schemas:
        if schema == "org_410600":
            hits += _marker_hits(schema, {"sync_outboxmessage", "sync_sharedcopy", "sync_replica",
                                          "sync_deadletter", "audit_auditevent"})
        else:
            hits += _marker_hits(schema)
    assert hits == []
    # The scan does find the markers where they belong: each clue's summary in the city's schema.
    assert _marker_hits("org_410600", {"findings_clue"}) == ["org_410600.findings_clue.summary"] * len(MARKERS)


@pytest.mark.bus
def test_marker_never_reaches_the_broker_queues_or_dead_letters(orgs, world):
    """Relay the city's outbox through the real RabbitMQ, consume it, provoke dead letters (a tampered
    copy of each message), then read every queue and the dead-letter queue: no marker anywhere."""
    import amqp

    from sync.transport import AmqpBus

    codes = [orgs[name].code for name in ("city", "county_a", "county_b", "county_c", "province")]
    bus = AmqpBus(os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
                  prefix=f"xuncha.test.conf.{uuid.uuid4().hex[:8]}")
    try:
        bus.declare(codes)
        assert outbox_relay_batch(organization=orgs["city"], bus=bus) >= 1
        channel = bus._raw().channel()
        seen, dead = [], []
        for code in codes:
            while (message := channel.basic_get(bus.queue_name(code), no_ack=True)) is not None:
                seen.append(message.body)
                wire = json.loads(message.body)
                wire["signature"] = base64.b64encode(bytes(64)).decode()  # a forged signature
                tampered = json.dumps(wire, ensure_ascii=False).encode()
                for raw in (message.body, tampered):
                    verdict = inbox.message_receive(receiver=orgs[code], raw=raw)
                    if verdict.outcome == inbox.DEAD:
                        bus.dead_letter(receiver_code=code, body=raw, reason=verdict.reason, detail=verdict.detail)
        assert seen, "the relay published nothing"
        while (message := channel.basic_get(bus.dead_queue, no_ack=True)) is not None:
            dead.append(message.body + repr(message.headers).encode())
        assert dead, "no dead letter was provoked"
        blobs = seen + dead
        assert all(marker.encode() not in blob for blob in blobs for marker in MARKERS)
        channel.close()
    finally:
        bus.delete_everything(codes)
