"""The site the browser tests drive: `xuncha web` in a subprocess against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.platform.test_demo import free_port, test_database_url_for_subprocesses, wait_until_up


@pytest.fixture
def site(django_db_setup, tmp_path):
    port = free_port()
    environment = dict(os.environ, DEBUG="1", DATABASE_URL=test_database_url_for_subprocesses(), PYTHONUNBUFFERED="1")
    log = (tmp_path / "web.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "xuncha", "web", "--bind", f"127.0.0.1:{port}"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


from tests.browser.demo_site import demo_site  # noqa: E402, F401  (the walks' seeded demo, once per session)
