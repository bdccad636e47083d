"""Major findings (重大问题) travel up: a county's grave (严重) findings go to its city, because "major
problems found are shared between levels within confidentiality discipline" (seed 000 §11).

The policy (sync/policy.py, `findings.finding`) lets a finding go up only when it is major and below
机密, with a projection of title, category, unit, round and a summary; a city's own findings (including
those of elevated and cross-county rounds, which live in the city) go nowhere.
"""

from __future__ import annotations

from sync.registry import DerivedFrom, SharedRecordType, register
from tenants.findings.models import Finding, Severity
from tenants.rounds.models import Round

FINDING = "findings.finding"
SUMMARY_CHARACTERS = 500


def finding_is_major(finding: Finding) -> bool:
    return finding.severity == Severity.GRAVE


def finding_snapshot(finding: Finding) -> dict:
    return {
        "title": finding.title,
        "category": finding.category.name,
        "target_name": finding.target.name,
        "round_name": finding.round.name,
        "summary": finding.description[:SUMMARY_CHARACTERS],
        "is_major": finding_is_major(finding),
        "classification": finding.classification,
    }


def finding_audience(finding: Finding, owner) -> set[str]:
    # The parent city is the only candidate; the policy then refuses what is not major (or is 机密), and a
    # finding that stops qualifying is withdrawn from the city's replica.
    if owner.kind != "county" or not owner.parent_id:
        return set()
    return {owner.parent.code}


FINDING_TYPE = register(
    SharedRecordType(
        record_type=FINDING,
        schema_version=1,
        model=Finding,
        snapshot=finding_snapshot,
        audience=finding_audience,
        # A round raised to 机密 takes its major findings back from the city (never less classified than it).
        derived_from=(
            DerivedFrom(
                model=Round,
                # through the round's own manager: each finding knows its round (the instance just saved), and
                # its unit and category come in the same statement (the snapshot reads all three).
                records=lambda round: round.findings.select_related("target", "category"),
                parent=lambda finding: finding.round,
            ),
        ),
    )
)
