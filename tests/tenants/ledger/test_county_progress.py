"""The county-progress column of the ledgers (tenants.ledger.sharing.progress_by_key) where no county reports."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.ledger.sharing import progress_by_key
from tenants.rectification.sharing import PROGRESS


def test_a_county_reads_no_county_progress_since_no_county_reports_to_a_county(orgs, city_access):
    """A county's parent is a city: no county is below it, so its ledgers' county-progress column costs nothing."""
    arguments = dict(
        record_type=PROGRESS,
        key_field="item_key",
        source_field="city",
        records={"1": object()},
        access=city_access,
        assignee=lambda record: "410621",
        fields=("status",),
    )
    connection.set_tenant(orgs["county_a"])
    try:
        with CaptureQueriesContext(connection) as captured:
            assert progress_by_key(**arguments) == {}
        assert len(captured) == 0
    finally:
        connection.set_schema_to_public()
