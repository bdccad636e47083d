"""Shared set-up for the reporting tests: plans, rounds and the in-process bus hop."""

from __future__ import annotations

import datetime
import uuid

from sync.testing import messages_deliver


def deliver_all(source, receiver, *, record_type: str) -> list[str]:
    """Relay + consume without the transport: every pending outbox row of `record_type` from
    `source` to `receiver`, encoded (signed) and received (verified, policy, inbox, on_receive)."""
    return [
        verdict.outcome for verdict in messages_deliver(source=source, receivers=[receiver], record_type=record_type)
    ]


def approved_annual_plan(user, *, year=2026, title=None):
    from tenants.planning.models import AnnualPlan, PlanApproval, PlanStatus

    plan = AnnualPlan.objects.create(
        year=year,
        title=title or f"{year}年度巡察工作计划",
        content="全年安排四轮巡察。",
        status=PlanStatus.APPROVED,
        created_by=user,
    )
    PlanApproval.objects.create(annual_plan=plan, decision="approved", note="同意", decided_by=user)
    return plan


def round_with_targets(
    user, *, name=None, onsite_start=datetime.date(2026, 3, 2), onsite_end=None, targets=2, state="on_site"
):
    from django.db import connection

    from tenants.rounds.models import Round, Team, TeamTarget
    from tenants.targets.models import Target

    name = name or f"第{uuid.uuid4().hex[:4]}轮巡察"
    managing_code = connection.schema_name.removeprefix("org_")  # the organisation whose schema is active
    round = Round.objects.create(
        name=name, onsite_start=onsite_start, onsite_end=onsite_end, created_by=user, state=state
    )
    team = Team.objects.create(round=round, name="第一巡察组")
    made = []
    for number in range(targets):
        target = Target.objects.create(name=f"{name}-单位{number}", level="county", managing_org_code=managing_code)
        TeamTarget.objects.create(team=team, round=round, target=target)
        made.append(target)
    return round, made
