"""reminders 0004 renames OverdueEscalation to OverdueNotice (issue 11): the table is renamed in place, so
an organisation's open overdue items survive the upgrade and a downgrade alike."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

from tenants.reminders.models import OverdueNotice

BEFORE = ("reminders", "0003_notification_people_classification")
AFTER = ("reminders", "0004_overdue_notice")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def _tables():
    with connection.cursor() as cursor:
        return {table.name for table in connection.introspection.get_table_list(cursor)}


def test_the_rename_keeps_the_rows_of_an_organisation(orgs):
    with schema_context(orgs["county_a"].schema_name):
        assert "reminders_overduenotice" in _tables() and "reminders_overdueescalation" not in _tables()
        old_apps = _migrate(BEFORE)
        assert "reminders_overdueescalation" in _tables() and "reminders_overduenotice" not in _tables()
        old_apps.get_model("reminders", "OverdueEscalation").objects.create(
            item_type="hearing",
            item_key="round:7",
            label="浚县2026年第四轮巡察：领导小组听取汇报",
            due_date=datetime.date(2026, 12, 8),
            escalated_on=datetime.date(2026, 12, 9),
        )
        _migrate(AFTER)
        assert "reminders_overduenotice" in _tables() and "reminders_overdueescalation" not in _tables()
        notice = OverdueNotice.objects.get()
        assert (notice.item_key, notice.label, notice.due_date, notice.escalated_on, notice.resolved_on) == (
            "round:7",
            "浚县2026年第四轮巡察：领导小组听取汇报",
            datetime.date(2026, 12, 8),
            datetime.date(2026, 12, 9),
            None,
        )
