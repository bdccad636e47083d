"""Filing with the province, the province's answer, hearing records, and statistics sent up.

Every change that another organisation must see is shared in the same transaction through the
bus (tenants.reports.sharing → sync.outbox), so a filing is never recorded as sent without its
outbox row, and vice versa.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Classification
from tenants.attachments.services import attachments_add, attachments_check
from tenants.planning.models import AnnualPlan, MultiYearPlan, PhaseSchedule, PlanStatus
from tenants.reminders.services import notification_create
from tenants.reports import live, sharing, summaries
from tenants.reports.models import (
    Filing,
    FilingKind,
    FilingReceipt,
    FilingRevision,
    FilingStatus,
    HearingRecord,
    ReceiptStatus,
)
from tenants.rounds.models import Round
from xuncha.office_language import office_language

SUBJECT_KINDS = {
    FilingKind.TERM_PLAN: "term_plan",
    FilingKind.ANNUAL_PLAN: "annual_plan",
    FilingKind.PHASE_SCHEDULE: "phase_schedule",
    FilingKind.ROUND_SUMMARY: "round",
    FilingKind.HEARING_RECORD: "hearing",
}
PERIOD_KINDS = {FilingKind.STATISTICS, FilingKind.ANNUAL_SUMMARY}


def _approvals(plan) -> list[dict]:
    return [
        {"decision": approval.decision, "note": approval.note, "decided_at": approval.decided_at.isoformat()}
        for approval in plan.approvals.all()
    ]


def _plan_content(plan, **extra) -> dict:
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError({"subject": _("Only a plan the leading group has approved can be filed.")})
    return {"title": plan.title, "text": plan.content, "status": plan.status, "approvals": _approvals(plan), **extra}


def _get(model, pk, label):
    try:
        return model.objects.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"subject": _("No such %(what)s.") % {"what": label}}) from None


def _summary_content(summary: summaries.Summary) -> dict:
    return summary.as_dict()


def filing_content_build(*, kind: str, subject_id=None, period: str = "", organization=None) -> dict:
    """Title, subject, period, classification and content of a filing, all taken from the records
    (nothing is typed twice). Raises ValidationError for a missing or unfit subject."""
    if kind not in FilingKind.values:
        raise ValidationError({"kind": _("Unknown kind of filing.")})
    if kind in PERIOD_KINDS:
        summaries.period_bounds(period)
        if kind == FilingKind.ANNUAL_SUMMARY and not period.isdigit():
            raise ValidationError({"period": _("An annual summary covers a year, e.g. 2026.")})
        combined = summaries.combined_period_summary(organization=organization, period=period)
        content = {
            "period": period,
            "own": _summary_content(combined.own),
            "total": _summary_content(combined.total),
            "counties": [
                {
                    "code": part.code,
                    "name": part.name,
                    "counts": _summary_content(part.summary) if part.summary else None,
                }
                for part in combined.counties
            ],
            "rounds": summaries.period_rounds(period=period),
        }
        label = FilingKind(kind).label
        with office_language():  # the title is kept and read at the province: in the office's language
            title = _("%(period)s %(what)s") % {"period": period, "what": str(label).split("(")[-1].rstrip(")")}
        return {
            "title": title,
            "subject": period,
            "period": period,
            "content": content,
            "classification": Classification.INTERNAL,
        }
    if subject_id in (None, ""):
        raise ValidationError({"subject": _("Choose what to file.")})
    if kind == FilingKind.TERM_PLAN:
        plan = _get(MultiYearPlan, subject_id, _("term plan"))
        content = _plan_content(plan, start_year=plan.start_year, end_year=plan.end_year)
        period = f"{plan.start_year}-{plan.end_year}"
        title, classification = plan.title, Classification.INTERNAL
    elif kind == FilingKind.ANNUAL_PLAN:
        plan = _get(AnnualPlan, subject_id, _("annual plan"))
        content = _plan_content(
            plan,
            year=plan.year,
            rounds=[
                {
                    "name": r.name,
                    "kind": r.kind,
                    "onsite_start": r.onsite_start.isoformat() if r.onsite_start else None,
                    "onsite_end": r.onsite_end.isoformat() if r.onsite_end else None,
                }
                for r in plan.rounds.order_by("onsite_start", "id")
            ],
        )
        period, title, classification = str(plan.year), plan.title, Classification.INTERNAL
    elif kind == FilingKind.PHASE_SCHEDULE:
        plan = _get(PhaseSchedule, subject_id, _("phase schedule"))
        content = _plan_content(plan, start_date=plan.start_date.isoformat(), end_date=plan.end_date.isoformat())
        period, title, classification = str(plan.start_date.year), plan.title, Classification.INTERNAL
    elif kind == FilingKind.ROUND_SUMMARY:
        round = _get(Round, subject_id, _("round"))
        if round.classification > Classification.SECRET:
            raise ValidationError({"subject": _("A confidential (机密) round cannot be filed outside the office.")})
        content = {
            "name": round.name,
            "kind": round.kind,
            "state": round.state,
            "onsite_start": round.onsite_start.isoformat() if round.onsite_start else None,
            "onsite_end": round.onsite_end.isoformat() if round.onsite_end else None,
            "teams": round.teams.count(),
            "counts": _summary_content(summaries.round_summary(round_id=round.pk)),
        }
        period = str(round.onsite_start.year) if round.onsite_start else ""
        with office_language():
            title = _("Summary of %(round)s") % {"round": round.name}
        classification = min(round.classification, Classification.INTERNAL)
    else:  # hearing record
        record = _get(HearingRecord, subject_id, _("hearing record"))
        if record.classification > Classification.SECRET:
            raise ValidationError({"subject": _("A confidential (机密) record cannot be filed outside the office.")})
        content = {
            "round": record.round.name,
            "heard_on": record.heard_on.isoformat(),
            "chaired_by": record.chaired_by,
            "attendees": record.attendees,
            "decisions": record.decisions,
        }
        period = str(record.heard_on.year)
        with office_language():
            title = _("Hearing record: %(round)s") % {"round": record.round.name}
        classification = record.classification
    return {
        "title": title[:200],
        "subject": f"{SUBJECT_KINDS[kind]}:{subject_id}",
        "period": period,
        "content": content,
        "classification": classification,
    }


@transaction.atomic
def filing_submit(
    *, kind: str, actor, organization, subject_id=None, period: str = "", note: str = "", files=()
) -> Filing:
    """File something with the province for the first time; `files` (the signed document, its scan) go with it."""
    if organization.kind != "city":
        raise ValidationError(_("Only a city office files with the province."))
    checked = attachments_check(files=files)
    built = filing_content_build(kind=kind, subject_id=subject_id, period=period, organization=organization)
    if Filing.objects.filter(kind=kind, subject=built["subject"]).exists():
        raise ValidationError({"subject": _("This has already been filed; correct and re-file it if it was returned.")})
    now = timezone.now()
    filing = Filing.objects.create(
        kind=kind,
        subject=built["subject"],
        title=built["title"],
        period=built["period"],
        content=built["content"],
        note=note.strip(),
        classification=built["classification"],
        filed_by=actor,
        filed_at=now,
    )
    _revision_record(filing=filing)
    sharing.filing_publish(filing=filing)
    attachments_add(actor=actor, record=filing, files=checked)
    return filing


@transaction.atomic
def filing_refile(*, filing: Filing, actor, organization, note: str = "") -> Filing:
    """Correct a returned filing: regenerate it from the (corrected) records as a new revision."""
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if filing.status != FilingStatus.RETURNED:
        raise ValidationError(_("Only a filing the province returned can be re-filed."))
    subject_id = None if filing.kind in PERIOD_KINDS else filing.subject.split(":", 1)[1]
    built = filing_content_build(
        kind=filing.kind, subject_id=subject_id, period=filing.period, organization=organization
    )
    filing.revision += 1
    filing.title, filing.content, filing.classification = built["title"], built["content"], built["classification"]
    filing.note = note.strip()
    filing.status, filing.status_comment, filing.status_at = FilingStatus.SENT, "", None
    filing.filed_by, filing.filed_at = actor, timezone.now()
    filing.save()
    _revision_record(filing=filing)
    sharing.filing_publish(filing=filing)
    return filing


def _revision_record(*, filing: Filing) -> FilingRevision:
    return FilingRevision.objects.create(
        filing=filing,
        number=filing.revision,
        title=filing.title,
        content=filing.content,
        note=filing.note,
        filed_by=filing.filed_by,
        filed_at=filing.filed_at,
    )


# --- the province's side -------------------------------------------------------------------


@transaction.atomic
def filing_arrived(*, source_code: str, filing_key: str, revision: int) -> FilingReceipt:
    """A filing (or a new revision of it) reached the province: record it as received and tell
    the city. Runs in the province's schema inside the bus's apply transaction."""
    receipt, created = FilingReceipt.objects.select_for_update().get_or_create(
        source_code=source_code,
        filing_key=filing_key,
        defaults={"filing_revision": revision, "received_at": timezone.now()},
    )
    if not created:
        if receipt.filing_revision >= revision:
            return receipt  # an answer to this revision exists already
        receipt.filing_revision, receipt.status, receipt.comment = revision, ReceiptStatus.RECEIVED, ""
        receipt.decided_by, receipt.decided_at, receipt.received_at = None, None, timezone.now()
        receipt.save()
    sharing.receipt_publish(receipt=receipt)
    return receipt


@transaction.atomic
def filing_decide(
    *, receipt: FilingReceipt, status: str, comment: str, actor, revision: int | None = None
) -> FilingReceipt:
    """The province acknowledges (备案) or returns a filing with a comment."""
    receipt = FilingReceipt.objects.select_for_update().get(pk=receipt.pk)
    comment = (comment or "").strip()
    if status not in (ReceiptStatus.ACKNOWLEDGED, ReceiptStatus.RETURNED):
        raise ValidationError({"status": _("Acknowledge or return the filing.")})
    if status == ReceiptStatus.RETURNED and not comment:
        raise ValidationError({"comment": _("Say what must be corrected when returning a filing.")})
    if revision is not None and revision != receipt.filing_revision:
        raise ValidationError(_("A newer revision of this filing has arrived; look at it first."))
    if receipt.status != ReceiptStatus.RECEIVED:
        raise ValidationError(_("This revision has already been answered."))
    receipt.status, receipt.comment = status, comment
    receipt.decided_by, receipt.decided_at = actor, timezone.now()
    receipt.save()
    sharing.receipt_publish(receipt=receipt)
    return receipt


# --- back at the city ----------------------------------------------------------------------


@transaction.atomic
def receipt_arrived(*, filing_key: str, revision: int, status: str, comment: str, decided_at=None) -> Filing | None:
    """The province's receipt reached the city: show its answer on the filing (only if it answers
    the current revision; an answer to an older revision is kept on that revision only)."""
    filing = Filing.objects.select_for_update().filter(key=filing_key).first()
    if filing is None:
        return None
    FilingRevision.objects.filter(filing=filing, number=revision).update(outcome=status, outcome_comment=comment)
    if revision == filing.revision:
        filing.status, filing.status_comment = status, comment
        filing.status_at = decided_at or timezone.now()
        filing.save(update_fields=["status", "status_comment", "status_at"])
        if status in (FilingStatus.RETURNED, FilingStatus.ACKNOWLEDGED):
            with office_language():  # kept: in the office's language, not the consumer's
                if status == FilingStatus.RETURNED:
                    kind, title = "filing_returned", _("The province returned “%(title)s”") % {"title": filing.title}
                else:
                    kind = "filing_acknowledged"
                    title = _("The province acknowledged “%(title)s” (已备案)") % {"title": filing.title}
            notification_create(
                kind=kind,
                title=title,
                body=comment,
                link=f"reports/filings/{filing.pk}/",
                item_key=f"filing:{filing.key}:{revision}",
                classification=filing.classification,
            )
    return filing


@transaction.atomic
def hearing_record_create(
    *,
    round_id: int,
    heard_on: date,
    chaired_by: str,
    attendees: str,
    decisions: str,
    actor,
    classification: int = Classification.INTERNAL,
) -> HearingRecord:
    errors = {}
    round = Round.objects.filter(pk=round_id).first()
    if round is None:
        errors["round"] = _("No such round.")
    for name, value in (("chaired_by", chaired_by), ("attendees", attendees), ("decisions", decisions)):
        if not (value or "").strip():
            errors[name] = _("This field is required.")
    if heard_on is None:
        errors["heard_on"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    return HearingRecord.objects.create(
        round=round,
        heard_on=heard_on,
        chaired_by=chaired_by.strip(),
        attendees=attendees.strip(),
        decisions=decisions.strip(),
        recorded_by=actor,
        classification=classification,
    )


@transaction.atomic
def statistics_send_up(*, organization, period: str) -> dict:
    """Send this office's counts for `period` to the office above (a county to its city), with
    its coverage and rounds' progress; the city's oversight and combined summaries read these."""
    summaries.period_bounds(period)
    body = summaries.statistics_snapshot(organization=organization, period=period)
    sharing.statistics_publish(organization=organization, period=period, snapshot=body)
    return body


def _live_lock() -> None:
    """One publisher of this schema's live figures at a time, taken before they are read: a later
    transaction's figures (which include the earlier one's) are then also published later."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:live_statistics"])


@transaction.atomic
def live_statistics_publish(*, organization, today: date | None = None) -> dict:
    """Send the county's live figures to its city (reports.live_statistics); nothing is queued when
    the city already holds exactly these figures."""
    _live_lock()
    body = live.live_snapshot(organization=organization, today=today)
    sharing.live_statistics_publish(organization=organization, record_key=live.LIVE_KEY, snapshot=body)
    return body


@transaction.atomic
def live_statistics_refresh(*, organization, today: date | None = None) -> int:
    """The nightly anti-entropy pass: publish the figures as they are now (a light that turned red
    with the date, a change whose publication was lost), and when they did not change queue the
    city's copy again at its version. Returns the outbox rows queued."""
    _live_lock()
    body = live.live_snapshot(organization=organization, today=today)
    sent = sharing.live_statistics_publish(organization=organization, record_key=live.LIVE_KEY, snapshot=body)
    if sent:
        return len(sent)
    return sharing.live_statistics_resend(organization=organization, record_key=live.LIVE_KEY)
