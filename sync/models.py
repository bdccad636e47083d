"""Tenant-schema tables of the bus: the owner's side (shared records, per-destination copies,
outbox) and the receiver's side (replicas, inbox, dead letters)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sync.registry import record_type_get


class SharedRecord(models.Model):
    """Owner side: the version the owner gave a shared record; only the owner increments it."""

    record_type = models.CharField(max_length=100)
    record_key = models.CharField(max_length=200)
    version = models.PositiveBigIntegerField(default=0)
    deleted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record_type", "record_key"], name="sync_sharedrecord_unique")]


class SharedCopy(models.Model):
    """Owner side: what each destination should hold (its projection at the last version sent,
    or a tombstone); anti-entropy compares it with the destination's replica."""

    record_type = models.CharField(max_length=100)
    record_key = models.CharField(max_length=200)
    destination = models.CharField(max_length=6)
    version = models.PositiveBigIntegerField()
    schema_version = models.PositiveIntegerField(default=1)
    classification = models.PositiveSmallIntegerField(default=1)
    tombstone = models.BooleanField(default=False)
    body = models.JSONField(null=True)
    digest = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_key", "destination"], name="sync_sharedcopy_unique")
        ]
        indexes = [models.Index(fields=["destination", "record_type"], name="sync_copy_dest")]


class OutboxMessage(models.Model):
    """A message to publish, written in the same transaction as the domain change."""

    message_id = models.UUIDField(default=uuid.uuid4, unique=True)
    record_type = models.CharField(max_length=100)
    schema_version = models.PositiveIntegerField()
    record_key = models.CharField(max_length=200)
    destination = models.CharField(max_length=6)
    version = models.PositiveBigIntegerField()
    classification = models.PositiveSmallIntegerField()
    tombstone = models.BooleanField(default=False)
    body = models.JSONField(null=True)
    # A body sealed to the destination before it was written (sync.envelope.envelope_seal): set
    # instead of `body` for records that must never be stored in clear at the source.
    sealed = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], name="sync_outbox_pending", condition=models.Q(sent_at__isnull=True)
            )
        ]


class Replica(models.Model):
    """Receiver side: the newest version received of another organisation's record."""

    record_type = models.CharField(max_length=100)
    source = models.CharField(max_length=6)
    record_key = models.CharField(max_length=200)
    version = models.PositiveBigIntegerField()
    schema_version = models.PositiveIntegerField()
    classification = models.PositiveSmallIntegerField()
    tombstone = models.BooleanField(default=False)
    body = models.JSONField(null=True)
    digest = models.CharField(max_length=64)
    message_id = models.UUIDField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_type", "source", "record_key"], name="sync_replica_unique")
        ]
        # A source's latest arrival (the city's oversight page: when each county last synchronised).
        indexes = [models.Index(fields=["source", "-received_at"], name="sync_replica_source_received")]


class InboxOutcome(models.TextChoices):
    APPLIED = "applied", _("applied")
    STALE = "stale", _("not newer; ignored")


class InboxMessage(models.Model):
    """Receiver side: every message id processed, recorded in the apply transaction."""

    message_id = models.UUIDField(unique=True)
    record_type = models.CharField(max_length=100)
    source = models.CharField(max_length=6)
    record_key = models.CharField(max_length=200)
    version = models.PositiveBigIntegerField()
    outcome = models.CharField(max_length=16, choices=InboxOutcome.choices)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["received_at"], name="sync_inbox_received")]


# What operators read for each refusal reason (the reason itself is a stable code kept in the row).
DEAD_LETTER_REASONS = {
    "malformed": _("Malformed message"),
    "oversized": _("Message too large"),
    "unsigned": _("Not signed"),
    "forged": _("Signature does not verify"),
    "misaddressed": _("Addressed to another organisation"),
    "unknown-source": _("Unknown sender"),
    "unknown-type": _("Unknown record type or version"),
    "unsealable": _("Cannot be opened here"),
    "policy": _("Refused by the sharing rules"),
    "refused": _("Refused by the receiver's rules"),
    "delivery-limit": _("Failed too many times"),
}


class DeadLetter(models.Model):
    """Receiver side: a message refused (never applied), with its reason; shown to operators.
    Holds addressing only, never the body (it may be confidential or hostile)."""

    fingerprint = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=10, blank=True)
    record_type = models.CharField(max_length=100, blank=True)
    record_key = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=32)
    detail = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    @property
    def reason_label(self) -> str:
        return str(DEAD_LETTER_REASONS.get(self.reason, _("Refused")))

    @property
    def record_type_label(self) -> str:
        """What the record is, in words (a registered model's name); its code is kept for the page's title."""
        spec = record_type_get(self.record_type) if self.record_type else None
        if spec is None or spec.model is None:
            return str(_("Unknown record type")) if self.record_type else "-"
        return str(spec.model._meta.verbose_name)
