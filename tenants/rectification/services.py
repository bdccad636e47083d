"""Feedback, the signed receipt, deadlines, submissions and item-by-item closure (004 arts.33-34).

The only writer of Feedback, ReceiptSignature, Submission and RectificationItem rows.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Role
from sync.orgs import current_organization
from sync.outbox import record_changed
from tenants.agencies.selectors import target_ids_for_liaison
from tenants.attachments.services import attachments_add, attachments_check
from tenants.kernel.access import is_office, require, require_cleared
from tenants.kernel.inputs import classification_level, required_text
from tenants.ledger.services import status_colour as ledger_status_colour
from tenants.office.models import OfficeSettings
from tenants.office.workdays import add_months, add_working_days
from tenants.rectification.models import (
    Feedback,
    ItemStatus,
    ReceiptParty,
    ReceiptSignature,
    RectificationItem,
    StatusThresholds,
    Submission,
    SubmissionKind,
)
from tenants.rounds.access import led_round_ids, may_write_round, target_in_round
from xuncha.office_language import office_language

FEEDBACK_STATES = ("hearing", "feedback", "rectification")


def yellow_within_days() -> int:
    """The office's red/yellow/green threshold (days before a due date that turn an open deadline yellow)."""
    return StatusThresholds.current().yellow_within_days


def status_colour(
    *, due: datetime.date | None, done: bool, today: datetime.date | None = None, yellow_within_days: int | None = None
) -> str:
    """红黄绿 (tenants.ledger.services.status_colour), with the office's threshold when none is given."""
    if yellow_within_days is None and not done and due is not None:
        yellow_within_days = StatusThresholds.current().yellow_within_days
    return ledger_status_colour(
        due=due,
        done=done,
        today=today or timezone.localdate(),
        yellow_within_days=0 if yellow_within_days is None else yellow_within_days,
    )


def _is_liaison_for(*, actor, access, target_id: int) -> bool:
    return access.has_role(Role.UNIT_LIAISON) and target_id in target_ids_for_liaison(person=actor)


def _leads(*, actor, access, round_id: int) -> bool:
    return access.has_role(Role.TEAM_LEADER) and round_id in led_round_ids(actor=actor)


@transaction.atomic
def feedback_create(
    *,
    actor,
    access,
    round,
    target,
    leadership_content: str,
    principal_content: str,
    leadership_delivered_on: datetime.date | None = None,
    principal_delivered_on: datetime.date | None = None,
    classification=None,
) -> Feedback:
    require(may_give_feedback(actor=actor, access=access, round=round))
    if round.state not in FEEDBACK_STATES:
        raise ValidationError({"round": _("Feedback is given after the leading group has heard the round.")})
    if not target_in_round(round=round, target=target):
        raise ValidationError({"target": _("This unit is not a target of the round.")})
    if Feedback.objects.filter(round=round, target=target).exists():
        raise ValidationError({"target": _("Feedback to this unit for this round already exists.")})
    level = classification_level(classification, default=Feedback._meta.get_field("classification").default)
    require_cleared(access, level)
    return Feedback.objects.create(
        round=round,
        target=target,
        classification=level,
        created_by=actor,
        leadership_content=required_text("leadership_content", leadership_content, _("The feedback to the leadership")),
        principal_content=required_text("principal_content", principal_content, _("The feedback to the principal")),
        leadership_delivered_on=leadership_delivered_on,
        principal_delivered_on=principal_delivered_on,
    )


# Who may do what on a feedback: one check each, used by the services and by the pages that offer the forms.


def may_give_feedback(*, actor, access, round) -> bool:
    return is_office(access) or _leads(actor=actor, access=access, round_id=round.pk)


def may_add_items(*, actor, access, feedback: Feedback) -> bool:
    return may_write_round(actor=actor, access=access, round_id=feedback.round_id)


def may_act_for_unit(*, actor, access, feedback: Feedback) -> bool:
    """Submissions (plan, reports) and evidence: the office, or the unit's own liaison."""
    return is_office(access) or _is_liaison_for(actor=actor, access=access, target_id=feedback.target_id)


def may_verify(*, actor, access, feedback: Feedback) -> bool:
    return is_office(access) or _leads(actor=actor, access=access, round_id=feedback.round_id)


def may_sign_receipt(*, actor, access, feedback: Feedback, party: str) -> bool:
    return _may_record_signature(actor=actor, access=access, feedback=feedback, party=party)


def _may_record_signature(*, actor, access, feedback: Feedback, party: str) -> bool:
    if is_office(access):
        return True
    if party == ReceiptParty.TEAM_LEADER:
        return _leads(actor=actor, access=access, round_id=feedback.round_id)
    if party == ReceiptParty.UNIT_PRINCIPAL:
        return _is_liaison_for(actor=actor, access=access, target_id=feedback.target_id)
    return False


@transaction.atomic
def receipt_sign(
    *,
    actor,
    access,
    feedback: Feedback,
    party: str,
    signer_name: str,
    signed_on: datetime.date,
    today: datetime.date | None = None,
) -> Feedback:
    """Record one of the three receipt signatures; the third sets the plan and report deadlines.
    A signature is never dated after today, and (duties separated, the default) one person signs
    for one party only."""
    if party not in ReceiptParty.values:
        raise ValidationError({"party": _("Unknown signing party.")})
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if not _may_record_signature(actor=actor, access=access, feedback=feedback, party=party):
        raise PermissionDenied
    if not isinstance(signed_on, datetime.date):
        raise ValidationError({"signed_on": _("Give the date of the signature.")})
    if signed_on > (today or timezone.localdate()):
        raise ValidationError({"signed_on": _("The signature date cannot be in the future.")})
    if feedback.receipt_signatures.filter(party=party).exists():
        raise ValidationError({"party": _("This party has already signed the receipt.")})
    name = required_text("signer_name", signer_name, _("The signer's name"))
    office = OfficeSettings.current()
    if office.duties_separated and feedback.receipt_signatures.filter(signer_name=name).exists():
        raise ValidationError({"signer_name": _("One person cannot sign the receipt for two parties.")})
    ReceiptSignature.objects.create(
        feedback=feedback, party=party, signed_on=signed_on, recorded_by=actor, signer_name=name
    )
    signatures = list(feedback.receipt_signatures.all())
    if len(signatures) == len(ReceiptParty.values):
        receipt_on = max(signature.signed_on for signature in signatures)
        with office_language():  # the deadline note is kept and read by anyone: in the office's language
            plan = add_working_days(start=receipt_on, days=office.rectification_plan_working_days)
            report = add_months(start=receipt_on, months=office.rectification_report_months)
        feedback.receipt_signed_on = receipt_on
        feedback.plan_due, feedback.plan_due_provisional = plan.due, plan.provisional
        feedback.report_due, feedback.report_due_provisional = report.due, report.provisional
        feedback.deadline_note = "; ".join(r for r in (plan.reason, report.reason) if r)[:300]
        feedback.save(
            update_fields=[
                "receipt_signed_on",
                "plan_due",
                "plan_due_provisional",
                "report_due",
                "report_due_provisional",
                "deadline_note",
            ]
        )
    return feedback


def _assignee_code(value) -> str:
    """An explicit supervising county: empty, or one of this organisation's counties."""
    code = (value or "").strip()
    if code and not current_organization().children.filter(code=code).exists():
        raise ValidationError({"assignee_org_code": _("The supervising county must be one of this city's counties.")})
    return code


@transaction.atomic
def rectification_items_add(*, actor, access, feedback: Feedback, items: list[dict]) -> list[RectificationItem]:
    """Add lines to the three lists, all or none. Each: problem, task, responsible_unit,
    responsible_person, optional due_date (defaults to the report deadline), finding and
    assignee_org_code (a county of this city supervising it; by default the county managing the unit).
    Items assigned to a county are shared with it (tenants/rectification/sharing.py)."""
    require(may_add_items(actor=actor, access=access, feedback=feedback))
    if not items:
        raise ValidationError({"items": _("Give at least one rectification item.")})
    created = []
    for number, item in enumerate(items, start=1):
        due = item.get("due_date") or feedback.report_due
        # the report deadline's 暂定 mark goes with it; a date the office typed is its own
        due_provisional = not item.get("due_date") and feedback.report_due_provisional
        if due is None:
            raise ValidationError(
                {"items": _("Item %(number)s: give a due date (the receipt is not signed yet).") % {"number": number}}
            )
        finding = item.get("finding")
        if finding is not None and (finding.round_id != feedback.round_id or finding.target_id != feedback.target_id):
            raise ValidationError(
                {"items": _("Item %(number)s: the finding belongs to another round or unit.") % {"number": number}}
            )
        try:
            created.append(
                RectificationItem.objects.create(
                    feedback=feedback,
                    finding=finding,
                    due_date=due,
                    due_provisional=due_provisional,
                    problem=required_text("problem", item.get("problem"), _("The problem")),
                    task=required_text("task", item.get("task"), _("The task")),
                    responsible_unit=required_text(
                        "responsible_unit", item.get("responsible_unit"), _("The responsible unit")
                    ),
                    responsible_person=required_text(
                        "responsible_person", item.get("responsible_person"), _("The responsible person")
                    ),
                    assignee_org_code=_assignee_code(item.get("assignee_org_code")),
                )
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "items": [
                        _("Item %(number)s: %(message)s") % {"number": number, "message": message}
                        for message in error.messages
                    ]
                }
            ) from None
    for item in created:
        record_changed(instance=item)
    return created


def _require_unit_side(*, actor, access, feedback: Feedback) -> None:
    require(may_act_for_unit(actor=actor, access=access, feedback=feedback))


@transaction.atomic
def submission_submit(
    *, actor, access, feedback: Feedback, kind: str, content: str, files=(), today: datetime.date | None = None
) -> Submission:
    """The unit submits its plan (10 working days), report and principal's report (2 months), with the
    document itself attached if it has one (the 整改方案's scan, the signed report)."""
    _require_unit_side(actor=actor, access=access, feedback=feedback)
    if kind not in SubmissionKind.values:
        raise ValidationError({"kind": _("Unknown submission.")})
    if feedback.receipt_signed_on is None:
        raise ValidationError({"kind": _("The feedback receipt is not fully signed yet.")})
    if feedback.submissions.filter(kind=kind).exists():
        raise ValidationError({"kind": _("This has already been submitted.")})
    checked = attachments_check(files=files)
    due = feedback.plan_due if kind == SubmissionKind.PLAN else feedback.report_due
    submission = Submission.objects.create(
        feedback=feedback,
        kind=kind,
        due=due,
        submitted_by=actor,
        submitted_on=today or timezone.localdate(),
        content=required_text("content", content, _("The content")),
    )
    attachments_add(actor=actor, record=submission, files=checked)
    return submission


@transaction.atomic
def item_submit_evidence(
    *, actor, access, item: RectificationItem, evidence: str, files=(), today: datetime.date | None = None
) -> RectificationItem:
    """The unit's evidence for one item: its description and, optionally, files (scans, photos, documents)
    kept with the item and classified as its feedback is; a bad file refuses the whole submission."""
    item = RectificationItem.objects.select_for_update().select_related("feedback").get(pk=item.pk)
    _require_unit_side(actor=actor, access=access, feedback=item.feedback)
    if item.status == ItemStatus.CLOSED:
        raise ValidationError({"status": _("This item is already closed.")})
    checked = attachments_check(files=files)
    item.evidence = required_text("evidence", evidence, _("The evidence"))
    item.evidence_submitted_by, item.evidence_submitted_on = actor, today or timezone.localdate()
    item.status = ItemStatus.EVIDENCE_SUBMITTED
    item.save(update_fields=["evidence", "evidence_submitted_by", "evidence_submitted_on", "status"])
    attachments_add(actor=actor, record=item, files=checked)
    record_changed(instance=item)
    return item


def item_verification_refused_to(*, item: RectificationItem, actor, separated: bool | None = None) -> bool:
    """Separation of duties (the office setting): the evidence's submitter may not verify the item."""
    if separated is None:
        separated = OfficeSettings.current().duties_separated
    return separated and item.evidence_submitted_by_id is not None and item.evidence_submitted_by_id == actor.pk


@transaction.atomic
def item_verify(
    *, actor, access, item: RectificationItem, accept: bool, note: str = "", today: datetime.date | None = None
) -> RectificationItem:
    """对账销号: the office or the round's team leader checks the evidence; accepted → closed.
    Whoever submitted the evidence does not verify it, unless the office relaxed the rule."""
    item = RectificationItem.objects.select_for_update().select_related("feedback").get(pk=item.pk)
    require(may_verify(actor=actor, access=access, feedback=item.feedback))
    if item.status != ItemStatus.EVIDENCE_SUBMITTED or not item.evidence:
        raise ValidationError({"status": _("Evidence must be submitted before the item is verified.")})
    if item_verification_refused_to(item=item, actor=actor):
        raise ValidationError(
            {
                "status": _(
                    "You submitted this item's evidence: another person verifies it "
                    "(separation of duties, see the office settings)."
                )
            }
        )
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the evidence is not accepted.")})
    item.verification_note = note.strip()
    if accept:
        item.status = ItemStatus.CLOSED
        item.verified_by, item.verified_on = actor, today or timezone.localdate()
    else:
        item.status = ItemStatus.OPEN
    item.save(update_fields=["status", "verified_by", "verified_on", "verification_note"])
    record_changed(instance=item)
    return item


@transaction.atomic
def item_assign(*, actor, access, item: RectificationItem, assignee_org_code: str) -> RectificationItem:
    """The office names (or clears) the county supervising an item; a county that no longer
    supervises it gets a withdrawal (its own notes stay in its ledger, marked withdrawn)."""
    require(is_office(access))
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    item.assignee_org_code = _assignee_code(assignee_org_code)
    item.save(update_fields=["assignee_org_code"])
    record_changed(instance=item)
    return item


@transaction.atomic
def thresholds_update(*, access, yellow_within_days) -> StatusThresholds:
    require(access.has_role(Role.OFFICE_ADMIN))
    try:
        days = int(yellow_within_days)
    except (TypeError, ValueError):
        raise ValidationError({"yellow_within_days": _("Give a whole number of days.")}) from None
    if not 0 <= days <= 365:
        raise ValidationError({"yellow_within_days": _("Give between 0 and 365 days.")})
    thresholds = StatusThresholds.current()
    thresholds.yellow_within_days = days
    thresholds.save(update_fields=["yellow_within_days"])
    return thresholds
