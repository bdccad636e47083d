"""Steps of the province filing story and of a county's 督办, run inside one deployment's own Django by its CLI
(`deployment.python("from tests.deployments.stories import ...; ...")`), through the same services the pages call.
Each prints one JSON line that the test reads back (`step_result`)."""

from __future__ import annotations

import json

from django_tenants.utils import schema_context

PASSWORD = "correct-horse-battery"


def _say(**result: object) -> None:
    print("STEP " + json.dumps(result, ensure_ascii=False))


def step_result(output: str) -> dict:
    """The JSON a step printed (the last STEP line of the output)."""
    lines = [line for line in output.splitlines() if line.startswith("STEP ")]
    if not lines:
        raise AssertionError(f"the step printed no result:\n{output[-3000:]}")
    return json.loads(lines[-1][5:])


def _person(code: str, role: str, clearance: int, username: str):
    from shared.accounts.models import Membership, User
    from shared.orgs.models import Organization

    user, created = User.objects.get_or_create(username=username, defaults={"display_name": username})
    if created:
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.create(
            user=user, organization=Organization.objects.get(code=code), role=role, clearance=clearance
        )
    return user


def city_files_annual_plan(*, city: str, year: int) -> None:
    """The city approves its annual plan through the plan services and files it with the province."""
    from shared.orgs.models import Organization
    from tenants.planning.services import plan_create, plan_decide, plan_submit
    from tenants.reports.services import filing_submit

    organization = Organization.objects.get(code=city)
    with schema_context(organization.schema_name):
        user = _person(city, "office_admin", 2, f"filer-{city}")
        plan = plan_create(
            kind="annual", actor=user, year=year, title=f"{year}年度巡察工作计划", content="安排三轮常规巡察。"
        )
        plan_submit(plan=plan)
        plan_decide(plan=plan, decision="approved", actor=user, note="领导小组审议同意")
        filing = filing_submit(
            kind="annual_plan", actor=user, organization=organization, subject_id=plan.pk, note="请审阅备案。"
        )
        _say(key=str(filing.key), title=filing.title)


def province_decides(*, province: str, source: str, key: str, status: str, comment: str) -> None:
    """The province returns (with a comment) or acknowledges the filing it received."""
    from shared.orgs.models import Organization
    from tenants.reports.models import FilingReceipt
    from tenants.reports.services import filing_decide

    with schema_context(Organization.objects.get(code=province).schema_name):
        user = _person(province, "office_admin", 3, f"office-{province}")
        receipt = FilingReceipt.objects.get(source_code=source, filing_key=key)
        receipt = filing_decide(receipt=receipt, status=status, comment=comment, actor=user)
        _say(status=receipt.status, revision=receipt.filing_revision)


def city_refiles(*, city: str, key: str, note: str) -> None:
    from shared.orgs.models import Organization
    from tenants.reports.models import Filing
    from tenants.reports.services import filing_refile

    organization = Organization.objects.get(code=city)
    with schema_context(organization.schema_name):
        user = _person(city, "office_admin", 2, f"filer-{city}")
        filing = filing_refile(filing=Filing.objects.get(key=key), actor=user, organization=organization, note=note)
        _say(revision=filing.revision, status=filing.status)


def city_supervises_item(*, city: str, county: str) -> None:
    """The city walks a round to feedback and adds a rectification item for a unit `county` manages: the item
    goes to that county's 督办 ledger."""
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tests.tenants.workflow import supervised_item_add

    organization = Organization.objects.get(code=city)
    with schema_context(organization.schema_name):
        office = _person(city, "office_admin", 2, f"office-{city}")
        leading = _person(city, "leading_group", 2, f"leading-{city}")
        item = supervised_item_add(
            office=office,
            office_access=organization_access(person=office, organization_id=organization.pk),
            leading=leading,
            leading_access=organization_access(person=leading, organization_id=organization.pk),
            county_code=county,
            target_name="跨部署督办单位",
            round_name="跨部署督办轮次",
            problem="跨部署督办问题",
        )
        _say(item=item.pk)


def county_reports_progress(*, county: str, city: str, item: int, note: str) -> None:
    """The county reports progress on the city's item in its 督办 ledger (it goes up to the city)."""
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.ledger.services import ledger_progress_report
    from tenants.rectification.models import SupervisedItem

    organization = Organization.objects.get(code=county)
    with schema_context(organization.schema_name):
        user = _person(county, "office_staff", 1, f"staff-{county}")
        ledger = SupervisedItem.objects.get(source=city, record_key=str(item))
        ledger_progress_report(
            actor=user,
            access=organization_access(person=user, organization_id=organization.pk),
            record=ledger,
            status="in_progress",
            progress_note=note,
        )
        _say(ledger=ledger.pk)
