"""The demo does not hide dead processes (issue 10, point 9): a child that dies is restarted with
back-off, one that keeps dying stops the demo with a message naming it; two demos on one broker give
their Celery workers different node names (the same `celery@host` made the second die with
ResourceLocked on its pidbox, and the demo carried on without reminders or statistics); the banner
names the transport of each process. Real processes, real RabbitMQ."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.platform.test_demo import alive, children_of, free_port, test_database_url_for_subprocesses, wait_until_up
from xuncha.processes import demo_instance_id, demo_process_specs

SUPERVISE = """
import os, sys
from xuncha.processes import ProcessSpec, Supervisor
sleeper = ProcessSpec("sleeper", [sys.executable, "-c", "import time; time.sleep(600)"])
crasher = ProcessSpec("crasher", [sys.executable, "-c", "raise SystemExit(3)"])
specs = [sleeper] if sys.argv[1] == "restart" else [sleeper, crasher]
sys.exit(Supervisor(specs, environment=dict(os.environ), write=lambda line: print(line, flush=True),
                    restart_delays=(0.2, 0.4, 0.8)).run())
"""


def _supervisor(kind: str, log):
    return subprocess.Popen(
        [sys.executable, "-c", SUPERVISE, kind],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        text=True,
    )


def _wait_for(log, pattern: str, *, timeout: float = 30, count: int = 1) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log.seek(0)
        found = re.findall(pattern, log.read())
        if len(found) >= count:
            return found
        time.sleep(0.1)
    log.seek(0)
    raise AssertionError(f"{pattern!r} x{count} not seen in:\n{log.read()}")


def test_a_child_that_dies_is_restarted_and_sigterm_still_stops_everything(tmp_path):
    log = (tmp_path / "supervisor.log").open("w+")
    supervisor = _supervisor("restart", log)
    try:
        [first] = _wait_for(log, r"started sleeper\s+pid (\d+)")
        os.kill(int(first), signal.SIGKILL)
        _wait_for(log, r"sleeper exited with status -9: restarting in 0.2s \(restart 1 of 3\)")
        pids = _wait_for(log, r"started sleeper\s+pid (\d+)", count=2)
        second = int(pids[1])
        assert second != int(first) and alive(second)
        assert supervisor.poll() is None  # the supervisor carries on
    finally:
        supervisor.send_signal(signal.SIGTERM)
        code = supervisor.wait(timeout=30)
    log.seek(0)
    output = log.read()
    assert code == 0 and "all processes stopped" in output
    assert not alive(second)


def test_a_child_that_keeps_dying_stops_the_demo_with_a_message(tmp_path):
    log = (tmp_path / "supervisor.log").open("w+")
    supervisor = _supervisor("crash", log)
    code = supervisor.wait(timeout=30)
    log.seek(0)
    output = log.read()
    assert code == 1
    assert output.count("crasher exited with status 3: restarting") == 3
    assert "crasher exited with status 3 again after 3 restarts: stopping the demo" in output
    [sleeper] = re.findall(r"started sleeper\s+pid (\d+)", output)
    assert "all processes stopped" in output and not alive(int(sleeper))


def test_the_banner_names_each_process_s_transport():
    commands = {"sync"}
    with_broker, _notes = demo_process_specs(
        bind="127.0.0.1:8106",
        with_sync=True,
        available_commands=commands,
        instance_id="ab12cd34ef",
        broker_url="amqp://guest:secret@127.0.0.1:5672//",
        sync_prefix="xuncha.sync.ab12cd34ef",
        jobs_queue="xuncha.jobs.ab12cd34ef",
    )
    transports = {spec.name: spec.transport for spec in with_broker}
    assert transports["web"] == "HTTP http://127.0.0.1:8106/"
    assert (
        transports["sync relay"]
        == transports["sync consumer"]
        == ("sync bus: RabbitMQ amqp://guest@127.0.0.1:5672//, exchange xuncha.sync.ab12cd34ef")
    )
    assert transports["celery worker"].startswith(
        "jobs: RabbitMQ amqp://guest@127.0.0.1:5672//, queue xuncha.jobs.ab12cd34ef, node xuncha-ab12cd34ef@"
    )
    assert transports["celery beat"] == "jobs: RabbitMQ amqp://guest@127.0.0.1:5672//, queue xuncha.jobs.ab12cd34ef"
    assert all("secret" not in transport for transport in transports.values())  # never the password
    embedded, _notes = demo_process_specs(
        bind="0.0.0.0:8000", with_sync=True, available_commands=commands, instance_id="ab12cd34ef"
    )
    transports = {spec.name: spec.transport for spec in embedded}
    assert transports["sync relay"] == "sync bus: embedded (PostgreSQL-table transport, docs/SYNC.md)"
    assert transports["celery worker"].startswith("jobs: embedded (file queue in .run/celery-broker), node ")
    assert transports["web"] == "HTTP http://127.0.0.1:8000/"


def test_instances_differ_by_database_and_machine_and_never_include_the_password():
    one = demo_instance_id(database_url="postgresql://postgres:pw1@127.0.0.1:5432/xuncha_a", hostname="vm")
    assert one == demo_instance_id(database_url="postgresql://postgres:other@127.0.0.1:5432/xuncha_a", hostname="vm")
    assert one != demo_instance_id(database_url="postgresql://postgres@127.0.0.1:5432/xuncha_b", hostname="vm")
    assert one != demo_instance_id(database_url="postgresql://postgres@127.0.0.1:5432/xuncha_a", hostname="vm2")
    assert re.fullmatch(r"[0-9a-f]{10}", one)


def _worker_argv(database_url: str) -> list[str]:
    specs, _notes = demo_process_specs(
        bind="127.0.0.1:0",
        with_sync=False,
        available_commands=set(),
        instance_id=demo_instance_id(database_url=database_url),
        broker_url=os.environ["BROKER_URL"],
    )
    [worker] = [spec for spec in specs if spec.name == "celery worker"]
    return worker.argv


@pytest.mark.bus
def test_two_demos_on_one_broker_run_workers_with_different_node_names(tmp_path):
    database = test_database_url_for_subprocesses()
    base = database.rsplit("/", 1)[0]
    urls = [database, f"{base}/xuncha_other_demo"]  # the second demo's database: only its name matters here
    argvs = [_worker_argv(url) for url in urls]
    names = [argv[argv.index("--hostname") + 1] for argv in argvs]
    assert names[0] != names[1] and all(name.startswith("xuncha-") and name.endswith("@%h") for name in names)
    queue = f"xuncha.test.jobs.{os.getpid()}"
    environment = dict(
        os.environ, DEBUG="1", DATABASE_URL=database, PYTHONUNBUFFERED="1", CELERY_TASK_DEFAULT_QUEUE=queue
    )
    logs = [(tmp_path / f"worker{n}.log").open("w+") for n in (1, 2)]
    workers = [
        subprocess.Popen(
            argv + ["--concurrency", "1"], env=environment, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        for argv, log in zip(argvs, logs, strict=True)
    ]
    try:
        for log, name in zip(logs, names, strict=True):
            _wait_for(log, re.escape(name.replace("%h", "")) + r"\S* ready", timeout=90)
        time.sleep(3)
        for worker, log in zip(workers, logs, strict=True):
            log.seek(0)
            output = log.read()
            assert worker.poll() is None, output
            assert "ResourceLocked" not in output
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()


@pytest.mark.bus
def test_the_demo_restarts_a_killed_worker_and_names_its_transports(django_db_setup, django_db_blocker, tmp_path):
    """`xuncha demo` against the test database on RabbitMQ: the banner names each process's transport;
    SIGKILL to the Celery worker is answered by a restart, then SIGTERM stops everything."""
    from tests.platform.test_demo import demo_usernames

    port = free_port()
    environment = dict(
        os.environ,
        DEBUG="1",
        XUNCHA_DEMO_PASSWORD="demo-supervision-test",
        XUNCHA_DEMO_CORE_ONLY="1",
        DATABASE_URL=test_database_url_for_subprocesses(),
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "demo.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "xuncha", "demo", "--bind", f"127.0.0.1:{port}"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    descendants: set[int] = set()
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log, timeout=180)
        log.seek(0)
        output = log.read()
        assert re.search(
            r"\[xuncha\]   sync relay +sync bus: RabbitMQ amqp://guest@127\.0\.0\.1:5672//, exchange "
            + re.escape(os.environ["XUNCHA_SYNC_PREFIX"]),
            output,
        ), output
        assert re.search(
            r"\[xuncha\]   celery worker +jobs: RabbitMQ amqp://guest@127\.0\.0\.1:5672//, queue "
            r"xuncha\.jobs\.[0-9a-f]{10}, node xuncha-[0-9a-f]{10}@",
            output,
        ), output
        assert re.search(rf"\[xuncha\]   web +HTTP http://127\.0\.0\.1:{port}/", output), output
        [worker] = re.findall(r"started celery worker\s+pid (\d+)", output)
        descendants = children_of(process.pid)
        os.kill(int(worker), signal.SIGKILL)
        _wait_for(log, r"celery worker exited with status -9: restarting in 1s", timeout=30)
        pids = _wait_for(log, r"started celery worker\s+pid (\d+)", count=2, timeout=30)
        assert pids[1] != worker and alive(int(pids[1]))
        assert process.poll() is None
        descendants |= children_of(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        with django_db_blocker.unblock():
            from shared.accounts.models import User
            from xuncha.demo.core import demo_core_remove

            demo_core_remove()
            User.objects.filter(username__in=demo_usernames()).delete()
    log.seek(0)
    assert "all processes stopped" in log.read()
    time.sleep(0.5)
    assert [pid for pid in descendants if alive(pid)] == []
