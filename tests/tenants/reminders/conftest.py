"""The reminders' fixtures: a county round whose hearing deadline crosses a day off."""

import datetime

import pytest
from django_tenants.utils import schema_context

from tenants.office.models import HolidayOverride, OfficeSettings
from tenants.reminders.models import ReminderSettings
from tests.tenants.reports.helpers import round_with_targets

D = datetime.date


@pytest.fixture
def county_round(orgs, make_member):
    """County A: a round on site until Wed 2 Dec 2026; the hearing is due 3 working days later,
    and the office declared Mon 7 Dec a day off, so it is due Tue 8 Dec; reminders 2 working days
    ahead start Thu 3 Dec."""
    user = make_member(orgs["county_a"], "office_admin")
    with schema_context(orgs["county_a"].schema_name):
        OfficeSettings.objects.update_or_create(
            singleton=True, defaults={"hearing_working_days": 3, "hearing_deadline_mode": "working_days"}
        )
        ReminderSettings.objects.update_or_create(singleton=True, defaults={"lead_working_days": 2})
        HolidayOverride.objects.create(date=D(2026, 12, 7), is_working_day=False, note="本办调休")
        round, _targets = round_with_targets(
            user, name="浚县2026年第四轮巡察", onsite_start=D(2026, 11, 2), onsite_end=D(2026, 12, 2), state="reporting"
        )
    return user, round
