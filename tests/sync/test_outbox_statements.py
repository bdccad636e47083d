"""The producer's side of the bus (issue 14: at 500 deliveries/s the services' transactions were the largest CPU
cost on the machine): recording a change reads the organisation and the record's copies once each; what is held with
the record (its files) follows the holders it wrote, not another read of them (tests/tenants/attachments/
test_files_travel.py: withdrawn and raised documents take their files along)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from sync.models import OutboxMessage
from tenants.guidance.services import guidance_document_issue

ISSUED = datetime.date(2026, 3, 1)


def _statements(context: CaptureQueriesContext, fragment: str) -> int:
    return sum(fragment in query["sql"] for query in context.captured_queries)


def test_issuing_a_document_reads_its_copies_once_and_its_organisation_once(orgs):
    with schema_context(orgs["city"].schema_name), CaptureQueriesContext(connection) as issued:
        document = guidance_document_issue(title="指引", doc_type="template", issued_on=ISSUED, content="正文")
    with schema_context(orgs["city"].schema_name):
        destinations = sorted(
            OutboxMessage.objects.filter(record_key=str(document.pk)).values_list("destination", flat=True)
        )
    assert destinations == ["410611", "410621", "410622"]
    # the copies locked, then written (record_holders read them twice more before)
    assert _statements(issued, '"sync_sharedcopy"') == 2
    # the city with its parent, its children (the audience), the audience's references; before, the post_save
    # signal looked the city up, record_changed again and org_ref_of its parent: 5
    assert _statements(issued, '"orgs_organization"') == 3
    # no file: no savepoint for the files (the service's own and record_changed's remain)
    assert sum(query["sql"].startswith("SAVEPOINT") for query in issued.captured_queries) == 2
    # 22 before (the SET search_path of schema_context included): the five reads above, the files' SAVEPOINT and RELEASE
    assert len(issued.captured_queries) == 16, [query["sql"][:60] for query in issued.captured_queries]
