"""What the benchmarks share: a maintenance connection (to create and drop their throwaway databases),
the relay/consumer processes they run as deployed, and the rows of `make bench`'s summary table."""

from __future__ import annotations

import json
import os
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

    def start(self, action: str, codes: list[str] = ()) -> subprocess.Popen:
        argv = [sys.executable, "-m", "xuncha", "sync", action, "--poll", "1"]
        for code in codes:
            argv += ["--org", code]
        process = subprocess.Popen(argv, env=self.environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.running.append(process)
        return process

    def stop(self, only: subprocess.Popen | None = None) -> None:
        """Stop every process (or `only` that one) with SIGTERM, as a process manager would."""
        stopping = [only] if only is not None else self.running
        for process in stopping:
            process.send_signal(signal.SIGTERM)
        for process in stopping:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        self.running = [process for process in self.running if process not in stopping]


def table_row(measure: str, figure: str, beside: str, ratio: str = "", goal: str = "") -> None:
    """One row of `make bench`'s summary table (bench/table.py prints them): a figure, what it is measured
    beside in the same run (a ceiling or a baseline), their ratio and the issue's goal. Appended to the file
    BENCH_TABLE names (nothing without it), with the load average at that moment."""
    path = os.environ.get("BENCH_TABLE")
    if not path:
        return
    row = {"measure": measure, "figure": figure, "beside": beside, "ratio": ratio, "goal": goal}
    row["load"] = f"{os.getloadavg()[0]:.1f}"
    with open(path, "a", encoding="utf-8") as file:
        file.write(json.dumps(row, ensure_ascii=False) + "\n")
