"""Celery tasks run in the organisation they were sent from: a real worker process, the real broker."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from xuncha.celery import app
from xuncha.tasks import current_schema, organizations_fan_out


def _test_database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "localhost"
    if host.startswith("/"):
        from urllib.parse import quote

        host = quote(host, safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgresql://{settings['USER']}@{host}{port}/{settings['NAME']}"


@pytest.fixture(scope="module")
def real_worker(django_db_setup, django_db_blocker):
    queue = f"xuncha-test-{uuid.uuid4().hex[:8]}"
    app.conf.update(broker_url=os.environ["BROKER_URL"], result_backend="rpc://", task_default_queue=queue)
    with django_db_blocker.unblock():
        database_url = _test_database_url()
    env = dict(os.environ, DATABASE_URL=database_url, CELERY_TASK_DEFAULT_QUEUE=queue, CELERY_RESULT_BACKEND="rpc://")
    with tempfile.TemporaryFile(mode="w+") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "xuncha",
                "worker",
                "--pool",
                "solo",
                "-Q",
                queue,
                "--hostname",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            # Wait until the worker answers, so a slow start on a loaded machine is not a task timeout.
            deadline = time.monotonic() + 180
            while not app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=1.0):
                if worker.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"celery worker did not start: {log.read()[-2000:]}")
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
            with app.connection_for_write() as broker:
                broker.default_channel.queue_delete(queue)


@pytest.mark.bus
def test_task_runs_in_the_schema_it_was_sent_from(orgs, real_worker):
    with schema_context(orgs["county_a"].schema_name):
        result = current_schema.delay()
    assert result.get(timeout=120) == "org_410621"


@pytest.mark.bus
def test_task_sent_outside_an_organisation_refuses_to_run_in_public(orgs, real_worker):
    result = current_schema.delay()
    with pytest.raises(Exception, match="must be sent from an organisation's context"):
        result.get(timeout=120)


@pytest.mark.bus
def test_fan_out_reaches_every_organisation_in_its_own_schema(orgs, real_worker):
    from xuncha.tasks import fan_out

    sent = organizations_fan_out(task_name="xuncha.current_schema", kinds=["county"])
    assert sorted(sent) == ["410611", "410621", "410622"]
    # The beat entry point itself runs in public and fans out from there.
    result = fan_out.delay("xuncha.current_schema", ["city"])
    assert result.get(timeout=120) == ["410600"]
