# The reminders' "overdue escalation" is now the overdue notice (issue 11: findings' escalation is the other
# meaning). RenameModel renames the table in place (ALTER TABLE ... RENAME: no row is copied or lost); the
# bus record type (`reminders.overdue`) and the body's keys do not change.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reminders', '0003_notification_people_classification'),
    ]

    operations = [
        migrations.RenameModel(old_name='OverdueEscalation', new_name='OverdueNotice'),
        migrations.AlterModelOptions(
            name='overduenotice',
            options={
                'ordering': ['-escalated_on', '-id'],
                'verbose_name': 'overdue notice',
                'verbose_name_plural': 'overdue notices',
            },
        ),
    ]
