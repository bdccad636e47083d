"""Plans are submitted by the office and decided by the leading group, the decision recorded."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tenants.planning.models import PlanApproval
from tenants.planning.services import plan_create, plan_decide, plan_submit, plan_update


def test_annual_plan_approved_with_who_when_and_note(county, office_user, leading_user):
    multi = plan_create(
        kind="multi_year", actor=office_user, title="2022—2026年巡察规划", start_year=2022, end_year=2026
    )
    annual = plan_create(kind="annual", actor=office_user, title="2026年巡察工作计划", year=2026, multi_year_plan=multi)
    plan_submit(plan=annual)
    approval = plan_decide(plan=annual, decision="approved", actor=leading_user, note="同意")
    annual.refresh_from_db()
    assert annual.status == "approved"
    assert (approval.annual_plan, approval.decided_by, approval.note) == (annual, leading_user, "同意")
    assert approval.decided_at is not None


def test_returned_plan_needs_a_reason_and_can_be_revised_and_resubmitted(county, office_user, leading_user):
    annual = plan_create(kind="annual", actor=office_user, title="2027年计划", year=2027)
    phase = plan_create(
        kind="phase",
        actor=office_user,
        title="第一阶段",
        annual_plan=annual,
        start_date=date(2027, 3, 1),
        end_date=date(2027, 6, 30),
    )
    plan_submit(plan=phase)
    with pytest.raises(ValidationError) as refused:
        plan_decide(plan=phase, decision="returned", actor=leading_user)
    assert refused.value.code == "note_required"
    plan_decide(plan=phase, decision="returned", actor=leading_user, note="对象范围过宽")
    plan_update(plan=phase, title="第一阶段（修改）")
    plan_submit(plan=phase)
    plan_decide(plan=phase, decision="approved", actor=leading_user)
    assert list(PlanApproval.objects.filter(phase_schedule=phase).values_list("decision", flat=True)) == [
        "returned",
        "approved",
    ]


def test_only_submitted_plans_are_decided_and_approved_plans_are_frozen(county, office_user, leading_user):
    annual = plan_create(kind="annual", actor=office_user, title="2028年计划", year=2028)
    with pytest.raises(ValidationError):
        plan_decide(plan=annual, decision="approved", actor=leading_user)
    plan_submit(plan=annual)
    plan_decide(plan=annual, decision="approved", actor=leading_user)
    with pytest.raises(ValidationError):
        plan_update(plan=annual, title="改")


def test_bad_plan_input_is_refused(county, office_user):
    with pytest.raises(ValidationError):
        plan_create(kind="multi_year", actor=office_user, title="倒序", start_year=2026, end_year=2022)
    with pytest.raises(ValidationError):
        plan_create(kind="weekly", actor=office_user, title="?")
