"""`xuncha demo --province linked` (XUNCHA_DEMO_PROVINCE=linked, issue 16 point 5): the city platform and the province
each a deployment of its own on this machine, joined by real shovels; the city's filing reaches the province's site.

The demo runs as a subprocess against two databases cloned from the session's migrated template and two RabbitMQ
vhosts of its own (tests/deployments/harness.py), all dropped at the end; its run directory is the test's."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from tests.deployments.harness import REPO, rabbitmqctl
from tests.platform.test_demo import alive, children_of, free_port, wait_until_up
from xuncha.demo.linked import linked_requirements_problem

pytestmark = pytest.mark.bus

PASSWORD = "demo-linked-test"


def _sign_in(base: str, username: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": "/"}).encode()
    home = opener.open(
        urllib.request.Request(f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"})
    )
    return opener, home


def _demo(environment: dict[str, str], *arguments: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "xuncha", "demo", *arguments],
        env=environment,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _shovels(vhost: str) -> list[str]:
    listed = rabbitmqctl("list_parameters", "-p", vhost, "--formatter", "json").stdout
    return [row["name"] for row in json.loads(listed or "[]") if row.get("component") == "shovel"]


def test_the_linked_province_demo_carries_the_citys_filing_to_the_provinces_site_and_stops_everything(
    deployments, tmp_path
):
    city = deployments.create("democity")
    province = deployments.create("demoprov")
    city_port, province_port = free_port(), free_port()
    environment = dict(
        os.environ,
        DEBUG="1",
        XUNCHA_DEMO_PROVINCE="linked",
        XUNCHA_DEMO_PASSWORD=PASSWORD,
        DATABASE_URL=city.database_url,
        BROKER_URL=city.broker_url,
        XUNCHA_DEMO_PROVINCE_DATABASE_URL=province.database_url,
        XUNCHA_DEMO_PROVINCE_BROKER_URL=province.broker_url,
        XUNCHA_RUN_DIR=str(tmp_path / "run"),
        PYTHONUNBUFFERED="1",
    )
    for name in ("XUNCHA_SYNC_PREFIX", "CELERY_TASK_DEFAULT_QUEUE", "XUNCHA_AUDIT_KEY", "XUNCHA_AUDIT_ANCHOR_DIR"):
        environment.pop(name, None)  # the demo's own, per deployment
    log = (tmp_path / "demo.log").open("w+")  # a file, not a pipe: a full pipe would block the children
    process = _demo(
        environment, "--bind", f"127.0.0.1:{city_port}", "--province-bind", f"127.0.0.1:{province_port}", log=log
    )
    descendants: set[int] = set()
    city_base, province_base = f"http://127.0.0.1:{city_port}", f"http://127.0.0.1:{province_port}"

    def output() -> str:
        log.flush()
        log.seek(0)
        return log.read()

    try:
        wait_until_up(f"{city_base}/healthz", process, log, timeout=900)  # both migrated and seeded first
        wait_until_up(f"{province_base}/healthz", process, log, timeout=120)
        descendants = children_of(process.pid)
        assert len(descendants) >= 10  # web, relay, consumer, worker, beat of each deployment
        # One shovel each way, each on its own deployment's vhost.
        assert len(_shovels(city.vhost)) == 1 and len(_shovels(province.vhost)) == 1

        # The province's site: its own people sign in there; the city's filing arrives over the shovel.
        opener, home = _sign_in(province_base, "henan.admin")
        assert home.url == f"{province_base}/org/410000/"
        deadline, inbox = time.monotonic() + 180, ""
        while time.monotonic() < deadline:
            inbox = opener.open(f"{province_base}/org/410000/reports/inbox/").read().decode()
            if "鹤壁市委2026年第一轮巡察工作总结" in inbox:
                break
            time.sleep(1)
        assert "鹤壁市委2026年第一轮巡察工作总结" in inbox, output()[-6000:]
        assert f"{timezone.localdate().year}年度巡察工作计划" in inbox  # the annual plan too (this year's: the demo's)
        assert "鹤壁市" in inbox  # from the city, by its name the province holds for it
        # The city's people are the city platform's: unknown at the province, at home at the city.
        _opener, refused = _sign_in(province_base, "hebi.admin")
        assert refused.url.startswith(f"{province_base}/accounts/login/")
        _opener, city_home = _sign_in(city_base, "hebi.admin")
        assert city_home.url == f"{city_base}/org/410600/"
        _opener, refused = _sign_in(city_base, "henan.admin")
        assert refused.url.startswith(f"{city_base}/accounts/login/")
        descendants |= children_of(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=90)
    printed = output()
    assert process.returncode == 0, printed[-3000:]
    # Both URLs, both deployments' sign-ins, the fingerprints compared on each side, both links.
    assert f"http://127.0.0.1:{city_port}/" in printed and f"http://127.0.0.1:{province_port}/" in printed
    assert "hebi.admin" in printed and "henan.admin" in printed and PASSWORD in printed
    assert len(re.findall(r"410000 河南省: [0-9A-F]{4}( [0-9A-F]{4}){7}", printed)) == 1
    assert len(re.findall(r"410600 鹤壁市: [0-9A-F]{4}( [0-9A-F]{4}){7}", printed)) == 1
    assert "link to province:" in printed and "link to hebi:" in printed
    assert "started province web" in printed and "started province sync relay" in printed
    assert "all processes stopped" in printed
    time.sleep(0.5)
    assert descendants and [pid for pid in descendants if alive(pid)] == []
    # teardown (the fixture): both databases dropped, both vhosts (and their shovels) deleted


def _refused(environment: dict[str, str], tmp_path: Path) -> tuple[int, str]:
    log = (tmp_path / "refused.log").open("w+")
    process = _demo(environment, "--bind", f"127.0.0.1:{free_port()}", log=log)
    code = process.wait(timeout=300)
    log.seek(0)
    return code, log.read()


def _databases(like: str) -> list[str]:
    import psycopg2

    db = psycopg2.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres")
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [like])
            return [row[0] for row in cursor.fetchall()]
    finally:
        db.close()


def test_the_linked_province_demo_without_rabbitmq_or_its_shovel_plugin_says_why_and_starts_nothing(tmp_path):
    """No BROKER_URL, then a broker whose shovel plugin is off (a stand-in rabbitmq-plugins that says so): each is
    refused in Chinese and English with a non-zero exit, before any database is made or process started."""
    name = f"xuncha_refused_{os.getpid()}"
    environment = dict(
        os.environ,
        DEBUG="1",
        XUNCHA_DEMO_PROVINCE="linked",
        DATABASE_URL=os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}",
        XUNCHA_RUN_DIR=str(tmp_path / "run"),
    )
    environment.pop("BROKER_URL")
    code, printed = _refused(environment, tmp_path)
    assert code != 0
    assert "需要 RabbitMQ" in printed and "set BROKER_URL" in printed, printed
    assert "migrating" not in printed and "started" not in printed

    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "rabbitmq-plugins").write_text("#!/bin/sh\necho 'Plugin rabbitmq_shovel is not enabled' >&2\nexit 2\n")
    (fake / "rabbitmq-plugins").chmod(0o755)
    environment.update(BROKER_URL=os.environ["BROKER_URL"], PATH=f"{fake}:{os.environ['PATH']}")
    code, printed = _refused(environment, tmp_path)
    assert code != 0
    assert "未启用 shovel 插件" in printed and "rabbitmq-plugins enable rabbitmq_shovel" in printed, printed
    assert "migrating" not in printed and "started" not in printed
    assert _databases(f"{name}%") == []  # neither the city's nor the province's database was made

    # Positive control: this machine's broker and plugin pass the same check (the demo above ran on them).
    assert linked_requirements_problem(broker_url=os.environ["BROKER_URL"]) is None
    environment.update(PATH=os.environ["PATH"], XUNCHA_DEMO_PROVINCE="elsewhere")
    code, printed = _refused(environment, tmp_path)
    assert code != 0 and "use one of local, linked" in printed, printed
