"""The platform's long-running processes and a small supervisor for the demo.

Production runs each process under systemd or compose (deploy/); the demo
starts them all as children of `xuncha demo` and stops them all on Ctrl-C or
SIGTERM, so nothing is left behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlparse

DEFAULT_BIND = "127.0.0.1:8000"
LOCAL_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
STOP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]
    essential: bool = False  # when it dies, the supervisor stops everything


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


def demo_process_specs(*, bind: str, with_sync: bool, available_commands: set[str]) -> tuple[list[ProcessSpec], list[str]]:
    """The demo's children, and a note for each process that is not started and why."""
    specs = [ProcessSpec("web", xuncha_argv("web", "--bind", bind), essential=True)]
    notes = []
    if "sync" in available_commands:
        if with_sync:
            specs.append(ProcessSpec("sync relay", xuncha_argv("sync", "relay")))
            specs.append(ProcessSpec("sync consumer", xuncha_argv("sync", "consume")))
        else:
            notes.append("sync relay / sync consumer: not started, no RabbitMQ reachable (set BROKER_URL)")
    else:
        notes.append("sync relay / sync consumer: not started, this build has no `xuncha sync` command yet")
    specs.append(ProcessSpec("celery worker", xuncha_argv("worker", "--concurrency", "2")))
    specs.append(ProcessSpec("celery beat", xuncha_argv("beat")))
    return specs, notes


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the supervisor dies without cleaning up (e.g. SIGKILL)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Supervisor:
    """Start children, wait, and stop every one of them on a signal or when an essential one dies."""

    def __init__(self, specs: list[ProcessSpec], *, environment: dict[str, str], write=print):
        self.specs = specs
        self.environment = environment
        self.write = write
        self.children: list[tuple[ProcessSpec, subprocess.Popen]] = []
        self.stopping = False

    def _on_signal(self, signum, _frame) -> None:
        if not self.stopping:
            self.write(f"[xuncha] {signal.Signals(signum).name}: stopping all processes")
        self.stopping = True

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        exit_code = 0
        try:
            for spec in self.specs:
                process = subprocess.Popen(spec.argv, env=self.environment, preexec_fn=_die_with_parent)
                self.children.append((spec, process))
                self.write(f"[xuncha] started {spec.name:<14} pid {process.pid}: {' '.join(spec.argv[2:])}")
            reported: set[int] = set()
            while not self.stopping:
                for spec, process in self.children:
                    code = process.poll()
                    if code is None or process.pid in reported:
                        continue
                    reported.add(process.pid)
                    self.write(f"[xuncha] {spec.name} exited with status {code}")
                    if spec.essential:
                        self.stopping = True
                        exit_code = 1
                time.sleep(0.2)
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return exit_code

    def stop_all(self) -> None:
        running = [(spec, process) for spec, process in self.children if process.poll() is None]
        for _spec, process in running:
            try:
                process.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
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
