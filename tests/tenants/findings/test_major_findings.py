"""Major findings go up: a county's grave finding reaches its city's oversight page as a projection, and
nothing else of a finding (minor ones, 机密 ones, a city's own) leaves its office."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access
from sync.models import OutboxMessage, Replica
from tenants.audit.models import AuditEvent
from tests.tenants.reports.helpers import deliver_all, round_with_targets

FINDING = "findings.finding"


def _finding(org, user, *, severity="grave", classification=Classification.INTERNAL, title="挤占挪用涉农资金"):
    from tenants.findings.services import finding_create
    from tenants.office.models import FindingCategory

    with schema_context(org.schema_name):
        round, targets = round_with_targets(user, targets=1)
        return finding_create(
            actor=user,
            access=organization_access(person=user, organization_id=org.pk),
            round=round,
            target=targets[0],
            category=FindingCategory.objects.get(code="work-discipline"),
            title=title,
            description="2025年挤占涉农资金120万元用于办公楼装修。",
            evidence="EVIDENCE-记账凭证第12号",
            severity=severity,
            classification=classification,
        )


def _outbox(org, finding):
    with schema_context(org.schema_name):
        return list(OutboxMessage.objects.filter(record_type=FINDING, record_key=str(finding.pk)))


@pytest.fixture
def county_admin(orgs, make_member):
    return make_member(orgs["county_a"], "office_admin", clearance=Classification.CONFIDENTIAL)


def test_a_countys_grave_finding_reaches_the_city_as_a_projection(orgs, county_admin, make_member, client):
    finding = _finding(orgs["county_a"], county_admin, classification=Classification.SECRET)
    assert [row.destination for row in _outbox(orgs["county_a"], finding)] == ["410600"]
    assert deliver_all(orgs["county_a"], orgs["city"], record_type=FINDING) == ["applied"]
    with schema_context(orgs["city"].schema_name):
        replica = Replica.objects.get(record_type=FINDING, source="410621", record_key=str(finding.pk))
    assert replica.classification == Classification.SECRET
    assert set(replica.body) == {
        "title",
        "category",
        "target_name",
        "round_name",
        "summary",
        "is_major",
        "classification",
    }
    assert replica.body["is_major"] is True and "EVIDENCE" not in str(replica.body)

    cleared = make_member(orgs["city"], "office_staff", clearance=Classification.SECRET)
    client.force_login(cleared)
    page = client.get(f"{orgs['city'].route}reports/oversight/").content.decode()
    assert "挤占挪用涉农资金" in page and "办公楼装修" in page
    with schema_context(orgs["city"].schema_name):
        assert AuditEvent.objects.filter(
            record_type="sync.replica", record_key=str(replica.pk), user_id=cleared.pk
        ).exists()

    internal_only = make_member(orgs["city"], "leading_group", clearance=Classification.INTERNAL)
    client.force_login(internal_only)
    page = client.get(f"{orgs['city'].route}reports/oversight/").content.decode()
    assert "挤占挪用涉农资金" not in page


@pytest.mark.parametrize(
    "severity, classification",
    [
        ("minor", Classification.INTERNAL),  # not major
        ("serious", Classification.SECRET),  # not major
        ("grave", Classification.CONFIDENTIAL),  # major, but 机密 never leaves
    ],
)
def test_what_is_not_a_major_shareable_finding_stays_in_the_county(orgs, county_admin, severity, classification):
    assert (
        _outbox(
            orgs["county_a"], _finding(orgs["county_a"], county_admin, severity=severity, classification=classification)
        )
        == []
    )


def test_a_citys_own_grave_finding_goes_nowhere(orgs, make_member):
    city_admin = make_member(orgs["city"], "office_admin", clearance=Classification.CONFIDENTIAL)
    assert _outbox(orgs["city"], _finding(orgs["city"], city_admin)) == []


def test_the_oversight_page_shows_the_major_findings_a_page_at_a_time_and_logs_only_those_shown(
    orgs, county_admin, make_member, client, settings
):
    settings.XUNCHA_PAGE_SIZE = 2
    for title in ("第一个重大问题", "第二个重大问题", "第三个重大问题"):
        _finding(orgs["county_a"], county_admin, title=title, classification=Classification.SECRET)
    assert deliver_all(orgs["county_a"], orgs["city"], record_type=FINDING) == ["applied"] * 3
    reader = make_member(orgs["city"], "office_staff", clearance=Classification.SECRET)
    client.force_login(reader)
    first = client.get(f"{orgs['city'].route}reports/oversight/").content.decode()
    assert "第三个重大问题" in first and "第二个重大问题" in first and "第一个重大问题" not in first  # newest first
    assert 'data-testid="pager"' in first and "第 1 / 2 页" in first and "下一页" in first
    second = client.get(f"{orgs['city'].route}reports/oversight/", {"findings": 2}).content.decode()
    assert "第一个重大问题" in second and "第三个重大问题" not in second and "上一页" in second
    with schema_context(orgs["city"].schema_name):
        logged = AuditEvent.objects.filter(record_type="sync.replica", user_id=reader.pk)
        assert logged.count() == 3  # two shown on the first page, one on the second
