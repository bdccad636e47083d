"""The city's roll-up of a unified campaign (统一部署) names each county's stage in words."""

from datetime import date, timedelta

from django_tenants.utils import schema_context

from shared.accounts.models import Role
from sync.replicas import replicas_of
from tenants.crossorg.services import campaign_instantiate, campaign_launch
from tests.tenants.crossorg.conftest import deliver_all


def test_the_campaign_progress_table_shows_each_countys_stage_in_chinese(client, orgs, make_member):
    city_admin = make_member(orgs["city"], Role.OFFICE_ADMIN, clearance=3)
    county_admin = make_member(orgs["county_a"], Role.OFFICE_ADMIN, clearance=3)
    start = date(2026, 10, 12)
    with schema_context(orgs["city"].schema_name):
        campaign_launch(
            title="惠民资金专项联动巡察",
            topic="惠民资金",
            county_codes=["410621", "410622"],
            start_date=start,
            end_date=start + timedelta(days=60),
            actor=city_admin,
        )
    deliver_all(orgs["city"], orgs)
    with schema_context(orgs["county_a"].schema_name):
        [received] = replicas_of(record_type="planning.campaign", sources=["410600"])
        campaign_instantiate(
            replica=received,
            name="浚县惠民资金专项巡察",
            actor=county_admin,
            onsite_start=start,
            onsite_end=start + timedelta(days=30),
        )
    deliver_all(orgs["county_a"], orgs)

    client.force_login(city_admin)
    page = client.get("/org/410600/crossorg/").content.decode()

    table = page.split('data-testid="campaign-progress"', 1)[1].split("</table>", 1)[0]
    row_a = table.split("<td>浚县</td>", 1)[1].split("</tr>", 1)[0]
    assert "<td>浚县惠民资金专项巡察</td>" in row_a and "<td>计划</td>" in row_a
    assert "planned" not in table
    row_b = table.split("<td>淇县</td>", 1)[1].split("</tr>", 1)[0]
    assert "<td>尚未启动</td>" in row_b
