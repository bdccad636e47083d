"""The platform's long-running processes and a small supervisor for the demo.

Production runs each process under systemd or compose (deploy/); the demo
starts them all as children of `xuncha demo` and stops them all on Ctrl-C or
SIGTERM, so nothing is left behind. A child that dies is restarted with
back-off; one that keeps dying (or the web process) stops the demo with a
message naming it. Each demo instance (this machine + its database) has its
own Celery node name, Celery queue and sync-bus prefix, so two demos on one
RabbitMQ neither clash (a second `celery@host` pidbox is refused with
ResourceLocked and the worker dies) nor take each other's messages.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

DEFAULT_BIND = "127.0.0.1:8000"
LOCAL_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
STOP_TIMEOUT_SECONDS = 20
# A dying child is restarted after 1, 2, 4, 8, 16 s; after that many restarts in a row the demo stops.
RESTART_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0)
# A child that ran this long before dying is healthy again: its back-off starts over.
HEALTHY_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]
    essential: bool = False  # when it dies, the supervisor stops everything
    transport: str = ""  # what it talks through, for the banner
    # The environment of this child when it is not the supervisor's (another deployment's, e.g. the linked
    # province of `xuncha demo --province linked`).
    environment: dict[str, str] | None = field(default=None, compare=False)


def demo_instance_id(*, database_url: str, hostname: str | None = None) -> str:
    """A short stable id of one demo instance: this machine and the database it serves (host, port
    and name, never the password). Two demos on one broker get different ids."""
    parsed = urlparse(database_url or "")
    database = f"{unquote(parsed.hostname or '')}:{parsed.port or ''}/{parsed.path.lstrip('/')}"
    key = f"{hostname or socket.gethostname()}|{database}"
    return hashlib.sha256(key.encode()).hexdigest()[:10]


def worker_node_name(instance_id: str) -> str:
    """The Celery node name of this instance's worker (`%h` = the host name, filled in by Celery)."""
    return f"xuncha-{instance_id}@%h"


def shown_broker(url: str) -> str:
    """A broker URL for the banner, without its password."""
    parsed = urlparse(url)
    host = parsed.hostname or ""
    port = f":{parsed.port}" if parsed.port else ""
    user = f"{parsed.username}@" if parsed.username else ""
    return f"{parsed.scheme}://{user}{host}{port}{parsed.path or '/'}"


def xuncha_argv(*arguments: str) -> list[str]:
    """Run the `xuncha` CLI with this interpreter (works without the console script on PATH)."""
    return [sys.executable, "-m", "xuncha", *arguments]


def split_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"bind address must look like HOST:PORT, not {bind!r}")
    return host.strip("[]"), int(port)


def broker_reachable(url: str, *, timeout: float = 2.0) -> bool:
    parsed = urlparse(url)
    if parsed.scheme not in {"amqp", "amqps", "pyamqp"}:
        return False
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5672), timeout=timeout):
            return True
    except OSError:
        return False


def demo_process_specs(
    *,
    bind: str,
    with_sync: bool,
    available_commands: set[str],
    instance_id: str = "",
    broker_url: str = "",
    sync_prefix: str = "",
    jobs_queue: str = "",
) -> tuple[list[ProcessSpec], list[str]]:
    """The demo's children, and a note for each process that is not started and why. Each names the
    transport it uses: RabbitMQ (with the exchange prefix or queue) or the embedded one."""
    shown_host, _, port = bind.rpartition(":")
    shown_host = "127.0.0.1" if shown_host.strip("[]") in {"0.0.0.0", "::"} else shown_host
    specs = [
        ProcessSpec(
            "web", xuncha_argv("web", "--bind", bind), essential=True, transport=f"HTTP http://{shown_host}:{port}/"
        )
    ]
    notes = []
    if broker_url:
        sync_transport = f"sync bus: RabbitMQ {shown_broker(broker_url)}, exchange {sync_prefix or 'xuncha.sync'}"
        jobs_transport = f"jobs: RabbitMQ {shown_broker(broker_url)}, queue {jobs_queue or 'xuncha.jobs'}"
    else:
        sync_transport = "sync bus: embedded (PostgreSQL-table transport, docs/SYNC.md)"
        jobs_transport = "jobs: embedded (file queue in .run/celery-broker)"
    if "sync" in available_commands:
        if with_sync:
            specs.append(ProcessSpec("sync relay", xuncha_argv("sync", "relay"), transport=sync_transport))
            specs.append(ProcessSpec("sync consumer", xuncha_argv("sync", "consume"), transport=sync_transport))
        else:
            notes.append("sync relay / sync consumer: not started, no RabbitMQ reachable (set BROKER_URL)")
    else:
        notes.append("sync relay / sync consumer: not started, this build has no `xuncha sync` command yet")
    worker = ["worker", "--concurrency", "2"]
    if instance_id:
        node = worker_node_name(instance_id)
        worker += ["--hostname", node]
        jobs_transport += f", node {node.replace('%h', socket.gethostname())}"
    specs.append(ProcessSpec("celery worker", xuncha_argv(*worker), transport=jobs_transport))
    specs.append(ProcessSpec("celery beat", xuncha_argv("beat"), transport=jobs_transport.split(", node ")[0]))
    return specs, notes


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the supervisor dies without cleaning up (e.g. SIGKILL)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Supervisor:
    """Start children and wait; restart one that dies, with back-off; stop every one of them on a
    signal, when an essential one dies, or when one keeps dying (RESTART_DELAYS exhausted)."""

    def __init__(
        self,
        specs: list[ProcessSpec],
        *,
        environment: dict[str, str],
        write=print,
        restart_delays: tuple[float, ...] = RESTART_DELAYS,
        healthy_after: float = HEALTHY_AFTER_SECONDS,
    ):
        self.specs = specs
        self.environment = environment
        self.write = write
        self.restart_delays = restart_delays
        self.healthy_after = healthy_after
        self.children: list[tuple[ProcessSpec, subprocess.Popen]] = []
        self.stopping = False

    def _on_signal(self, signum, _frame) -> None:
        if not self.stopping:
            self.write(f"[xuncha] {signal.Signals(signum).name}: stopping all processes")
        self.stopping = True

    def _start(self, spec: ProcessSpec) -> subprocess.Popen:
        environment = spec.environment if spec.environment is not None else self.environment
        process = subprocess.Popen(spec.argv, env=environment, preexec_fn=_die_with_parent)
        self.write(f"[xuncha] started {spec.name:<14} pid {process.pid}: {' '.join(spec.argv[2:])}")
        return process

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        exit_code = 0
        try:
            started = {}
            for spec in self.specs:
                process = self._start(spec)
                self.children.append((spec, process))
                started[spec.name] = time.monotonic()
            restarts = {spec.name: 0 for spec in self.specs}
            due: dict[int, float] = {}  # child index -> when to start it again
            while not self.stopping:
                now = time.monotonic()
                for index, (spec, process) in enumerate(self.children):
                    if index in due:
                        if now >= due[index]:
                            del due[index]
                            self.children[index] = (spec, self._start(spec))
                            started[spec.name] = time.monotonic()
                        continue
                    code = process.poll()
                    if code is None:
                        continue
                    if spec.essential:
                        self.write(f"[xuncha] {spec.name} exited with status {code}: stopping the demo")
                        self.stopping, exit_code = True, 1
                        break
                    if now - started[spec.name] >= self.healthy_after:
                        restarts[spec.name] = 0
                    if restarts[spec.name] >= len(self.restart_delays):
                        self.write(
                            f"[xuncha] {spec.name} exited with status {code} again after "
                            f"{restarts[spec.name]} restarts: stopping the demo (its output is above)"
                        )
                        self.stopping, exit_code = True, 1
                        break
                    delay = self.restart_delays[restarts[spec.name]]
                    restarts[spec.name] += 1
                    self.write(
                        f"[xuncha] {spec.name} exited with status {code}: restarting in {delay:g}s "
                        f"(restart {restarts[spec.name]} of {len(self.restart_delays)})"
                    )
                    due[index] = now + delay
                time.sleep(0.2)
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return exit_code

    def stop_all(self) -> None:
        running = [(spec, process) for spec, process in self.children if process.poll() is None]
        for _spec, process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for spec, process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.write(f"[xuncha] {spec.name} did not stop in {STOP_TIMEOUT_SECONDS}s: killing it")
                process.kill()
                process.wait()
        if running:
            self.write("[xuncha] all processes stopped")


def environment_for_children(*, broker_url: str | None) -> dict[str, str]:
    environment = dict(os.environ)
    environment.setdefault("PYTHONUNBUFFERED", "1")
    if broker_url:
        environment["BROKER_URL"] = broker_url
    return environment
