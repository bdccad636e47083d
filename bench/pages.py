"""Pages and API lists under load, on the Harbin-sized data set, against gunicorn as `xuncha web` starts it.

    DATABASE_URL=postgresql://... python bench/pages.py [--scale 1.0] [--clients 20] [--seconds 10]
        [--database NAME [--reuse]]

Builds the data set of bench/harbin.py in a throwaway database, starts `xuncha web` (gunicorn, its default
workers, DEBUG off) on a free loopback port, signs in as the city's office admin and one county's office
staff, then for each page runs N concurrent clients for a fixed time (bounded: --seconds per page) and
prints p50/p95/p99, requests per second and page size, beside the same run's ceiling: /healthz, the
smallest answer the same stack gives (no session, no tenant, no query). `--database NAME` keeps the data set
in NAME; `--reuse` measures a data set kept so (migrated first), so before/after runs of two checkouts can
measure the same rows without building them twice. SQL statements per request are
counted in-process for each page (Django's test client, one request), beside the median CPU time one request
costs the process (the figure a change to a page moves, whatever else the shared machine runs), and the web
workers' resident memory before and after the load, and after each of `--memory-rounds` further rounds of every
page on the same workers, shows whether a worker grows with the requests it serves (a first round grows it while
each worker first meets each page; a leak goes on growing).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

import harbin  # noqa: E402  (bench/harbin.py, beside this file)
from common import table_row  # noqa: E402  (bench/common.py)

COUNTY = harbin.COUNTIES[0][0]
CITY = harbin.CITY[0]
# (label, who, path): the pages of issue 14's table and the API lists
PAGES = [
    ("城市 县区督导 oversight", "city", f"/org/{CITY}/reports/oversight/"),
    ("城市 提级交叉联动 overview", "city", f"/org/{CITY}/crossorg/"),
    ("县区 整改台账 rectification", "county", f"/org/{COUNTY}/rectification/"),
    ("县区 督办 supervised", "county", f"/org/{COUNTY}/rectification/supervised/"),
    ("县区 巡察发现 findings", "county", f"/org/{COUNTY}/findings/"),
    ("县区 移交 transfers", "county", f"/org/{COUNTY}/transfers/"),
    ("县区 巡察对象 targets", "county", f"/org/{COUNTY}/targets/"),
    ("县区 巡察轮次 rounds", "county", f"/org/{COUNTY}/rounds/"),
    ("API feedbacks", "county", f"/org/{COUNTY}/api/rectification/feedbacks/"),
    ("API items", "county", f"/org/{COUNTY}/api/rectification/items/"),
    ("API findings", "county", f"/org/{COUNTY}/api/findings/findings/"),
    ("API transfers", "county", f"/org/{COUNTY}/api/transfers/"),
    ("API targets", "county", f"/org/{COUNTY}/api/targets/"),
]
# BENCH_PAGES="oversight,supervised": only the pages whose label holds one of these words (a short A/B of a page).
if os.environ.get("BENCH_PAGES"):
    PAGES = [page for page in PAGES if any(word in page[0] for word in os.environ["BENCH_PAGES"].split(","))]
USERS = {"city": f"{harbin.slug(CITY)}.admin", "county": f"{harbin.slug(COUNTY)}.staff"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def opener_signed_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": harbin.PASSWORD}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/"})
    opener.open(request).read()
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise SystemExit(f"could not sign in as {username}")
    return opener


def load(opener, url: str, *, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    sizes: list[int] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                with opener.open(url, timeout=60) as response:
                    size = len(response.read())
            except Exception:  # a refused or failed request counts, and the client goes on
                with lock:
                    errors[0] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                sizes.append(size)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies) or [float("nan")]

    def percentile(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] * 1000

    return {
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "rps": len(latencies) / wall,
        "kib": (statistics.mean(sizes) / 1024) if sizes else 0.0,
        "errors": errors[0],
    }


CPU_REQUESTS = 7  # in-process requests per page whose CPU time is measured (the median is printed)


def in_process_figures() -> tuple[dict[str, int], dict[str, float]]:
    """SQL statements of one request to each page, and the median CPU time (ms) the process spends on one,
    both in-process (Django's test client) as the same users, /healthz's CPU under the key "/healthz".

    The CPU time is the figure that holds still on a shared machine: the latencies under load measure the
    machine's other work too, while a page's own cost per request is what a change to it moves."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from shared.accounts.models import User

    # The test client's host, beside the hosts the settings allow (with DEBUG on, only localhost and 127.0.0.1).
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        clients = {"anonymous": Client()}
        for who, username in USERS.items():
            clients[who] = Client()
            clients[who].force_login(User.objects.get(username=username))
        counts, cpu = {}, {}
        for label, who, path in [("/healthz", "anonymous", "/healthz"), *PAGES]:
            clients[who].get(path)  # warm: urlconf, caches
            with CaptureQueriesContext(connection) as captured:
                response = clients[who].get(path)
            if response.status_code != 200:  # a figure of a refusal would measure nothing: stop the run
                raise SystemExit(f"{label}: {path} answered {response.status_code} in process")
            counts[label] = len(captured)
            times = []
            for _ in range(CPU_REQUESTS):
                started = time.process_time()
                clients[who].get(path)
                times.append((time.process_time() - started) * 1000)
            cpu[label] = statistics.median(times)
    return counts, cpu


def workers_rss_mib(master: int) -> float:
    total = 0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", status, re.M):
            total += int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
    return total / 1024


def run(scale: float, clients: int, seconds: float, *, reuse: bool = False, memory_rounds: int = 0) -> None:
    from django.conf import settings

    if reuse:
        from shared.orgs.services import platform_migrate

        platform_migrate(verbosity=0)
        print("data set: kept by an earlier run (migrated)", flush=True)
    else:
        figures = harbin.build(scale)
        print(
            f"data set: {figures['counties']} counties, {figures['units']} units, {figures['findings']} findings, "
            f"{figures['transfers']} transfers, {figures['items']} rectification items "
            f"(built in {figures['build_s']:.0f} s, carried in {figures['carry_s']:.0f} s)",
            flush=True,
        )
        table_row(
            "Harbin data set: build + carry",
            f"{figures['build_s'] + figures['carry_s']:.0f} s (scale {scale})",
            f"provisioning {figures['provision_s']:.0f} s",
            "",
            "a few minutes",
        )
    statements, cpu = in_process_figures()
    port = free_port()
    # DEBUG off, as in production, refuses the development key the data builder ran with (DEBUG on): the web gets
    # the caller's own SECRET_KEY when it is one production accepts, else a random one for this run.
    secret = os.environ.get("SECRET_KEY", "")
    if len(secret) < 32 or secret == settings.DEVELOPMENT_SECRET_KEY:
        secret = secrets.token_urlsafe(48)
    environment = dict(os.environ, DEBUG="0", SECRET_KEY=secret, ALLOWED_HOSTS="127.0.0.1", XUNCHA_INSECURE_HTTP="1")
    web_log = Path(settings.RUN_DIR) / "bench-pages-web.log"
    web_log.parent.mkdir(parents=True, exist_ok=True)
    with web_log.open("wb") as log:
        web = subprocess.Popen(
            [sys.executable, "-m", "xuncha", "web", "--bind", f"127.0.0.1:{port}"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if web.poll() is not None:
                tail = web_log.read_text(errors="replace").strip().splitlines()[-15:]
                raise SystemExit(f"`xuncha web` stopped (exit {web.returncode}); its last lines:\n" + "\n".join(tail))
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"`xuncha web` did not answer /healthz within 2 minutes (its log: {web_log})")
        openers = {who: opener_signed_in(base, username) for who, username in USERS.items()}
        anonymous = urllib.request.build_opener()
        for label, who, path in PAGES:  # warm every worker's caches; a page that fails stops the run
            for _ in range(6):
                try:
                    openers[who].open(base + path).read()
                except urllib.error.HTTPError as error:
                    raise SystemExit(f"{label}: {path} answered {error.code}") from None
        rss_before = workers_rss_mib(web.pid)
        print(
            f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {clients} clients, "
            f"{seconds:.0f} s per page; gunicorn as `xuncha web` starts it"
        )
        header = (
            f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7} {'KiB':>7} {'SQL':>5} "
            f"{'CPU ms':>7} {'err':>4}"
        )
        print(header)
        print("-" * len(header))
        ceiling = load(anonymous, base + "/healthz", clients=clients, seconds=seconds)
        print(_row("ceiling: /healthz", ceiling, str(statements["/healthz"]), cpu["/healthz"]))
        for label, who, path in PAGES:
            result = load(openers[who], base + path, clients=clients, seconds=seconds)
            print(_row(label, result, str(statements[label]), cpu[label]), flush=True)
            table_row(
                f"page {label}, p95 at {clients} clients",
                f"{result['p95']:.0f} ms, {result['rps']:.1f} req/s, CPU {cpu[label]:.0f} ms/request",
                f"/healthz p95 {ceiling['p95']:.0f} ms, CPU {cpu['/healthz']:.1f} ms",
                f"x{result['p95'] / max(ceiling['p95'], 0.1):.1f}",
                "< 100 ms" if label.startswith("API") else "< 150 ms",
            )
        rss_after = workers_rss_mib(web.pid)
        print(f"web workers' resident memory: {rss_before:.0f} MiB before the load, {rss_after:.0f} MiB after")
        rounds = [rss_after]
        for _ in range(memory_rounds):  # the same load again on the same workers: a leak keeps growing
            for _label, who, path in PAGES:
                load(openers[who], base + path, clients=clients, seconds=seconds / 2)
            rounds.append(workers_rss_mib(web.pid))
        if memory_rounds:
            print("after each further round of every page: " + " → ".join(f"{mib:.0f}" for mib in rounds) + " MiB")
        table_row(
            "web workers' resident memory",
            " → ".join(f"{mib:.0f}" for mib in rounds) + " MiB after each round",
            f"{rss_before:.0f} MiB before",
            "",
            "flat",
        )
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)


def _padded(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def _row(label: str, result: dict, sql: str, cpu_ms: float) -> str:
    return (
        f"{_padded(label, 30)} {result['p50']:8.0f} {result['p95']:8.0f} {result['p99']:8.0f} {result['rps']:7.1f} "
        f"{result['kib']:7.1f} {sql:>5} {cpu_ms:7.1f} {result['errors']:4d}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1.0")))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database", help="keep the data set in this database")
    parser.add_argument("--reuse", action="store_true", help="measure the data set --database kept, as it is")
    parser.add_argument(
        "--memory-rounds", type=int, default=2, help="further rounds of every page (half as long) to watch the RSS"
    )
    arguments = parser.parse_args()
    if arguments.reuse and not arguments.database:
        parser.error("--reuse needs --database")
    harbin.with_database(
        arguments.database,
        lambda: run(
            arguments.scale,
            arguments.clients,
            arguments.seconds,
            reuse=arguments.reuse,
            memory_rounds=arguments.memory_rounds,
        ),
        reuse=arguments.reuse,
    )


if __name__ == "__main__":
    main()
