"""A filing downloaded by the city carries its 密级 on the Word document when it is classified (a 秘密
hearing record) and none when it is not (an internal one), in the official layout."""

from __future__ import annotations

import datetime
import io

import pytest
from django_tenants.utils import schema_context
from docx import Document

from shared.accounts.models import Classification
from tenants.reports.services import filing_submit, hearing_record_create

from .helpers import round_with_targets


@pytest.fixture
def city_admin(orgs, make_member):
    return make_member(orgs["city"], "office_admin", clearance=Classification.SECRET)


def _filed_hearing(orgs, user, classification):
    with schema_context(orgs["city"].schema_name):
        round, _targets = round_with_targets(user)
        record = hearing_record_create(
            round_id=round.pk,
            heard_on=datetime.date(2026, 5, 20),
            chaired_by="张书记",
            attendees="领导小组成员",
            decisions="同意巡察报告",
            actor=user,
            classification=classification,
        )
        return filing_submit(kind="hearing_record", actor=user, organization=orgs["city"], subject_id=record.pk)


def test_a_secret_filing_is_marked_and_an_internal_one_is_not(client, orgs, city_admin):
    secret = _filed_hearing(orgs, city_admin, Classification.SECRET)
    internal = _filed_hearing(orgs, city_admin, Classification.INTERNAL)
    client.force_login(city_admin)
    paragraphs = {}
    for name, filing in (("secret", secret), ("internal", internal)):
        response = client.get(f"{orgs['city'].route}reports/filings/{filing.pk}/export.docx")
        assert response.status_code == 200
        paragraphs[name] = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert paragraphs["secret"][0] == "秘密" and paragraphs["secret"][1] == secret.title
    assert paragraphs["internal"][0] == internal.title and "秘密" not in paragraphs["internal"]
