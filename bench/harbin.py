"""A Harbin-sized data set, built through the services and carried by the bus (issue 14).

    DATABASE_URL=postgresql://... python bench/harbin.py [--scale 1.0] [--database NAME] [--workers N]

One city (哈尔滨市 230100, under 黑龙江省 230000) with its 18 real district and county codes; in every county
one person per role and, at scale 1.0 (Harbin's own figures, spread evenly over the counties):
461 units, 815 findings of which 183 fixed on the spot, 148 clues handed over as transfers, 461 feedbacks
with their receipts, 632 rectification items (part verified), each county's statistics sent up to the city.
Everything goes through the services the pages call, by the people whose role does it, with dates that
keep the rules' deadlines real; the relay and the consumers then carry what the counties share to the
city. Reproducible: the same names, numbers and dates every run (dates relative to today).

Each county is one transaction (the live figures for the city are then published once per county, as once
per request), and `--workers` processes (BENCH_WORKERS, default one per core) build the counties side by side.

Works in a new database beside the one DATABASE_URL names, dropped at the end unless --database names
one to keep (bench/pages.py builds its data set this way and measures the pages on it).
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "platform")]

from common import Processes, connect_maintenance  # noqa: E402  (bench/common.py, beside this file)

PROVINCE, CITY = ("230000", "黑龙江省"), ("230100", "哈尔滨市")
COUNTIES = [
    ("230102", "道里区"),
    ("230103", "南岗区"),
    ("230104", "道外区"),
    ("230108", "平房区"),
    ("230109", "松北区"),
    ("230110", "香坊区"),
    ("230111", "呼兰区"),
    ("230112", "阿城区"),
    ("230113", "双城区"),
    ("230123", "依兰县"),
    ("230124", "方正县"),
    ("230125", "宾县"),
    ("230126", "巴彦县"),
    ("230127", "木兰县"),
    ("230128", "通河县"),
    ("230129", "延寿县"),
    ("230183", "尚志市"),
    ("230184", "五常市"),
]
# Harbin's figures (issue 14): spread over the counties, the first counties taking the remainders.
TOTALS = {"units": 461, "findings": 815, "fixed_on_spot": 183, "transfers": 148, "items": 632}
ROLES = {  # role -> (user-name suffix, clearance)
    "office_admin": ("admin", 3),
    "office_staff": ("staff", 2),
    "leading_group": ("leader", 3),
    "team_leader": ("teamlead", 3),
    "unit_liaison": ("liaison", 0),
    "agency_receiver": ("agency", 2),
}
PASSWORD = "harbin-bench-2026"
# Processes building counties side by side (BENCH_WORKERS, default one per core).
WORKERS = int(os.environ.get("BENCH_WORKERS") or os.cpu_count() or 1)
TARGETS_PER_TEAM = 3
CATEGORIES = ("two-responsibilities", "eight-rules-four-styles", "work-discipline", "integrity-discipline")


def share(total: int, index: int, parts: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


@dataclass
class County:
    code: str
    name: str
    units: int
    findings: int
    fixed_on_spot: int
    transfers: int
    items: int


def plan(scale: float) -> list[County]:
    totals = {key: max(1, round(value * scale)) for key, value in TOTALS.items()}
    parts = len(COUNTIES)
    return [
        County(code, name, **{key: share(total, index, parts) for key, total in totals.items()})
        for index, (code, name) in enumerate(COUNTIES)
    ]


def slug(code: str) -> str:
    return f"hrb{code}"


def teams_of(county: County) -> int:
    """A team inspects at most three units in a round (the rules' limit for a regular round)."""
    return -(-county.units // TARGETS_PER_TEAM)


def provision(counties: list[County]) -> None:
    from django.contrib.auth.hashers import make_password

    from shared.accounts.models import Membership, User
    from shared.orgs.services import OrganizationSpec, organizations_create_many, platform_migrate

    platform_migrate(verbosity=0)
    # Every bench user has the same password: hashed once (PBKDF2 costs about a second a user on this
    # loaded machine, and there are a hundred and more of them).
    password = make_password(PASSWORD)
    specs = [OrganizationSpec("province", *PROVINCE), OrganizationSpec("city", *CITY, PROVINCE[0])]
    specs += [OrganizationSpec("county", code, name, CITY[0]) for code, name in COUNTIES]
    organizations = {org.code: org for org in organizations_create_many(specs=specs)}
    for code in [CITY[0]] + [code for code, _ in COUNTIES]:
        for role, (suffix, clearance) in ROLES.items():
            user = User.objects.create(username=f"{slug(code)}.{suffix}", password=password)
            Membership.objects.create(user=user, organization=organizations[code], role=role, clearance=clearance)
    for county in counties:
        for number in range(1, teams_of(county)):  # team 1 is led by `teamlead`
            user = User.objects.create(username=f"{slug(county.code)}.teamlead{number + 1}", password=password)
            Membership.objects.create(
                user=user, organization=organizations[county.code], role="team_leader", clearance=3
            )


def build_county(county: County, today: date) -> None:
    """One county's data, through the services, in ONE transaction: each service still opens its own (a
    savepoint inside this one) and runs every rule, but what a service queues for after the commit runs once
    for the county, as it runs once for a request however much it writes. Above all the county's live figures
    for the city's oversight (tenants/reports/receivers.py: ~17 statements) are read and shared once, not after
    each of the county's ~400 service calls at scale 1.0."""
    from django.db import transaction
    from django_tenants.utils import schema_context

    from shared.accounts.models import User
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.agencies.services import agency_create, agency_desk_assign, unit_liaison_assign
    from tenants.experts.services import expert_create
    from tenants.findings.services import clue_create, finding_create
    from tenants.office.models import FindingCategory
    from tenants.rectification import services as rectification
    from tenants.reports.services import statistics_send_up
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import parse_leaders, target_create
    from tenants.transfers.services import transfer_create, transfer_sign
    from xuncha.demo.core import DemoPeople, round_heard, round_move

    organization = Organization.objects.get(code=county.code)
    people = {suffix: User.objects.get(username=f"{slug(county.code)}.{suffix}") for suffix, _ in ROLES.values()}
    access = {s: organization_access(person=u, organization_id=organization.pk) for s, u in people.items()}
    staff, office = people["staff"], access["staff"]
    demo_people = DemoPeople.of(slug=slug(county.code), organization=organization)  # core.round_move's people

    with schema_context(organization.schema_name), transaction.atomic():
        categories = [FindingCategory.objects.get(code=code) for code in CATEGORIES]
        targets = [
            target_create(
                name=f"{county.name}第{number + 1}单位党组织",
                level="township" if number % 3 else "county",
                category="乡镇党委" if number % 3 else "县直部门",
                managing_org_code=county.code,
                leaders=parse_leaders(f"负责人{number + 1}:党委书记*"),
            )
            for number in range(county.units)
        ]
        start = today - timedelta(days=300)
        round = round_create(
            name=f"{today.year}年常规巡察（{county.name}）",
            kind="regular",
            actor=staff,
            onsite_start=start,
            onsite_end=start + timedelta(days=46),
        )
        team_of_target, leader_of_team = {}, {}
        for number in range(teams_of(county)):
            leader_user = (
                people["teamlead"]
                if number == 0
                else User.objects.get(username=f"{slug(county.code)}.teamlead{number + 1}")
            )
            team = team_create(round=round, name=f"第{number + 1}巡察组")
            leader = expert_create(
                name=f"{county.name}{number + 1}组组长", specialty="discipline", unit="纪委监委", user=leader_user
            )
            member = expert_create(name=f"{county.name}{number + 1}组组员", specialty="audit", unit="审计局")
            for expert, role in ((leader, "leader"), (member, "member")):
                round_expert_authorise(round=round, expert=expert, actor=staff)
                team_member_add(team=team, expert=expert, role=role, actor=staff)
            for target in targets[number * TARGETS_PER_TEAM : (number + 1) * TARGETS_PER_TEAM]:
                team_target_add(team=team, target=target)
                team_of_target[target.pk] = team
            leader_of_team[team.pk] = (
                leader_user,
                organization_access(person=leader_user, organization_id=organization.pk),
            )
        round = round_move(round, demo_people, "team_formed", "announced", "on_site")
        findings = []
        for number in range(county.findings):
            fixed = number < county.fixed_on_spot
            findings.append(
                finding_create(
                    actor=staff,
                    access=office,
                    round=round,
                    team=team_of_target[targets[number % len(targets)].pk],
                    target=targets[number % len(targets)],
                    category=categories[number % len(categories)],
                    severity="grave" if number % 5 == 0 else "minor",  # the grave (严重) go up to the city
                    title=f"问题{number + 1}：制度执行不到位",
                    description="相关制度未严格执行，记录不全。",
                    evidence="会议记录、台账",
                    fixed_on_spot=fixed,
                    fixed_on_spot_note="巡察期间已整改" if fixed else "",
                )
            )
        round = round_move(round, demo_people, "reporting")
        agency = agency_create(access=office, name=f"{county.name}纪委监委", kind="discipline")
        agency_desk_assign(access=office, person=people["agency"], agency=agency)
        handed_over = start + timedelta(days=53)
        for number in range(county.transfers):
            finding = findings[-1 - number]
            clue = clue_create(
                actor=staff,
                access=office,
                round=round,
                target=finding.target,
                classification=2,
                category=finding.category,
                findings=[finding],
                summary=f"线索{number + 1}：涉嫌违规",
                persons=[{"name": f"某干部{number + 1}", "position": "副职"}],
            )
            transfer = transfer_create(
                actor=staff, access=office, transfer_type="conduct_issue", clue=clue, agency=agency
            )
            team_leader, team_access = leader_of_team[finding.team_id]
            transfer_sign(actor=team_leader, access=team_access, transfer=transfer, party="team")
            transfer_sign(actor=staff, access=office, transfer=transfer, party="office")
            transfer_sign(
                actor=people["agency"], access=access["agency"], transfer=transfer, party="agency", today=handed_over
            )
        round = round_heard(
            round,
            demo_people,
            heard_on=start + timedelta(days=60),
            decisions="同意巡察报告，按程序反馈。",
            note="同意反馈",
        )
        delivered = start + timedelta(days=70)
        open_findings = [finding for finding in findings if not finding.fixed_on_spot]
        items_left = county.items
        for index, target in enumerate(targets):
            unit_liaison_assign(access=office, person=people["liaison"], target=target)
            feedback = rectification.feedback_create(
                actor=staff,
                access=office,
                round=round,
                target=target,
                classification=0,
                leadership_content=f"向{target.name}领导班子反馈巡察发现的问题。",
                principal_content=f"向{target.name}主要负责人反馈巡察情况。",
                leadership_delivered_on=delivered,
                principal_delivered_on=delivered,
            )
            team_leader, team_access = leader_of_team[team_of_target[target.pk].pk]
            for party, actor, actor_access, signer in (
                ("team_leader", team_leader, team_access, "组长"),
                ("unit_principal", people["liaison"], access["liaison"], "负责人"),
                ("office_head", staff, office, "巡察办主任"),
            ):
                feedback = rectification.receipt_sign(
                    actor=actor,
                    access=actor_access,
                    feedback=feedback,
                    party=party,
                    signer_name=signer,
                    signed_on=delivered,
                )
            count = share(county.items, index, len(targets)) if items_left else 0
            items_left -= count
            own = [finding for finding in open_findings if finding.target_id == target.pk] or [None]
            items = rectification.rectification_items_add(
                actor=staff,
                access=office,
                feedback=feedback,
                items=[
                    {
                        "problem": f"整改事项{number + 1}",
                        "task": "建章立制、举一反三",
                        "responsible_unit": target.name,
                        "responsible_person": "班子成员（分管）",
                        "due_date": delivered + timedelta(days=30 + 30 * number),
                        "finding": own[number % len(own)],
                    }
                    for number in range(count)
                ],
            )
            for number, item in enumerate(items[: len(items) // 2]):
                evidence_on = delivered + timedelta(days=20 + number)
                item = rectification.item_submit_evidence(
                    actor=people["liaison"], access=access["liaison"], item=item, today=evidence_on, evidence="已整改"
                )
                rectification.item_verify(
                    actor=staff, access=office, item=item, accept=True, note="同意销号", today=evidence_on
                )
        round_move(round, demo_people, "rectification")
        statistics_send_up(organization=organization, period=f"{today.year}")


def undelivered(schemas: dict[str, str]) -> tuple[int, int]:
    """(outbox rows not yet sent, rows sent whose message has reached neither the destination's inbox nor
    its dead letters): both 0 once the bus has carried everything (one statement over every schema)."""
    from django.db import connection

    sent = " UNION ALL ".join(
        f'SELECT destination, message_id::text AS message_id, sent_at FROM "{schema}".sync_outboxmessage'
        for schema in schemas.values()
    )
    received = " UNION ALL ".join(
        f"SELECT '{code}' AS code, message_id::text AS message_id FROM \"{schema}\".sync_inboxmessage "
        f"UNION ALL SELECT '{code}', message_id FROM \"{schema}\".sync_deadletter"
        for code, schema in schemas.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH sent AS ({sent}), received AS ({received}) "
            "SELECT count(*) FILTER (WHERE sent.sent_at IS NULL), "
            "count(*) FILTER (WHERE sent.sent_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM received "
            "WHERE received.code = sent.destination AND received.message_id = sent.message_id)) FROM sent"
        )
        return cursor.fetchone()


def carry(timeout: float = 600.0) -> tuple[dict[str, int], float, int]:
    """Run the relay and consumers until every outbox row is sent and every message sent has been received
    (applied, stale or dead-lettered) by its destination; returns (the city's replicas by record type,
    seconds, dead letters). Stopping at an empty outbox left the messages still queued undelivered (the
    queues were deleted after): the city held 8 of the 18 counties' statistics."""
    from django.conf import settings
    from django.db.models import Count
    from django_tenants.utils import schema_context

    from shared.orgs.models import Organization
    from sync.models import DeadLetter, Replica

    processes = Processes(dict(os.environ, SECRET_KEY=settings.SECRET_KEY))
    started = time.perf_counter()
    processes.start("consume")
    time.sleep(3)  # consumers declare their queues before the relay publishes
    processes.start("relay")
    codes = [PROVINCE[0], CITY[0]] + [code for code, _ in COUNTIES]
    schemas = dict(Organization.objects.filter(code__in=codes).values_list("code", "schema_name"))
    try:
        while undelivered(schemas) != (0, 0):
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"the bus did not carry everything in {timeout:.0f} s: {undelivered(schemas)}")
            time.sleep(1)
    finally:
        processes.stop()
        if settings.BROKER_URL:
            from sync.transport import AmqpBus

            AmqpBus(settings.BROKER_URL).delete_everything(codes)
    carried = time.perf_counter() - started
    dead = 0
    for schema in schemas.values():
        with schema_context(schema):
            dead += DeadLetter.objects.count()
    with schema_context(schemas[CITY[0]]):
        by_type = Replica.objects.filter(tombstone=False).values("record_type").annotate(n=Count("id"))
        return {row["record_type"]: row["n"] for row in by_type.order_by("record_type")}, carried, dead


def _cpu_seconds() -> float:
    """CPU seconds of this process and its children that ended (the build's workers), not PostgreSQL's."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _build_one(county: County, today: date) -> str:
    build_county(county, today)
    return county.code


def build_counties(counties: list[County], today: date, *, workers: int) -> None:
    """Each county in its own schema and its own transaction, so `workers` processes build them side by side
    (forked from this one, each with its own connection; nothing they write is shared but the public
    schema's reads). One worker builds them here, one after the other."""
    if workers <= 1:
        for county in counties:
            build_county(county, today)
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection: each opens its own
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for _code in pool.imap_unordered(functools.partial(_build_one, today=today), counties):
            pass
        pool.close()
        pool.join()


def build(scale: float, workers: int = WORKERS) -> dict:
    from django.utils import timezone

    counties = plan(scale)
    started = time.perf_counter()
    provision(counties)
    provisioned = time.perf_counter() - started
    cpu_before = _cpu_seconds()
    build_counties(counties, timezone.localdate(), workers=workers)
    built = time.perf_counter() - started - provisioned
    build_cpu = _cpu_seconds() - cpu_before
    replicas, carried, dead = carry()
    return {
        "counties": len(counties),
        "workers": workers,
        **{key: sum(getattr(c, key) for c in counties) for key in TOTALS},
        "provision_s": provisioned,
        "build_s": built,
        "build_cpu_s": build_cpu,
        "carry_s": carried,
        "dead_letters": dead,
        **{f"city {record_type}": count for record_type, count in replicas.items()},
    }


def with_database(name: str | None, run, *, reuse: bool = False):
    """Run `run()` with Django set up on a new database beside DATABASE_URL's (kept when `name` is given;
    with `reuse`, the database `name` as it is, a data set an earlier run kept)."""
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        sys.exit("DATABASE_URL is not set (or run `make bench`, which starts an embedded PostgreSQL)")
    maintenance, base_name = connect_maintenance(base_url)
    bench_name = name or f"{base_name}_harbin_{os.getpid()}"
    if not reuse:
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{bench_name}"')
    os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/" + bench_name
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    os.environ.setdefault("XUNCHA_SYNC_PREFIX", f"xuncha.bench.harbin.{os.getpid()}")
    try:
        import django

        django.setup()
        return run()
    finally:
        from django.db import connections

        connections.close_all()
        if not name:
            with maintenance.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
        maintenance.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = Harbin's figures")
    parser.add_argument("--database", help="keep the data set in this database (dropped first if it exists)")
    parser.add_argument("--workers", type=int, default=WORKERS, help="processes building counties side by side")
    arguments = parser.parse_args()
    figures = with_database(arguments.database, lambda: build(arguments.scale, arguments.workers))
    print("Harbin-scale data set (through the services, carried by the bus)")
    for key, value in figures.items():
        print(f"  {key:<16} {value:.1f}" if isinstance(value, float) else f"  {key:<16} {value}")


if __name__ == "__main__":
    main()
