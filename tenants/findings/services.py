"""Findings and clues. Every change to these records goes through here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from sync.orgs import current_organization
from sync.outbox import record_changed
from tenants.findings import escalation
from tenants.findings.models import Clue, ClueEscalation, CluePerson, Finding, Severity
from tenants.kernel.access import require_cleared
from tenants.kernel.inputs import classification_level, required_text
from tenants.rounds.access import require_team_or_office, target_in_round

FINDING_LEVEL = Classification.INTERNAL  # what a finding is unless classified otherwise
CLUE_LEVEL = Classification.CONFIDENTIAL  # a clue is 机密 unless deliberately lowered to 秘密


def _check_round_target(round, target, team) -> None:
    if not target_in_round(round=round, target=target):
        raise ValidationError({"target": _("This unit is not a target of the round.")})
    if team is not None and team.round_id != round.pk:
        raise ValidationError({"team": _("This team belongs to another round.")})


@transaction.atomic
def finding_create(
    *,
    actor,
    access,
    round,
    target,
    category,
    title: str,
    description: str,
    evidence: str,
    severity: str = Severity.MINOR,
    team=None,
    fixed_on_spot: bool = False,
    fixed_on_spot_note: str = "",
    classification=None,
) -> Finding:
    require_team_or_office(actor=actor, access=access, round_id=round.pk)
    _check_round_target(round, target, team)
    if category is None or not category.is_active:
        raise ValidationError({"category": _("Choose an active finding category.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    if fixed_on_spot and not (fixed_on_spot_note or "").strip():
        raise ValidationError({"fixed_on_spot_note": _("Say how the problem was fixed on the spot.")})
    level = classification_level(classification, default=FINDING_LEVEL)
    require_cleared(access, level)
    finding = Finding.objects.create(
        round=round,
        team=team,
        target=target,
        category=category,
        severity=severity,
        title=required_text("title", title, _("The title")),
        description=required_text("description", description, _("The description")),
        evidence=required_text("evidence", evidence, _("The evidence")),
        fixed_on_spot=fixed_on_spot,
        fixed_on_spot_note=(fixed_on_spot_note or "").strip(),
        classification=level,
        created_by=actor,
    )
    record_changed(instance=finding)  # a major finding of a county goes up to its city (tenants/findings/sharing.py)
    return finding


def _county_leadership_named(persons, organization) -> bool:
    """Only a county escalates (a city keeps every clue it finds, its own leadership's included)."""
    if not escalation.leadership_matches(persons=persons):
        return False
    return escalation.escalation_destination(organization or current_organization()) is not None


@transaction.atomic
def clue_create(
    *,
    actor,
    access,
    round,
    target,
    summary: str,
    persons=(),
    findings=(),
    category=None,
    classification=None,
    concerns_own_leadership: bool = False,
    organization=None,
) -> Clue | ClueEscalation:
    """A clue is 机密 unless deliberately lowered to 秘密; never lower. A county's clue about its own
    leadership (chosen on the form, or a person concerned is on the office's leadership register) is
    not stored here: it is escalated, sealed, to the city and a content-free receipt is returned
    (tenants.findings.escalation)."""
    persons = list(persons)
    # Refused before the register is consulted: whoever may not write clues in this round learns nothing of it.
    require_team_or_office(actor=actor, access=access, round_id=round.pk)
    if concerns_own_leadership or _county_leadership_named(persons, organization):
        return escalation.clue_escalate(
            actor=actor,
            access=access,
            round=round,
            target=target,
            summary=summary,
            persons=persons,
            category=category,
            organization=organization,
        )
    level = classification_level(classification, default=CLUE_LEVEL, minimum=Classification.SECRET)
    require_cleared(access, level)  # refused before the input is checked: the page offers no form then
    _check_round_target(round, target, None)
    findings = list(findings)
    if any(finding.round_id != round.pk for finding in findings):
        raise ValidationError({"findings": _("A linked finding belongs to another round.")})
    clue = Clue.objects.create(
        round=round,
        target=target,
        category=category,
        classification=level,
        summary=required_text("summary", summary, _("The summary")),
        created_by=actor,
    )
    clue.findings.set(findings)
    for person in persons:
        name = (person.get("name") or "").strip()
        if not name:
            raise ValidationError({"persons": _("Every person concerned needs a name.")})
        CluePerson.objects.create(clue=clue, name=name, position=(person.get("position") or "").strip())
    return clue
