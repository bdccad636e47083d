"""Transfers: routing, three-party hand-over, handling reports. The only writer of Transfer rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Role
from sync.outbox import record_changed
from tenants.agencies.models import Agency
from tenants.agencies.selectors import agency_ids_for_user
from tenants.kernel.access import is_office, require, require_cleared, require_office
from tenants.kernel.inputs import required_text
from tenants.kernel.roles import TEAM_ROLES
from tenants.office.models import OfficeSettings
from tenants.office.workdays import add_months
from tenants.rounds.access import team_round_ids
from tenants.transfers.models import (
    ROUTES,
    FastTrackGround,
    HandlingKind,
    Party,
    Transfer,
    TransferSignature,
    TransferStatus,
    TransferType,
)
from xuncha.office_language import office_language


def transfer_route(*, transfer_type: str) -> str:
    """The agency kind that receives this type of transfer (004 art.35)."""
    if transfer_type not in TransferType.values:
        raise ValidationError({"transfer_type": _("Unknown transfer type.")})
    return ROUTES[TransferType(transfer_type)]


def _pick_agency(kind: str, agency: Agency | None) -> Agency:
    if agency is not None:
        if agency.kind != kind:
            raise ValidationError({"agency": _("This type of transfer goes to another kind of agency (004 art.35).")})
        if not agency.is_active:
            raise ValidationError({"agency": _("This agency is no longer active.")})
        return agency
    candidates = list(Agency.objects.filter(kind=kind, is_active=True)[:2])
    if len(candidates) != 1:
        raise ValidationError({"agency": _("Choose the receiving agency.")})
    return candidates[0]


@transaction.atomic
def transfer_create(
    *,
    actor,
    access,
    transfer_type: str,
    clue=None,
    finding=None,
    agency: Agency | None = None,
    fast_track: bool = False,
    fast_track_ground: str = "",
) -> Transfer:
    """Draft a transfer of a clue and/or finding to the agency its type routes to."""
    require_office(access)
    if clue is None and finding is None:
        raise ValidationError({"clue": _("Transfer a clue or a finding.")})
    if clue is not None and finding is not None and clue.round_id != finding.round_id:
        raise ValidationError({"finding": _("The clue and the finding belong to different rounds.")})
    round_id = (clue or finding).round_id
    kind = transfer_route(transfer_type=transfer_type)
    agency = _pick_agency(kind, agency)
    eight_rules = (clue is not None and clue.is_eight_rules) or (
        finding is not None and finding.category.code == "eight-rules-four-styles"
    )
    if eight_rules and not fast_track:
        # 004 art.23: 八项规定/四风 clues are always fast-tracked.
        fast_track, fast_track_ground = True, FastTrackGround.EIGHT_RULES
    if fast_track:
        if fast_track_ground not in FastTrackGround.values:
            raise ValidationError(
                {"fast_track_ground": _("A fast-track transfer needs one of the four grounds (art.22).")}
            )
        if kind != "discipline":
            raise ValidationError({"fast_track": _("Only transfers to the discipline commission are fast-tracked.")})
    elif fast_track_ground:
        raise ValidationError({"fast_track_ground": _("A ground is only given for fast-track transfers.")})
    levels = [subject.classification for subject in (clue, finding) if subject is not None]
    level = max(levels)
    require_cleared(access, level)
    return Transfer.objects.create(
        round_id=round_id,
        transfer_type=transfer_type,
        agency=agency,
        clue=clue,
        finding=finding,
        fast_track=fast_track,
        fast_track_ground=fast_track_ground if fast_track else "",
        classification=level,
        created_by=actor,
    )


@dataclass(frozen=True)
class SigningRights:
    """For whom a person signs hand-over sheets and whose handling they report: asked once (two queries), then
    for each transfer of a list, so the page offers only the buttons their submit accepts."""

    office: bool
    team_rounds: frozenset
    agencies: frozenset

    @classmethod
    def of(cls, *, actor, access) -> SigningRights:
        return cls(
            office=is_office(access),
            team_rounds=frozenset(team_round_ids(actor=actor)) if access.has_role(*TEAM_ROLES) else frozenset(),
            agencies=frozenset(agency_ids_for_user(person=actor))
            if access.has_role(Role.AGENCY_RECEIVER)
            else frozenset(),
        )

    def may_sign(self, transfer: Transfer, party: str) -> bool:
        if party == Party.TEAM:
            return transfer.round_id in self.team_rounds
        if party == Party.OFFICE:
            return self.office
        if party == Party.AGENCY:
            return transfer.agency_id in self.agencies
        return False

    def may_report(self, transfer: Transfer) -> bool:
        return transfer.agency_id in self.agencies


def _may_sign(*, actor, access, transfer: Transfer, party: str) -> bool:
    return SigningRights.of(actor=actor, access=access).may_sign(transfer, party)


@transaction.atomic
def transfer_sign(*, actor, access, transfer: Transfer, party: str, today: datetime.date | None = None) -> Transfer:
    """One party signs the hand-over sheet; the third signature hands the transfer over and starts the clock."""
    if party not in Party.values:
        raise ValidationError({"party": _("Unknown signing party.")})
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if not _may_sign(actor=actor, access=access, transfer=transfer, party=party):
        raise PermissionDenied
    require_cleared(access, transfer.classification)
    if today is not None and today > timezone.localdate():
        raise ValidationError(_("The hand-over date cannot be in the future."))
    if transfer.signatures.filter(party=party).exists():
        raise ValidationError({"party": _("This party has already signed.")})
    if OfficeSettings.current().duties_separated and transfer.signatures.filter(signed_by=actor).exists():
        raise ValidationError(
            {"party": _("You have already signed this hand-over for another party: each party signs in person.")}
        )
    TransferSignature.objects.create(transfer=transfer, party=party, signed_by=actor, signed_at=timezone.now())
    if transfer.signatures.count() == len(Party.values):
        handed_over_on = today or timezone.localdate()
        with office_language():  # the deadline note is kept: in the office's language
            deadline = add_months(start=handed_over_on, months=OfficeSettings.current().transfer_feedback_months)
        transfer.handed_over_on = handed_over_on
        transfer.feedback_due = deadline.due
        transfer.feedback_due_provisional = deadline.provisional
        transfer.feedback_due_note = (deadline.reason or "")[:200]
        transfer.status = TransferStatus.HANDED_OVER
        transfer.save(
            update_fields=["handed_over_on", "feedback_due", "feedback_due_provisional", "feedback_due_note", "status"]
        )
        record_changed(instance=transfer)  # handed over: the county managing the unit follows it
    return transfer


@transaction.atomic
def transfer_report_handling(
    *, actor, access, transfer: Transfer, handling_kind: str, report: str, today: datetime.date | None = None
) -> Transfer:
    """The receiving agency reports how it handled the transfer (art.36)."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    require(SigningRights.of(actor=actor, access=access).may_report(transfer))
    require_cleared(access, transfer.classification)
    if transfer.status != TransferStatus.HANDED_OVER:
        raise ValidationError({"status": _("Only a handed-over transfer awaiting its report can be reported on.")})
    if handling_kind not in HandlingKind.values:
        raise ValidationError({"handling_kind": _("Unknown handling.")})
    transfer.handling_kind = handling_kind
    transfer.handling_report = required_text("report", report, _("The handling report"))
    transfer.handling_reported_on = today or timezone.localdate()
    transfer.handling_reported_by = actor
    transfer.status = TransferStatus.REPORTED
    transfer.save(
        update_fields=["handling_kind", "handling_report", "handling_reported_on", "handling_reported_by", "status"]
    )
    record_changed(instance=transfer)
    return transfer


def transfer_is_overdue(*, transfer: Transfer, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    if transfer.feedback_due is None:
        return False
    if transfer.status == TransferStatus.REPORTED:
        return transfer.handling_reported_on > transfer.feedback_due
    return today > transfer.feedback_due
