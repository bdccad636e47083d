"""In-round work. Every change to these records goes through here."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification, Role
from tenants.agencies.models import PRE_ENTRY_KINDS, Agency
from tenants.attachments.services import attachment_remove, attachments_add, attachments_check
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.inround import selectors
from tenants.inround.models import (
    InformantIdentity,
    InformationReply,
    InformationRequest,
    Interview,
    Petition,
    WorkingPaper,
)
from tenants.kernel.access import require, require_cleared, require_office
from tenants.kernel.inputs import classification_level, required_text
from tenants.rounds.access import led_round_ids, require_team_or_office, target_in_round

PRE_ENTRY_YEARS = 3
# What each record is unless classified otherwise (the pages offer a form only to those cleared for it).
INTERVIEW_LEVEL = PETITION_LEVEL = Classification.SECRET
PAPER_LEVEL = Classification.INTERNAL


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _check_target_in_round(round, target) -> None:
    if not target_in_round(round=round, target=target):
        raise ValidationError({"target": _("This unit is not a target of the round.")})


@transaction.atomic
def information_requests_send(
    *, actor, access, round, target, agencies=None, as_of: datetime.date | None = None, note: str = ""
) -> list[InformationRequest]:
    """Ask each pre-entry agency (or the given ones) for 3 years of information on the target."""
    require_office(access)
    _check_target_in_round(round, target)
    agencies = (
        list(agencies)
        if agencies is not None
        else list(Agency.objects.filter(kind__in=PRE_ENTRY_KINDS, is_active=True))
    )
    if not agencies:
        raise ValidationError({"agencies": _("No pre-entry agency is configured.")})
    as_of = as_of or timezone.localdate()
    created = []
    for agency in agencies:
        if agency.kind not in PRE_ENTRY_KINDS:
            raise ValidationError(
                {
                    "agencies": _("%(agency)s does not give pre-entry information.")
                    % {"agency": agency.get_kind_display()}
                }
            )
        if InformationRequest.objects.filter(round=round, target=target, agency=agency).exists():
            raise ValidationError({"agencies": _("A request to this agency for this target already exists.")})
        created.append(
            InformationRequest.objects.create(
                round=round,
                target=target,
                agency=agency,
                note=note.strip(),
                period_start=_years_before(as_of, PRE_ENTRY_YEARS),
                period_end=as_of,
                requested_by=actor,
            )
        )
    return created


@transaction.atomic
def information_reply_record(
    *, actor, access, request: InformationRequest, content: str, classification=None
) -> InformationReply:
    require_office(access)
    require_cleared(access, Classification.CONFIDENTIAL)
    content = required_text("content", content, _("The reply"))
    if hasattr(request, "reply"):
        raise ValidationError({"request": _("This request already has a reply.")})
    reply = InformationReply.objects.create(
        request=request,
        content=content,
        recorded_by=actor,
        classification=classification_level(
            classification, default=Classification.CONFIDENTIAL, minimum=Classification.SECRET
        ),
    )
    request.status = InformationRequest.Status.REPLIED
    request.save(update_fields=["status"])
    return reply


def _identity_create(*, access, actor, round_id: int, informant: dict | None, **record) -> None:
    if not informant:
        return
    name = (informant.get("name") or "").strip()
    if not name:
        raise ValidationError({"informant": _("The informant's name is required when identity is given.")})
    InformantIdentity.objects.create(
        name=name,
        position=(informant.get("position") or "").strip(),
        contact=(informant.get("contact") or "").strip(),
        id_number=(informant.get("id_number") or "").strip(),
        **record,
    )


@transaction.atomic
def interview_record(
    *,
    actor,
    access,
    round,
    target,
    held_on: datetime.date,
    summary: str,
    informant: dict | None = None,
    classification=None,
) -> Interview:
    require_team_or_office(actor=actor, access=access, round_id=round.pk)
    _check_target_in_round(round, target)
    level = classification_level(classification, default=INTERVIEW_LEVEL, minimum=Classification.SECRET)
    require_cleared(access, level)
    interview = Interview.objects.create(
        round=round,
        target=target,
        held_on=held_on,
        created_by=actor,
        classification=level,
        summary=required_text("summary", summary, _("The summary")),
    )
    _identity_create(access=access, actor=actor, round_id=round.pk, informant=informant, interview=interview)
    return interview


@transaction.atomic
def petition_record(
    *,
    actor,
    access,
    round,
    target,
    channel: str,
    received_on: datetime.date,
    summary: str,
    informant: dict | None = None,
    classification=None,
) -> Petition:
    require_team_or_office(actor=actor, access=access, round_id=round.pk)
    _check_target_in_round(round, target)
    if channel not in Petition.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    level = classification_level(classification, default=PETITION_LEVEL, minimum=Classification.SECRET)
    require_cleared(access, level)
    petition = Petition.objects.create(
        round=round,
        target=target,
        channel=channel,
        received_on=received_on,
        created_by=actor,
        classification=level,
        anonymous=not informant,
        summary=required_text("summary", summary, _("The summary")),
    )
    _identity_create(access=access, actor=actor, round_id=round.pk, informant=informant, petition=petition)
    return petition


@transaction.atomic
def working_paper_create(
    *, actor, access, round, target, title: str, content: str, classification=None, files=()
) -> WorkingPaper:
    """A paper of the round's team (or the office), with its files (scans, photos, tables) if any: they are
    classified as the paper is and, like the paper, never leave this office (no bus policy carries either)."""
    require_team_or_office(actor=actor, access=access, round_id=round.pk)
    _check_target_in_round(round, target)
    level = classification_level(classification, default=PAPER_LEVEL)
    require_cleared(access, level)
    checked = attachments_check(files=files)
    paper = WorkingPaper.objects.create(
        round=round,
        target=target,
        author=actor,
        classification=level,
        title=required_text("title", title, _("The title")),
        content=required_text("content", content, _("The content")),
    )
    attachments_add(actor=actor, record=paper, files=checked)
    return paper


def _require_paper_files_editable(*, actor, access, paper: WorkingPaper) -> None:
    require_team_or_office(actor=actor, access=access, round_id=paper.round_id)
    if paper.status == WorkingPaper.Status.APPROVED:
        raise ValidationError({"files": _("The paper is approved: its files can no longer be changed.")})


@transaction.atomic
def working_paper_files_add(*, actor, access, paper: WorkingPaper, files) -> WorkingPaper:
    """More files on a paper not yet approved, by the round's team or the office; one bad file refuses all."""
    paper = WorkingPaper.objects.select_for_update().get(pk=paper.pk)
    _require_paper_files_editable(actor=actor, access=access, paper=paper)
    checked = attachments_check(files=files)
    if not checked:
        raise ValidationError({"files": _("Choose at least one file.")})
    attachments_add(actor=actor, record=paper, files=checked)
    return paper


@transaction.atomic
def working_paper_file_remove(*, actor, access, paper: WorkingPaper, file_id: int) -> None:
    """Take one file off a paper not yet approved (the round's team or the office)."""
    paper = WorkingPaper.objects.select_for_update().get(pk=paper.pk)
    _require_paper_files_editable(actor=actor, access=access, paper=paper)
    attachment_remove(record=paper, attachment_id=file_id, refusal=_("This file is not one of the paper's."))


@transaction.atomic
def working_paper_submit(*, actor, access, paper: WorkingPaper) -> WorkingPaper:
    require(paper.author_id == actor.pk or access.has_role(Role.TEAM_LEADER))
    require_team_or_office(actor=actor, access=access, round_id=paper.round_id)
    paper = WorkingPaper.objects.select_for_update().get(pk=paper.pk)
    if paper.status not in (WorkingPaper.Status.DRAFT, WorkingPaper.Status.RETURNED):
        raise ValidationError({"status": _("Only a draft or returned paper can be submitted.")})
    paper.status = WorkingPaper.Status.SUBMITTED
    paper.save(update_fields=["status"])
    return paper


@transaction.atomic
def working_paper_decide(*, actor, access, paper: WorkingPaper, approve: bool, reason: str = "") -> WorkingPaper:
    """The round's team leader approves or returns a submitted paper."""
    require(access.has_role(Role.TEAM_LEADER) and paper.round_id in led_round_ids(actor=actor))
    paper = WorkingPaper.objects.select_for_update().get(pk=paper.pk)
    if paper.status != WorkingPaper.Status.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted paper can be approved or returned.")})
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the paper is returned.")})
    paper.status = WorkingPaper.Status.APPROVED if approve else WorkingPaper.Status.RETURNED
    paper.return_reason = "" if approve else reason.strip()
    paper.decided_by, paper.decided_at = actor, timezone.now()
    paper.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    return paper


@transaction.atomic
def informant_disclose(*, request, access, record) -> InformantIdentity | None:
    """The identity behind an interview or petition for someone entitled to it (PermissionDenied
    otherwise), with its disclosure written to the audit log as such before it is shown: who saw whose
    identity, on which record. Fail closed: no audit row, no identity."""
    identity = selectors.informant_for(actor=request.user, access=access, record=record)
    if identity is not None:
        audit_event_record(
            action=AuditAction.INFORMANT_READ,
            record_type=InformantIdentity._meta.label_lower,
            record_key=identity.pk,
            classification=Classification.CONFIDENTIAL,
            request=request,
            detail={"record_type": record._meta.label_lower, "record_key": record.pk},
        )
    return identity
