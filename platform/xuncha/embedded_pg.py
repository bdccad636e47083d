"""Zero-setup PostgreSQL for the demo and tests on a bare machine (pgserver).

`python -m xuncha.embedded_pg run -- CMD ...` runs CMD with DATABASE_URL set:
the given one when present, otherwise an embedded PostgreSQL 16 kept in
.run/pgdata, started for the command and stopped when it ends.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

import pgserver

DATABASE_NAME = "xuncha"


def run_dir() -> Path:
    default = Path(__file__).resolve().parent.parent.parent / ".run"
    return Path(os.environ.get("XUNCHA_RUN_DIR", default))


def start_embedded(*, cleanup_mode: str | None = "stop"):
    """Start (or attach to) the embedded server and make sure the database exists."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

    directory = run_dir()
    directory.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(directory / "pgdata", cleanup_mode=cleanup_mode)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    return server


def url_for(server) -> str:
    socket_dir = str(server.pgdata)
    return f"postgresql://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print("usage: python -m xuncha.embedded_pg run -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[2:]
    environment = dict(os.environ)
    server = None
    if not environment.get("DATABASE_URL"):
        server = start_embedded()
        environment["DATABASE_URL"] = url_for(server)
        print(f"[xuncha] embedded PostgreSQL at {server.pgdata} (DATABASE_URL not set)", flush=True)
    child = subprocess.Popen(command, env=environment)

    def forward(signum, _frame):
        # SIGTERM (or a SIGINT sent to this process alone) goes to the child, which stops its own
        # processes; we then return normally so the embedded server is stopped at exit.
        if child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return child.wait()
    finally:
        if child.poll() is None:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
