"""In-app notifications (the bell), the reminder ledger that makes every reminder fire once,
and the overdue notices a county sends up to its city (not to be confused with findings'
escalation, a clue about a county's own leadership raised to its city: tenants/findings/escalation.py)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck
from tenants.kernel.roles import MANAGERS


def office_roles() -> list[str]:
    return [role.value for role in MANAGERS]


class ReminderSettings(models.Model):
    """When reminders fire (one row per organisation; created with these presets when missing)."""

    singleton = models.BooleanField(default=True, editable=False)
    lead_working_days = models.PositiveSmallIntegerField(
        _("remind this many working days before a deadline"), default=3
    )
    annual_filing_due_month = models.PositiveSmallIntegerField(_("annual plan and summary filed by (month)"), default=1)
    annual_filing_due_day = models.PositiveSmallIntegerField(_("annual plan and summary filed by (day)"), default=31)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="reminders_settings_singleton"),
            FieldCheck(
                condition=models.Q(
                    annual_filing_due_month__gte=1,
                    annual_filing_due_month__lte=12,
                    annual_filing_due_day__gte=1,
                    annual_filing_due_day__lte=31,
                ),
                name="reminders_annual_due_valid",
                message=_("Give a valid month (1–12) and day (1–31)."),
                field="annual_filing_due_month",
            ),
        ]

    @classmethod
    def current(cls) -> ReminderSettings:
        row, _created = cls.objects.get_or_create(singleton=True)
        return row


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=32)
    item_key = models.CharField(_("item"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link (relative to the organisation)"), max_length=300, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    roles = ArrayField(models.CharField(max_length=32), verbose_name=_("for roles"), default=office_roles)
    # Only these people (of those roles) see it; empty = everyone holding one of the roles.
    user_ids = ArrayField(models.IntegerField(), verbose_name=_("for people"), default=list, blank=True)
    # The level of the object it is about: only people cleared for it see the notice at all.
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "item_key"], name="reminders_notification_once")]

    def __str__(self) -> str:
        return self.title


class NotificationRead(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")
    # Users live in the public schema: no cascade from there into organisation schemas.
    user = user_reference()
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "user"], name="reminders_read_once")]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon (即将到期)")
    OVERDUE = "overdue", _("Overdue (已逾期)")


class ReminderLedger(models.Model):
    """One row per reminder fired: (item, kind, due date) is unique, so a reminder fires once per
    due item however often the job runs; a changed due date is a new item to remind about."""

    item_type = models.CharField(_("item type"), max_length=32)
    item_key = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    due_date = models.DateField(_("due"))
    fired_on = models.DateField(_("fired on"))
    fired_at = models.DateTimeField(_("fired at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder fired")
        verbose_name_plural = _("reminders fired")
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_key", "kind", "due_date"], name="reminders_ledger_once")
        ]


class OverdueNotice(models.Model):
    """An overdue item this office reports to the office above (a county to its city). Owned by
    the office whose item is overdue; the city holds it as a replica and is notified."""

    item_type = models.CharField(_("item type"), max_length=32)
    item_key = models.CharField(_("item"), max_length=200)
    label = models.CharField(_("what is overdue"), max_length=300)
    due_date = models.DateField(_("due"))
    escalated_on = models.DateField(_("escalated on"))  # named as the bus body's key (sync.policy.OVERDUE_FIELDS)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")
        ordering = ["-escalated_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_key", "due_date"], name="reminders_escalation_once")
        ]

    @property
    def bus_key(self) -> str:
        return f"{self.item_type}:{self.item_key}:{self.due_date.isoformat()}"
