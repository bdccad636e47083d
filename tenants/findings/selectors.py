"""Read queries for findings and clues, filtered by role, round and clearance."""

from __future__ import annotations

from sync.replicas import replica_rows
from tenants.findings.models import Clue, Finding
from tenants.findings.sharing import FINDING
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES
from tenants.rounds.access import round_scope
from xuncha.clearance import narrow_for_grant


def _scoped(queryset, *, actor, access):
    scope = round_scope(actor=actor, access=access)
    queryset = queryset if scope is None else queryset.filter(round_id__in=scope)
    return narrow_for_grant(queryset, access)


def may_read_findings(access) -> bool:
    """Who reads findings and clues at all (the page and the API refuse everyone else): the office, the
    leading group and the teams; the lists then narrow to their rounds and clearance."""
    return is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES)


def finding_list(*, actor, access, round_id=None):
    if not may_read_findings(access):
        return Finding.objects.none()
    queryset = Finding.objects.filter(classification__lte=access.clearance).select_related(
        "category", "target", "round", "team"
    )
    if round_id is not None:
        queryset = queryset.filter(round_id=round_id)
    return _scoped(queryset, actor=actor, access=access)


def clue_list(*, actor, access, round_id=None):
    if not may_read_findings(access):
        return Clue.objects.none()
    queryset = Clue.objects.filter(classification__lte=access.clearance).select_related("category", "target", "round")
    if not is_office(access):  # a county's clue about its own leadership: the city office only
        queryset = queryset.filter(origin_org_code="")
    if round_id is not None:
        queryset = queryset.filter(round_id=round_id)
    return _scoped(queryset, actor=actor, access=access)


def reported_major_finding_list(*, access, sources):
    """Major findings that the given child organisations reported up (replicas), within the reader's clearance,
    newest first; not yet read (sync.replicas.ReplicaRows: a page reads its own rows)."""

    return replica_rows(record_type=FINDING, sources=sources, clearance=access.clearance, order="newest")
