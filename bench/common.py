"""What the benchmarks share: a maintenance connection (to create and drop their throwaway databases) and
the relay/consumer processes they run as deployed."""

from __future__ import annotations

import signal
import subprocess
import sys

import dj_database_url
import psycopg2


def connect_maintenance(url: str):
    """An autocommit connection to the `postgres` database of DATABASE_URL's server, and DATABASE_URL's name."""
    params = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    connection.autocommit = True
    return connection, params["NAME"]


class Processes:
    """`xuncha sync relay|consume` as separate processes (for the given organisations, or all of them)."""

    def __init__(self, environment: dict):
        self.environment = environment
        self.running: list[subprocess.Popen] = []

    def start(self, action: str, codes: list[str] = ()) -> None:
        argv = [sys.executable, "-m", "xuncha", "sync", action, "--poll", "1"]
        for code in codes:
            argv += ["--org", code]
        self.running.append(
            subprocess.Popen(argv, env=self.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )

    def stop(self) -> None:
        for process in self.running:
            process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running = []
