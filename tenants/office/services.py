"""Office settings, finding categories and the office's holiday table."""

from __future__ import annotations

from datetime import date
from hashlib import sha256

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shared.accounts.models import Classification
from shared.orgs.models import BundleRecord
from sync.bundles import BundleResult, bundle_export, bundle_import, bundle_records
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.office.models import (
    CoverageMode,
    DutySeparation,
    FindingCategory,
    HearingDeadlineMode,
    HolidayOverride,
    OfficeSettings,
)

# Where seeds disagree, each is a preset (docs/DOMAIN.md).
PRESETS = {
    "seed_004": {  # Jingdezhen: once per term, hearing within 15 working days (art.16, art.31)
        "coverage_mode": CoverageMode.PER_TERM,
        "term_years": 5,
        "hearing_deadline_mode": HearingDeadlineMode.WORKING_DAYS,
        "hearing_working_days": 15,
        "duty_separation": DutySeparation.SEPARATE,
    },
    "seed_000": {  # Hebi: every 3 years, hearing within one week of the batch (§13, §12)
        "coverage_mode": CoverageMode.PER_YEARS,
        "coverage_years": 3,
        "hearing_deadline_mode": HearingDeadlineMode.CALENDAR_DAYS,
        "hearing_calendar_days": 7,
        "duty_separation": DutySeparation.SEPARATE,
    },
}
# The settings an office edits, in the model's order (the settings page shows them so).
SETTINGS_FIELDS = (
    "coverage_mode",
    "term_years",
    "current_term_start",
    "coverage_years",
    "coverage_warning_days",
    "min_onsite_working_days",
    "hearing_deadline_mode",
    "hearing_working_days",
    "hearing_calendar_days",
    "rectification_plan_working_days",
    "rectification_report_months",
    "transfer_feedback_months",
    "clue_feedback_interval_months",
    "campaign_reminder_interval_hours",
    "duty_separation",
)


def _setting_value(value):
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def office_settings_update(*, changes: dict, actor=None, request=None) -> OfficeSettings:
    """Change the office's settings; a change is written to the audit log (`settings_change`) with every changed
    setting's value before and after (the system administrator's and the office administrator's changes alike)."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    settings = OfficeSettings.objects.select_for_update().get(pk=OfficeSettings.current().pk)
    before = {name: _setting_value(getattr(settings, name)) for name in SETTINGS_FIELDS}
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.full_clean()
    if settings.term_years < 1 or settings.coverage_years < 1:
        raise ValidationError(_("A coverage cycle is at least one year."))
    settings.save()
    after = {name: _setting_value(getattr(settings, name)) for name in SETTINGS_FIELDS}
    changed = sorted(name for name in SETTINGS_FIELDS if before[name] != after[name])
    if changed:
        audit_event_record(
            action=AuditAction.SETTINGS_CHANGE,
            record_type="office.officesettings",
            record_key=settings.pk,
            classification=Classification.INTERNAL,
            request=request,
            actor=actor,
            detail={"before": {n: before[n] for n in changed}, "after": {n: after[n] for n in changed}},
        )
    return settings


def office_settings_apply_preset(*, preset: str, actor=None, request=None) -> OfficeSettings:
    if preset not in PRESETS:
        raise ValidationError(_("Unknown preset."))
    return office_settings_update(changes=PRESETS[preset], actor=actor, request=request)


@transaction.atomic
def holiday_override_set(*, day: date, is_working_day: bool, note: str = "") -> HolidayOverride:
    override, _created = HolidayOverride.objects.update_or_create(
        date=day, defaults={"is_working_day": is_working_day, "note": note[:200]}
    )
    return override


@transaction.atomic
def holiday_override_remove(*, day: date) -> None:
    HolidayOverride.objects.filter(date=day).delete()


@transaction.atomic
def finding_category_save(*, category: FindingCategory | None = None, **fields) -> FindingCategory:
    allowed = {"code", "name", "description", "county_level_only", "order", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    category = category or FindingCategory()
    for name, value in fields.items():
        setattr(category, name, value)
    category.full_clean()
    category.save()
    return category


# ---------------------------------------------------------------------------------------------- bundles
# The office's page over sync/bundles.py (docs/SYNC.md "Bundles"): the same services as `xuncha sync bundle`, for
# this office's messages only.
@transaction.atomic
def office_bundle_export(*, office, to: str, actor, request=None) -> tuple[bytes, BundleRecord]:
    """This office's bundle for remote organisation `to` (only messages whose source is this office), audited as
    an export in the office's chain."""
    raw = bundle_export(to=to, office=office.code, operator=actor.get_username())
    record = bundle_records(office=office.code).get(kind=BundleRecord.Kind.EXPORTED, digest=sha256(raw).hexdigest())
    audit_event_record(
        action=AuditAction.EXPORT,
        record_type="sync.bundle",
        record_key=f"{to}#{record.sequence}",
        classification=record.counts.get("classification", Classification.PUBLIC),
        request=request,
        actor=actor,
        detail={"to": to, "messages": record.counts.get("messages", 0), "digest": record.digest},
    )
    return raw, record


def office_bundle_import(*, office, raw: bytes, actor) -> BundleResult:
    """A bundle for this office, or an acknowledgement answering one of its bundles (BundleError, a
    ValidationError, says in Chinese why another is refused)."""
    return bundle_import(raw=raw, office=office.code, operator=actor.get_username())
