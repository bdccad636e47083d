"""The scheduled jobs: beat fans them out per organisation; each runs in its organisation only."""

import datetime

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from sync.models import OutboxMessage
from tenants.reminders.tasks import reminders_run_task
from tenants.reports.tasks import statistics_send_up_task
from xuncha.celery import app
from xuncha.tasks import OrganizationContextMissing


def test_beat_sends_the_jobs_to_every_organisation_through_fan_out():
    daily = settings.CELERY_BEAT_SCHEDULE["reminders-daily"]
    assert daily["task"] == "xuncha.fan_out" and daily["args"] == ("reminders.run",)
    statistics = settings.CELERY_BEAT_SCHEDULE["statistics-send-up-daily"]
    assert statistics["args"] == ("reports.statistics_send_up", ["county"])
    assert {"reminders.run", "reports.statistics_send_up"} <= set(app.tasks)


def test_jobs_refuse_to_run_in_public(orgs):
    with pytest.raises(OrganizationContextMissing):
        reminders_run_task()


def test_jobs_run_in_their_organisation(orgs):
    with schema_context(orgs["county_b"].schema_name):
        assert set(reminders_run_task()) == {"due_soon", "overdue", "resolved", "grants"}
        periods = statistics_send_up_task()
        today = datetime.date.today()
        assert periods[0] == str(today.year)
        rows = OutboxMessage.objects.filter(record_type="reports.statistics", record_key__in=periods)
        assert sorted(rows.values_list("destination", flat=True)) == ["410600", "410600"]
