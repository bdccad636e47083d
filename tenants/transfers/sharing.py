"""Transfers over the bus (rules: sync/policy.py `transfers.transfer`, `transfers.progress`).

- the city's handed-over `Transfer` → the county managing the unit it concerns (the finding's or
  clue's target), so the county can follow its handling locally (督办). Drafts awaiting signatures
  stay home; transfers of elevated/cross-county rounds wait for the round's feedback: the policy's
  ledger rule, the same as for their rectification list (derived_from: the round's, arrangement's,
  finding's, clue's and unit's saves re-evaluate them; a transfer is never less classified than its
  round, finding or clue); 机密 transfers (clues) never leave (policy). Only reference, type, route,
  unit name, due date, status, the round's kind and whether its feedback was given travel: never the
  clue, the finding or the handling report.
- the county opens its own `ReceivedTransfer` (its ledger, tenants/ledger: `ledger_register` below)
  and reports its handling status up as `transfers.progress` (`ledger_progress_report`); the city
  accepts it only from the county it sent the transfer to.
"""

from __future__ import annotations

from sync.registry import DerivedFrom
from tenants.crossorg.models import RoundArrangement
from tenants.crossorg.selectors import round_feedback_given
from tenants.findings.models import Clue, Finding
from tenants.ledger.registry import ledger_register
from tenants.ledger.sharing import body_text, child_county_code, superior_values
from tenants.rounds.models import Round
from tenants.targets.models import Target
from tenants.transfers.models import ReceivedTransfer, Transfer, TransferStatus


def _target(transfer: Transfer):
    subject = transfer.finding or transfer.clue
    return subject.target if subject is not None else None  # an escalated clue has no unit here


def transfer_assignee(transfer: Transfer) -> str:
    """The county managing the unit the transfer concerns ("" when there is no unit)."""
    target = _target(transfer)
    return target.managing_org_code if target is not None else ""


def transfer_reference(transfer: Transfer) -> str:
    return f"YJ-{transfer.pk}"


def transfer_snapshot(transfer: Transfer) -> dict:
    return {
        "reference": transfer_reference(transfer),
        "category": transfer.transfer_type,
        "route": transfer.agency.kind,
        "target_name": getattr(_target(transfer), "name", ""),
        "deadline": transfer.feedback_due.isoformat() if transfer.feedback_due else None,
        "deadline_provisional": transfer.feedback_due_provisional,
        "status": transfer.status,
        "assignee_org_code": transfer_assignee(transfer),
        "origin_round_kind": transfer.round.kind,
        "feedback_given": round_feedback_given(transfer.round),
        "classification": transfer.classification,
    }


def transfer_audience(transfer: Transfer, owner) -> set[str]:
    """The county managing the unit, once the transfer is handed over (the policy holds back an elevated
    or cross-county round's transfer until feedback, as it does the round's rectification list)."""
    if transfer.status == TransferStatus.AWAITING_SIGNATURES:
        return set()
    return child_county_code(owner, transfer_assignee(transfer))


def _transfers(**filters):
    return Transfer.objects.filter(**filters).select_related("round", "agency", "finding__target", "clue__target")


# The round's feedback releases the transfers of elevated/cross-county rounds; raising the round, the
# finding or the clue withdraws them; a unit moved to another county moves them.
TRANSFER_DERIVED_FROM = (
    DerivedFrom(model=Round, records=lambda round: _transfers(round=round), parent=lambda transfer: transfer.round),
    DerivedFrom(model=RoundArrangement, records=lambda arrangement: _transfers(round_id=arrangement.round_id)),
    DerivedFrom(
        model=Finding, records=lambda finding: _transfers(finding=finding), parent=lambda transfer: transfer.finding
    ),
    DerivedFrom(model=Clue, records=lambda clue: _transfers(clue=clue), parent=lambda transfer: transfer.clue),
    DerivedFrom(
        model=Target, records=lambda target: _transfers(finding__target=target) | _transfers(clue__target=target)
    ),
)


def _transfer_values(body: dict) -> dict:
    return {
        "reference": body_text(body, "reference", 32, required=True),
        "category": body_text(body, "category", 32),
        "route": body_text(body, "route", 32),
        **superior_values(body),
    }


TRANSFERS = ledger_register(
    record_type="transfers.transfer",
    source_model=Transfer,
    snapshot=transfer_snapshot,
    assignee=transfer_assignee,
    audience=transfer_audience,
    derived_from=TRANSFER_DERIVED_FROM,
    values=_transfer_values,
    model=ReceivedTransfer,
    superior_link=lambda key: "transfers/",
)
TRANSFER, PROGRESS = TRANSFERS.down, TRANSFERS.up
