from __future__ import annotations

import pytest
from django.db import connection

from tenants.reports.receivers import _Publication
from tests.tenants.workflow import flow_build


@pytest.fixture
def county_flow(orgs):
    """The flow built in a county (浚县), its rows counted as committed: they were built inside the test's own
    transaction, which never commits, so the live-figures publication they queued is marked as run; each
    test's own transactions, captured by django_capture_on_commit_callbacks, then queue their own."""
    flow = flow_build(orgs["county_a"])
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _Publication):
            entry[1].done = True
    return flow
