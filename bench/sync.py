"""Sync bus throughput and latency, next to this machine's raw ceilings, in one run.

    DATABASE_URL=postgresql://... BROKER_URL=amqp://guest:guest@127.0.0.1:5672// python bench/sync.py [N]

Works in a throwaway database beside the one DATABASE_URL names (created and dropped here) with its
own province, city and 18 counties, and a unique exchange/queue prefix (deleted at the end). Without
BROKER_URL it measures the embedded PostgreSQL-table transport instead. Prints:
- raw ceilings: plain INSERT+COMMIT per second (one connection), plain confirmed publishes per second
  (one channel, confirms awaited per batch of 100, like the relay), persistent ~1 KB to a quorum queue;
- fan-out (1 city → 18 counties) and fan-in (18 counties → 1 city): replicated records per second,
  counted from the first commit to the last replica applied (relay and consumers are separate
  processes; every replica is a signed envelope, verified, policy-checked and applied with its inbox
  row in one transaction);
  The one submitting loop's own commit rate is printed beside each (the load offered): when the two
  are close, the producer, not the bus, is the limit;
- fan-in drain and fan-out drain: a backlog of county reports (then of city documents) written while no
  relay runs, then relayed and applied; counted from the first replica applied to the last (the bus alone
  at saturation, not bounded by the one submitting loop);
- the consumer's apply alone, in process (no broker): one by one against batches of 50, alternated;
- commit-to-visible latency p50/p95/p99 (fan-out) at 100, 200, 300 and 500 deliveries/s offered by as many
  producer processes as that takes (the rate actually offered is printed beside each), and the CPU each
  process used per delivery meanwhile (producers, relay, consumers, PostgreSQL, RabbitMQ; from /proc).
"""

from __future__ import annotations

import datetime
import math
import os
import sys
import time
import uuid
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "platform")]

from common import Processes, connect_maintenance, table_row  # noqa: E402  (bench/common.py, beside this file)

COUNTIES = 18
CITY = "410600"
COUNTY_CODES = [f"4106{number:02d}" for number in range(1, COUNTIES + 1)]
# commit->visible latency is measured at these offered rates (deliveries/s), each for LATENCY_SECONDS
# (BENCH_LATENCY_RATES="100 200 300 500" overrides them).
LATENCY_RATES = tuple(int(rate) for rate in os.environ.get("BENCH_LATENCY_RATES", "100 200 300 500").split())
LATENCY_SECONDS = 15
# BENCH_SYNC_ONLY=latency measures commit->visible alone (provisioning, relay and consumers, then the latency rates):
# a short A/B of a relay or consumer change.
ONLY_LATENCY = os.environ.get("BENCH_SYNC_ONLY") == "latency"
# BENCH_SYNC_ONLY=fanin measures the fan-in drain alone (the INSERT+COMMIT ceiling, then the drain, BENCH_FANIN_ROUNDS
# times, default 1), with the CPU each process used during the drain: a short A/B of a consumer change.
ONLY_FANIN = os.environ.get("BENCH_SYNC_ONLY") == "fanin"
FANIN_ROUNDS = int(os.environ.get("BENCH_FANIN_ROUNDS", "1"))


def provision() -> None:
    from shared.orgs.services import OrganizationSpec, organizations_create_many, platform_migrate

    platform_migrate(verbosity=0)
    specs = [OrganizationSpec("province", "410000", "河南省"), OrganizationSpec("city", CITY, "鹤壁市", "410000")]
    specs += [OrganizationSpec("county", code, f"县{code}", CITY) for code in COUNTY_CODES]
    organizations_create_many(specs=specs)


# --- raw ceilings ------------------------------------------------------------------------------
def raw_insert_commit_rate(count: int) -> float:
    from django.db import connection

    raw = psycopg2.connect(**connection.get_connection_params())
    with raw.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS public.bench_raw (id bigserial primary key, body jsonb, at timestamptz)"
        )
        raw.commit()
        body = '{"title": "巡察工作指引", "content": "' + "x" * 400 + '"}'
        started = time.perf_counter()
        for _ in range(count):
            cursor.execute("INSERT INTO public.bench_raw (body, at) VALUES (%s, now())", [body])
            raw.commit()
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE public.bench_raw")
        raw.commit()
    raw.close()
    return count / elapsed


def raw_confirmed_publish_rate(url: str, prefix: str, count: int, batch: int = 100) -> float:
    import amqp
    import kombu

    connection = kombu.Connection(url)
    connection.connect()
    channel = connection.connection.channel()
    queue = f"{prefix}.raw"
    channel.queue_declare(queue, durable=True, auto_delete=False, arguments={"x-queue-type": "quorum"})
    channel.confirm_select()
    pending: set[int] = set()

    def settle(tag, multiple):
        if multiple:
            pending.difference_update({t for t in pending if t <= tag})
        else:
            pending.discard(tag)

    channel.events["basic_ack"].add(settle)
    body = os.urandom(700).hex().encode()[:1000]
    sequence = 0
    started = time.perf_counter()
    for start in range(0, count, batch):
        for _ in range(min(batch, count - start)):
            channel.basic_publish(amqp.Message(body, delivery_mode=2), exchange="", routing_key=queue)
            sequence += 1
            pending.add(sequence)
        while pending:
            connection.connection.drain_events(timeout=30)
    elapsed = time.perf_counter() - started
    channel.queue_delete(queue)
    connection.release()
    return count / elapsed


# --- the bus ----------------------------------------------------------------------------------


def applied_count(codes: list[str], source_codes: set[str], record_type: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        total = 0
        for code in codes:
            cursor.execute(
                f'SELECT count(*) FROM "org_{code}".sync_replica WHERE record_type = %s AND source = ANY(%s)',
                [record_type, list(source_codes)],
            )
            total += cursor.fetchone()[0]
        return total


def wait_applied(codes, sources, record_type, expected: int, timeout: float = 900) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if applied_count(codes, sources, record_type) >= expected:
            return time.perf_counter()
        time.sleep(0.2)
    raise SystemExit(f"timed out: {applied_count(codes, sources, record_type)}/{expected} {record_type} replicas")


def fan_out(count: int) -> tuple[float, float, float]:
    """The city issues `count` guidance documents (each to 18 counties); returns (records/s, deliveries/s,
    records committed/s by the submitting loop)."""
    from django_tenants.utils import schema_context

    from tenants.guidance.services import guidance_document_issue

    before = applied_count(COUNTY_CODES, {CITY}, "guidance.document")
    started = time.perf_counter()
    with schema_context(f"org_{CITY}"):
        for number in range(count):
            guidance_document_issue(
                title=f"指引{number}", doc_type="guidance", issued_on=datetime.date(2026, 1, 1), content="x" * 400
            )
    committed = time.perf_counter()
    finished = wait_applied(COUNTY_CODES, {CITY}, "guidance.document", before + count * COUNTIES)
    elapsed = finished - started
    return count / elapsed, count * COUNTIES / elapsed, count / (committed - started)


# 3960 county reports in all (BENCH_DRAIN_REPORTS per county overrides: writing them is most of a fan-in-only run)
DRAIN_REPORTS_PER_COUNTY = int(os.environ.get("BENCH_DRAIN_REPORTS", "220"))


def fan_in(per_county: int) -> tuple[float, float]:
    """Each county submits `per_county` statistics reports to the city; returns (replicas applied/s, records
    committed/s by the submitting loop, i.e. the load offered)."""
    before = applied_count([CITY], set(COUNTY_CODES), "statistics.report")
    started = time.perf_counter()
    submit_reports(per_county, first_year=2000)
    committed = time.perf_counter()
    finished = wait_applied([CITY], set(COUNTY_CODES), "statistics.report", before + per_county * COUNTIES)
    return per_county * COUNTIES / (finished - started), per_county * COUNTIES / (committed - started)


def submit_reports(per_county: int, *, first_year: int) -> None:
    """Each county submits `per_county` monthly statistics reports, interleaved as counties would report."""
    from django_tenants.utils import schema_context

    from tenants.statistics.services import statistics_report_submit

    periods = [f"{first_year + year}-{month:02d}" for year in range(30) for month in range(1, 13)][:per_county]
    for period in periods:
        for code in COUNTY_CODES:
            with schema_context(f"org_{code}"):
                statistics_report_submit(period=period, findings=3, rounds=1)


def drain_rate(
    expected: int,
    *,
    receivers=(CITY,),
    sources=frozenset(COUNTY_CODES),
    record_type="statistics.report",
    timeout=900,
    processes: Processes | None = None,
) -> float:
    """Replicas applied per second from the first to the `expected`-th new one (of `record_type` from
    `sources` at `receivers`): a backlog relayed and applied, the bus alone at saturation. With `processes`, the
    CPU each of them (and PostgreSQL's backends, RabbitMQ) used over that window is printed."""
    receivers, sources = list(receivers), set(sources)
    before = applied_count(receivers, sources, record_type)
    deadline = time.monotonic() + timeout
    while applied_count(receivers, sources, record_type) == before:
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the first replica of the backlog")
        time.sleep(0.01)
    named = _drain_processes(processes) if processes is not None else {}
    cpu_before = cpu_snapshot(named)
    first = time.perf_counter()
    applied_first = applied_count(receivers, sources, record_type)
    finished = wait_applied(receivers, sources, record_type, before + expected, timeout)
    if processes is not None:
        cpu_report(processes, cpu_before, finished - first, before + expected - applied_first)
    return (before + expected - applied_first) / (finished - first)


def _cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (and of its waited-for children: none here), from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            fields = file.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _drain_processes(processes: Processes) -> dict[str, list[int]]:
    """The processes a drain runs on: the relay and consumers (named by their --org lists' first code), the bench
    database's PostgreSQL backends, RabbitMQ's beam.smp (shared with whoever else uses the broker) and this one."""
    from django.db import connection

    named: dict[str, list[int]] = {}
    for process in processes.running:
        argv = process.args
        role = argv[argv.index("sync") + 1]
        orgs = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--org"]
        label = f"{role} ({'city + ' if CITY in orgs else ''}{len(orgs) - (CITY in orgs)} counties)"
        if "--partition" in argv:
            label += f" partition {argv[argv.index('--partition') + 1]}"
        named.setdefault(label, []).append(process.pid)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        named["postgres backends"] = [pid for (pid,) in cursor.fetchall()]
    beam = [int(pid) for pid in os.listdir("/proc") if pid.isdigit() and _comm(int(pid)) == "beam.smp"]
    named["beam.smp (RabbitMQ, shared)"] = beam
    named["bench (counting)"] = [os.getpid()]
    return named


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as file:
            return file.read().strip()
    except OSError:
        return ""


def cpu_snapshot(named: dict[str, list[int]]) -> dict[str, dict[int, float]]:
    return {label: {pid: _cpu_seconds(pid) or 0.0 for pid in pids} for label, pids in named.items()}


def cpu_report(
    processes: Processes,
    before: dict[str, dict[int, float]],
    seconds: float,
    replicas: int,
    *,
    unit: str = "replica",
    gone: dict[str, float] | None = None,
) -> None:
    """The cores each process used over the drain, and its CPU per replica (per `unit`). The processes are listed
    again at the end: a PostgreSQL backend opened during the drain (a worker thread's connection older than
    CONN_MAX_AGE is replaced) counts from zero; one closed during it is lost, unless `gone` gives its CPU (the
    latency phase's producers and their backends, which measure themselves)."""
    after = cpu_snapshot(_drain_processes(processes))
    spent = {
        label: sum(cpu - before.get(label, {}).get(pid, 0.0) for pid, cpu in pids.items())
        for label, pids in after.items()
    }
    for label, used in (gone or {}).items():
        spent[label] = spent.get(label, 0.0) + used
    total = 0.0
    for label, used in spent.items():
        total += used
        print(f"  cpu {label:44s} {used:6.2f} s = {used / seconds:4.2f} cores, {used / replicas * 1e6:6.0f} us/{unit}")
    print(
        f"  cpu {'all of the above':44s} {total:6.2f} s = {total / seconds:4.2f} cores over {seconds:.2f} s", flush=True
    )


def consumers_start(processes: Processes) -> None:
    """The consumers as docs/SYNC.md deploys them: the counties in one process, the city with the other half."""
    if not any("consume" in process.args for process in processes.running):
        half = len(COUNTY_CODES) // 2
        processes.start("consume", COUNTY_CODES[:half])
        processes.start("consume", [CITY, *COUNTY_CODES[half:]])
        time.sleep(3)  # consumers start (Django import, queue declarations)


def fan_in_drain(
    processes: Processes, *, first_year: int, insert_rate: float, publish_rate: float | None = None
) -> None:
    """A backlog of DRAIN_REPORTS_PER_COUNTY reports per county, written while no relay runs, then relayed and
    applied at the city (the consumers already running); the relay is stopped after."""
    backlog = DRAIN_REPORTS_PER_COUNTY * COUNTIES
    submit_reports(DRAIN_REPORTS_PER_COUNTY, first_year=first_year)
    consumers_start(processes)
    relay = processes.start("relay", [CITY, *COUNTY_CODES])
    drained = drain_rate(backlog, processes=processes)
    share(
        f"fan-in drain, backlog of {backlog} county reports (load {os.getloadavg()[0]:.1f})",
        drained,
        insert_rate,
        publish_rate,
        row="fan-in drain 18 -> 1",
    )
    processes.stop(relay)  # the next backlog is written while no relay runs


def issue_documents(count: int, prefix: str) -> None:
    from django_tenants.utils import schema_context

    from tenants.guidance.services import guidance_document_issue

    with schema_context(f"org_{CITY}"):
        for number in range(count):
            guidance_document_issue(
                title=f"{prefix}{number}", doc_type="guidance", issued_on=datetime.date(2026, 1, 1), content="x" * 400
            )


def consumer_in_process(count: int, rounds: int = 3, batch: int = 50) -> tuple[float, float]:
    """The consumer's apply alone, in this process, no broker: the city issues `count` documents; each
    round, one county applies its `count` signed messages one by one (inbox.message_receive: a transaction
    each) and another county its own in batches of `batch` (inbox.messages_receive, as the consumer does),
    `rounds` times alternately (both in the same moments of the shared machine); the median messages/s."""
    import statistics

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from shared.orgs.models import Organization
    from sync import inbox
    from sync.models import OutboxMessage
    from sync.relay import message_encode

    issue_documents(count, "进程内")
    receivers = {county.code: county for county in Organization.objects.filter(code__in=COUNTY_CODES[: 2 * rounds])}
    with schema_context(f"org_{CITY}"):
        pending = OutboxMessage.objects.filter(sent_at__isnull=True, record_type="guidance.document")
        raws: dict[str, list[bytes]] = {code: [] for code in receivers}
        for row in pending.filter(destination__in=list(receivers)).order_by("id"):
            raws[row.destination].append(message_encode(row=row, source_code=CITY))
        pending.update(sent_at=timezone.now())  # never relayed: the other phases measure the bus alone
    one_by_one, batched = [], []
    for number in range(rounds):
        single, together = COUNTY_CODES[2 * number], COUNTY_CODES[2 * number + 1]
        started = time.perf_counter()
        for raw in raws[single]:
            inbox.message_receive(receiver=receivers[single], raw=raw)
        one_by_one.append(len(raws[single]) / (time.perf_counter() - started))
        started = time.perf_counter()
        for start in range(0, len(raws[together]), batch):
            inbox.messages_receive(receiver=receivers[together], raws=raws[together][start : start + batch])
        batched.append(len(raws[together]) / (time.perf_counter() - started))
    return statistics.median(one_by_one), statistics.median(batched)


def _produce(rate: float, seconds: float, offset: float, start: float, results) -> None:
    """One producer process: issue documents at `rate` per second from `start` (+`offset`) for `seconds`;
    sends back ({document key: commit time}, its CPU seconds, its PostgreSQL backend's)."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.guidance.services import guidance_document_issue

    committed: dict[str, float] = {}
    number = 0
    cpu = time.process_time()
    with schema_context(f"org_{CITY}"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        backend_cpu = _cpu_seconds(backend) or 0.0
        while (target := start + offset + number / rate) < start + seconds:
            if (pause := target - time.time()) > 0:
                time.sleep(pause)
            document = guidance_document_issue(
                title=f"延迟{number}", doc_type="guidance", issued_on=datetime.date(2026, 1, 1), content="x" * 400
            )
            committed[str(document.pk)] = time.time()
            number += 1
    results.put((committed, time.process_time() - cpu, (_cpu_seconds(backend) or 0.0) - backend_cpu))


def latency(deliveries: float, seconds: float, processes: Processes | None = None) -> tuple[list[float], float]:
    """Offer `deliveries` per second (records to the 18 counties) for `seconds`, from as many producer
    processes as that takes (one loop commits about 7 records/s here); returns the commit-to-visible seconds
    of every delivery and the deliveries per second actually offered. With `processes`, prints the CPU each
    process used per delivery from the first commit to the last delivery visible (the producers and their
    backends measure themselves): at 500/s the cores saturate, and this says who takes them."""
    import multiprocessing

    from django.db import connection, connections

    records = deliveries / COUNTIES
    producers = max(1, math.ceil(records / 7))
    cpu_before = cpu_snapshot(_drain_processes(processes)) if processes is not None else {}
    started = time.perf_counter()
    connections.close_all()  # each forked producer opens its own
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start = time.time() + 1
    children = [
        context.Process(target=_produce, args=(records / producers, seconds, index / records, start, results))
        for index in range(producers)
    ]
    for child in children:
        child.start()
    committed: dict[str, float] = {}
    gone = {"producers": 0.0, "producers' postgres backends": 0.0}
    for _child in children:
        produced, producer_cpu, backend_cpu = results.get(timeout=seconds + 300)
        committed.update(produced)
        gone["producers"] += producer_cpu
        gone["producers' postgres backends"] += backend_cpu
    for child in children:
        child.join()
    offered = len(committed) * COUNTIES / seconds
    keys = list(committed)
    deadline = time.monotonic() + 300
    samples: list[float] = []
    while time.monotonic() < deadline:
        samples = []
        with connection.cursor() as cursor:
            for code in COUNTY_CODES:
                cursor.execute(
                    f'SELECT record_key, extract(epoch from received_at) FROM "org_{code}".sync_replica '
                    "WHERE record_type = 'guidance.document' AND source = %s AND record_key = ANY(%s)",
                    [CITY, keys],
                )
                samples += [float(at) - committed[key] for key, at in cursor.fetchall()]
        if len(samples) >= len(keys) * COUNTIES:
            break
        time.sleep(0.5)
    if processes is not None:
        cpu_report(processes, cpu_before, time.perf_counter() - started, len(samples), unit="delivery", gone=gone)
    return samples, offered


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def share(
    label: str, rate: float, insert_rate: float, publish_rate: float | None, note: str = "", *, row: str = ""
) -> None:
    """Print a throughput beside the ceilings: the run's first INSERT+COMMIT figure and one measured again
    just after (the machine is shared: its load moves within a run); `row` names it in the summary table."""
    adjacent = raw_insert_commit_rate(500)
    if row:
        table_row(
            f"bus: {row}",
            f"{rate:.0f} replicas/s",
            f"INSERT+COMMIT {adjacent:.0f} rows/s just after",
            f"{rate / adjacent:.0%}",
            "≥ 60 %" if "drain" in row or "fan-out" in row else "",
        )
    print(
        f"{label}: {rate:9.1f} replicas applied/s  ({rate / insert_rate:.1%} of INSERT+COMMIT at the start, "
        f"{rate / adjacent:.1%} of {adjacent:.0f} rows/s measured just after"
        + (f", {rate / publish_rate:.1%} of confirmed publish" if publish_rate else "")
        + f"{note})",
        flush=True,
    )


def latency_rates(processes: Processes | None = None) -> None:
    for target in LATENCY_RATES:
        samples, offered_rate = latency(target, LATENCY_SECONDS, processes)
        print(
            f"commit->visible at {target} deliveries/s (offered {offered_rate:.0f}/s), {len(samples)} "
            f"deliveries: p50 {percentile(samples, 0.5) * 1000:.0f} ms, p95 {percentile(samples, 0.95) * 1000:.0f}"
            f" ms, p99 {percentile(samples, 0.99) * 1000:.0f} ms; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        table_row(
            f"bus: commit->visible at {target} deliveries/s",
            f"p50 {percentile(samples, 0.5) * 1000:.0f} ms, p99 {percentile(samples, 0.99) * 1000:.0f} ms",
            f"offered {offered_rate:.0f} deliveries/s",
            "",
            "p99 < 100 ms at 500/s",
        )


def main(count: int) -> None:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        sys.exit("DATABASE_URL is not set")
    maintenance, base_name = connect_maintenance(base_url)
    bench_name = f"{base_name}_syncbench_{os.getpid()}"
    prefix = f"xuncha.bench.{os.getpid()}.{uuid.uuid4().hex[:6]}"
    with maintenance.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{bench_name}"')
    os.environ.update(
        DATABASE_URL=base_url.rsplit("/", 1)[0] + "/" + bench_name,
        XUNCHA_SYNC_PREFIX=prefix,
        DJANGO_SETTINGS_MODULE="xuncha.settings",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DEBUG", "1")
    processes = None
    try:
        import django

        django.setup()
        from django.conf import settings

        from sync.transport import bus_from_settings

        print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} (shared with other users)")
        print("provisioning 1 province, 1 city, 18 counties ...", flush=True)
        provision()
        bus = bus_from_settings()
        print(f"transport: {bus.kind}")
        if ONLY_LATENCY:
            processes = Processes(dict(os.environ, SECRET_KEY=settings.SECRET_KEY))
            half = len(COUNTY_CODES) // 2
            processes.start("consume", COUNTY_CODES[:half])
            processes.start("consume", [CITY, *COUNTY_CODES[half:]])
            processes.start("relay", [CITY, *COUNTY_CODES])
            time.sleep(3)
            fan_out(5)  # warm-up
            latency_rates(processes)
            return
        insert_rate = raw_insert_commit_rate(2000)
        print(f"raw ceiling: INSERT+COMMIT, one connection         {insert_rate:9.0f} rows/s")
        if ONLY_FANIN:
            processes = Processes(dict(os.environ, SECRET_KEY=settings.SECRET_KEY))
            for round_number in range(FANIN_ROUNDS):
                fan_in_drain(processes, first_year=2100 + 30 * round_number, insert_rate=insert_rate)
            return
        publish_rate = None
        if bus.kind == "rabbitmq":
            publish_rate = raw_confirmed_publish_rate(settings.BROKER_URL, prefix, 5000)
            print(f"raw ceiling: confirmed publish, one channel      {publish_rate:9.0f} msgs/s")
        single, batched = consumer_in_process(150)
        adjacent = raw_insert_commit_rate(500)
        print(
            f"consumer apply in process (3 rounds of 150 signed messages each way, alternated): one by one "
            f"{single:.0f}/s ({single / adjacent:.1%}), in batches of 50 {batched:.0f}/s ({batched / adjacent:.1%}), "
            f"x{batched / single:.2f}; of {adjacent:.0f} INSERT+COMMIT rows/s measured just after",
            flush=True,
        )
        table_row(
            "bus: consumer apply in process, batches of 50",
            f"{batched:.0f} messages/s",
            f"one by one {single:.0f}/s",
            f"x{batched / single:.1f}",
        )
        processes = Processes(dict(os.environ, SECRET_KEY=settings.SECRET_KEY))
        per_county = max(2, count // COUNTIES * 2)
        fan_in_drain(processes, first_year=2100, insert_rate=insert_rate, publish_rate=publish_rate)
        # As many deliveries as the fan-in drain (3960), so both drains measure the bus at saturation for seconds,
        # not its first batches; with the CPU each process used.
        documents = DRAIN_REPORTS_PER_COUNTY
        issue_documents(documents, "积压")
        processes.start("relay", [CITY, *COUNTY_CODES])
        drained_out = drain_rate(
            documents * COUNTIES,
            receivers=COUNTY_CODES,
            sources={CITY},
            record_type="guidance.document",
            processes=processes,
        )
        share(
            f"fan-out drain, backlog of {documents} city documents ({documents * COUNTIES} deliveries)",
            drained_out,
            insert_rate,
            publish_rate,
            row="fan-out drain 1 -> 18",
        )
        fan_out(5)  # warm-up
        records, deliveries, offered_out = fan_out(count)
        share(
            f"fan-out 1 city -> 18 counties: {count} records, {records:.1f} records/s",
            deliveries,
            insert_rate,
            publish_rate,
            f"; the one submitting loop committed {offered_out:.1f} records/s",
            row="fan-out 1 -> 18 (one submitting loop)",
        )
        fan_in_rate, offered_in = fan_in(per_county)
        share(
            f"fan-in 18 counties -> 1 city: {per_county * COUNTIES} records",
            fan_in_rate,
            insert_rate,
            publish_rate,
            f"; the one submitting loop committed {offered_in:.1f} records/s",
            row="fan-in 18 -> 1 (one submitting loop)",
        )
        latency_rates(processes)
    finally:
        if processes is not None:
            processes.stop()
        try:
            from django.conf import settings as loaded

            if loaded.BROKER_URL:
                from sync.transport import AmqpBus

                AmqpBus(loaded.BROKER_URL, prefix).delete_everything([CITY, "410000", *COUNTY_CODES])
            from django.db import connections

            connections.close_all()
        finally:
            with maintenance.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
            maintenance.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
