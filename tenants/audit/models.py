"""The access audit log: one append-only, HMAC-chained table in every organisation's schema.

Why per organisation: the log of who read an organisation's classified records belongs to the
office that owns them (and travels with its schema: backups, Citus placement); grants into an
organisation are logged there too. The database itself refuses UPDATE, DELETE and TRUNCATE, and
a BEFORE INSERT trigger, under a per-schema lock, admits a row only at the next chain position,
linked to the head's hash, at the database clock's time (migrations/0002, 0006), so concurrent
writers cannot fork the chain and no writer can skip it. Each row's hash is an HMAC-SHA256 under
settings.XUNCHA_AUDIT_KEY, a key the database never holds: whoever edits a row in the database
and recomputes the later hashes cannot produce them (`tenants.audit.selectors.audit_chain_verify`).
Signed checkpoints of the head kept outside the database (tenants/audit/anchors.py) reveal the
removal of the newest rows.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.constraints import FieldCheck

GENESIS_HASH = "0" * 64
FIELD_SEPARATOR = "\x1f"


class AuditAction(models.TextChoices):
    READ = "read", _("Read (查阅)")
    LIST = "list", _("Listed (列表查看)")
    EXPORT = "export", _("Exported (导出)")
    GRANT_CREATE = "grant_create", _("Access granted (授权)")
    GRANT_CHANGE = "grant_change", _("Access changed (授权变更)")
    GRANT_REVOKE = "grant_revoke", _("Access revoked (撤销授权)")
    RECLASSIFY = "reclassify", _("Reclassified (密级变更)")
    ESCALATE = "escalate", _("Escalated to the city (报送上级)")
    INFORMANT_READ = "informant_read", _("Informant identity disclosed (查阅反映人身份)")
    TOKEN_CREATE = "token_create", _("API token made (创建接口令牌)")
    TOKEN_REVOKE = "token_revoke", _("API token revoked (撤销接口令牌)")
    # The administrators' own actions (三员分立), each with the values before and after in `detail`.
    ACCOUNT_CREATE = "account_create", _("Account created (创建账号)")
    ACCOUNT_CHANGE = "account_change", _("Account changed (修改账号)")
    MEMBERSHIP_CREATE = "membership_create", _("Membership granted (授予角色)")
    MEMBERSHIP_CHANGE = "membership_change", _("Membership changed (变更角色)")
    SETTINGS_CHANGE = "settings_change", _("Office settings changed (修改巡察办设置)")
    # The audit key changed: the rows before it are re-hashed under the new key (tenants/audit/rekey.py).
    REKEY = "rekey", _("Audit key changed (审计密钥更换)")
    # A city's unified campaign (统一部署): a reminder to a county, and the campaign's closing.
    CAMPAIGN_REMIND = "campaign_remind", _("Campaign reminder sent (统一部署催办)")
    CAMPAIGN_CLOSE = "campaign_close", _("Campaign closed (统一部署结束)")


class AuditEvent(models.Model):
    # Chain fields: set by tenants.audit.services.audit_events_append under the chain lock, checked by the trigger.
    seq = models.BigIntegerField(_("chain position"), db_default=0, editable=False)
    at = models.DateTimeField(_("at"), db_default=Now(), editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, db_default="", editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, db_default="", editable=False)

    # No foreign key to the user: the log must outlive accounts and cannot be cascaded away.
    user_id = models.BigIntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150, default="")
    organization_code = models.CharField(_("organisation"), max_length=6)
    access_via = models.CharField(
        _("access via"), max_length=40, default="", help_text=_("membership, grant:<id>, token:<key>, or system")
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    record_type = models.CharField(_("record type"), max_length=100)
    record_key = models.CharField(_("record key"), max_length=100)
    classification = models.PositiveSmallIntegerField(_("classification"), choices=Classification.choices)
    ip = models.CharField(_("IP address"), max_length=45, default="")
    user_agent = models.CharField(_("user agent"), max_length=300, default="")
    detail = models.TextField(_("detail (JSON, never record content)"), default="")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["seq"], name="audit_event_unique_seq"),
            FieldCheck(
                condition=models.Q(seq__gte=1),
                name="audit_event_seq_positive",
                message=_("The audit sequence starts at 1."),
                field="seq",
            ),
        ]
        indexes = [
            models.Index(fields=["record_type", "record_key"], name="audit_event_record_idx"),
            models.Index(fields=["user_id", "at"], name="audit_event_user_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.username} {self.action} {self.record_type}:{self.record_key}"

    def keyed_hash(self, key: bytes | None = None) -> str:
        """The row's hash: HMAC-SHA256 of canonical() under the audit key (not in the database), or under `key`."""
        secret = settings.XUNCHA_AUDIT_KEY if key is None else key
        return hmac.new(secret, self.canonical().encode("utf-8"), hashlib.sha256).hexdigest()

    def unkeyed_hash(self) -> str:
        """The hash rows had before the chain was keyed (migration 0002's trigger: plain SHA-256 of canonical())."""
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()

    def rehash_step(self, previous: str) -> str:
        """One step of a rekey's re-hash (tenants/audit/rekey.py): the rows before a key change, chained again under
        the current key, each step covering the row's whole canonical text."""
        text = FIELD_SEPARATOR.join([previous, self.canonical()])
        return hmac.new(settings.XUNCHA_AUDIT_KEY, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def canonical(self) -> str:
        """The text the row hash covers: every field, the chain position and the previous row's hash."""
        at_utc = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
        return FIELD_SEPARATOR.join(
            [
                str(self.seq),
                at_utc,
                "" if self.user_id is None else str(self.user_id),
                self.username,
                self.organization_code,
                self.access_via,
                self.action,
                self.record_type,
                self.record_key,
                str(self.classification),
                self.ip,
                self.user_agent,
                self.detail,
                self.prev_hash,
            ]
        )
