"""A filing travels city → province and the province's answer back to the city, with versions
(in process: signed envelope, policy on both ends, inbox, arrival hooks; the transport itself is
exercised in test_filing_bus.py against RabbitMQ)."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from sync import inbox
from sync.models import OutboxMessage, Replica
from tenants.reports.models import Filing, FilingReceipt, FilingRevision, FilingStatus
from tenants.reports.services import filing_decide, filing_refile, filing_submit

from .helpers import approved_annual_plan, deliver_all


@pytest.fixture
def city_user(orgs, make_member):
    return make_member(orgs["city"], "office_admin")


@pytest.fixture
def province_user(orgs, make_member):
    return make_member(orgs["province"], "province_viewer")


def _file_plan(orgs, user, **extra):
    with schema_context(orgs["city"].schema_name):
        plan = approved_annual_plan(user, year=2031)
        return filing_submit(kind="annual_plan", subject_id=plan.pk, actor=user, organization=orgs["city"], **extra)


def _receipt(orgs, filing):
    with schema_context(orgs["province"].schema_name):
        return FilingReceipt.objects.get(source_code="410600", filing_key=filing.key)


def _filing(orgs, filing):
    with schema_context(orgs["city"].schema_name):
        return Filing.objects.get(pk=filing.pk)


def test_filing_goes_to_the_province_only_and_comes_back_received(orgs, city_user):
    filing = _file_plan(orgs, city_user, note="请审阅")
    with schema_context(orgs["city"].schema_name):
        rows = list(OutboxMessage.objects.filter(record_type="reports.filing", record_key=str(filing.key)))
    assert [row.destination for row in rows] == ["410000"]
    assert rows[0].body["content"]["year"] == 2031 and rows[0].body["revision"] == 1
    assert _filing(orgs, filing).status == FilingStatus.SENT

    assert deliver_all(orgs["city"], orgs["province"], record_type="reports.filing") == [inbox.APPLIED]
    with schema_context(orgs["province"].schema_name):
        replica = Replica.objects.get(record_type="reports.filing", source="410600", record_key=str(filing.key))
        assert replica.body["title"] == "2031年度巡察工作计划" and replica.body["note"] == "请审阅"
    assert _receipt(orgs, filing).status == "received"

    assert deliver_all(orgs["province"], orgs["city"], record_type="reports.filing_receipt") == [inbox.APPLIED]
    assert _filing(orgs, filing).status == FilingStatus.RECEIVED


def test_returned_filing_is_corrected_and_refiled_as_a_new_revision(orgs, city_user, province_user):
    filing = _file_plan(orgs, city_user)
    deliver_all(orgs["city"], orgs["province"], record_type="reports.filing")
    with schema_context(orgs["province"].schema_name):
        filing_decide(
            receipt=_receipt(orgs, filing), status="returned", comment="请补充阶段任务安排", actor=province_user
        )
    deliver_all(orgs["province"], orgs["city"], record_type="reports.filing_receipt")
    returned = _filing(orgs, filing)
    assert (returned.status, returned.status_comment) == (FilingStatus.RETURNED, "请补充阶段任务安排")
    with schema_context(orgs["city"].schema_name):
        from tenants.reminders.models import Notification

        assert Notification.objects.filter(kind="filing_returned", body="请补充阶段任务安排").count() == 1
        # the correction is made in the plan itself, then the filing is generated again
        returned.content  # noqa: B018
        from tenants.planning.models import AnnualPlan

        AnnualPlan.objects.filter(year=2031).update(content="全年安排四轮巡察；分两个阶段。")
        refiled = filing_refile(filing=returned, actor=city_user, organization=orgs["city"], note="已按意见修改")
        assert refiled.revision == 2 and refiled.status == FilingStatus.SENT
        assert refiled.content["text"] == "全年安排四轮巡察；分两个阶段。"
        revisions = list(
            FilingRevision.objects.filter(filing=refiled)
            .order_by("number")
            .values_list("number", "outcome", "outcome_comment")
        )
        assert revisions == [(1, "returned", "请补充阶段任务安排"), (2, "sent", "")]

    deliver_all(orgs["city"], orgs["province"], record_type="reports.filing")
    with schema_context(orgs["province"].schema_name):
        replica = Replica.objects.get(record_type="reports.filing", record_key=str(filing.key))
        assert replica.body["revision"] == 2 and replica.body["content"]["text"].endswith("分两个阶段。")
        receipt = _receipt(orgs, filing)
        assert (receipt.filing_revision, receipt.status, receipt.comment) == (2, "received", "")
        filing_decide(receipt=receipt, status="acknowledged", comment="", actor=province_user, revision=2)
    deliver_all(orgs["province"], orgs["city"], record_type="reports.filing_receipt")
    assert _filing(orgs, filing).status == FilingStatus.ACKNOWLEDGED


def test_return_needs_a_comment_and_a_revision_is_answered_once(orgs, city_user, province_user):
    filing = _file_plan(orgs, city_user)
    deliver_all(orgs["city"], orgs["province"], record_type="reports.filing")
    with schema_context(orgs["province"].schema_name):
        receipt = _receipt(orgs, filing)
        with pytest.raises(ValidationError, match="correct"):
            filing_decide(receipt=receipt, status="returned", comment="  ", actor=province_user)
        filing_decide(receipt=receipt, status="acknowledged", comment="", actor=province_user)
        with pytest.raises(ValidationError, match="already been answered"):
            filing_decide(receipt=receipt, status="returned", comment="晚了", actor=province_user)
        assert FilingReceipt.objects.get(pk=receipt.pk).status == "acknowledged"


def test_only_a_returned_filing_can_be_refiled_and_only_approved_plans_filed(orgs, city_user):
    filing = _file_plan(orgs, city_user)
    with schema_context(orgs["city"].schema_name):
        with pytest.raises(ValidationError, match="returned"):
            filing_refile(filing=filing, actor=city_user, organization=orgs["city"])
        with pytest.raises(ValidationError, match="already been filed"):
            filing_submit(
                kind="annual_plan", subject_id=filing.subject.split(":")[1], actor=city_user, organization=orgs["city"]
            )
        from tenants.planning.models import AnnualPlan

        draft = AnnualPlan.objects.create(year=2032, title="2032草案", created_by=city_user)
        with pytest.raises(ValidationError, match="approved"):
            filing_submit(kind="annual_plan", subject_id=draft.pk, actor=city_user, organization=orgs["city"])
        assert Filing.objects.filter(subject__in=[filing.subject, f"annual_plan:{draft.pk}"]).count() == 1
        assert OutboxMessage.objects.filter(record_type="reports.filing", record_key=str(filing.key)).count() == 1


def test_a_county_cannot_file_with_the_province(orgs, make_member):
    user = make_member(orgs["county_a"], "office_admin")
    with schema_context(orgs["county_a"].schema_name):
        with pytest.raises(ValidationError, match="Only a city"):
            filing_submit(kind="statistics", period="2031", actor=user, organization=orgs["county_a"])
        assert not Filing.objects.filter(kind="statistics").exists()
