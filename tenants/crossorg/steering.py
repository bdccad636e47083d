"""Steering a running elevated or cross-county round from its page (issue 12 point 4): the read side (its
services are in setup.py: organised_round_update, organised_round_person_add, organised_round_unit_add).

The city office sees, on the round's page, the grants in force (who from county A, on which of B's units,
from and until when, in what state) and what each county has been sent of the round (the elevated notice,
rectification items, transfers) with the state of each message. Changing the window (the round's edit
page), the team (a person of A's pool added here; one removed with the team's own button) or the units
(taken off with the team's button; one of B's added here before the announcement) goes through the rounds
services, which re-derive the grants in the same transaction (cross_round_grants_sync): the next request
of a person who lost the right is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import ADMINISTRATOR_ROLES, Membership
from shared.grants.selectors import grants_for_round
from shared.orgs.models import Organization
from sync.orgs import current_organization
from sync.replicas import CopySent, ReplicaView, copies_sent
from tenants.crossorg.models import RoundArrangement
from tenants.crossorg.selectors import ORGANISED_KINDS, registry_people, registry_units
from tenants.experts.models import Expert
from tenants.kernel.documents import document_date
from tenants.kernel.roles import can_manage
from tenants.rounds import lifecycle
from tenants.rounds.models import MemberRole, Round, RoundKind, Team, TeamMember, TeamTarget
from tenants.targets.models import Target

IN_FORCE, NOT_YET, ENDED, WITHDRAWN, LAPSED = "in_force", "not_yet", "ended", "withdrawn", "lapsed"


def _grant_state_label(state: str) -> str:
    return {
        IN_FORCE: _("In force"),
        NOT_YET: _("Not yet started"),
        ENDED: _("Ended"),
        WITHDRAWN: _("Withdrawn"),
        LAPSED: _("Lapsed (no longer in post at home)"),
    }[state]


@dataclass(frozen=True)
class GrantRow:
    person: str
    home: str
    role: str
    units: tuple[str, ...]
    starts_on: date
    ends_on: date
    state: str
    state_label: str
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class DeliveryRow:
    county: str
    what: str
    item: str
    state: str
    state_label: str
    at: datetime | None


@dataclass
class Steering:
    round: Round
    home: Organization | None
    host: Organization | None
    grants: list[GrantRow] = field(default_factory=list)
    deliveries: list[DeliveryRow] = field(default_factory=list)
    people_choices: list[tuple[int, str]] = field(default_factory=list)
    unit_choices: list[tuple[int, str]] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)

    @property
    def is_cross(self) -> bool:
        return self.round.kind == RoundKind.CROSS


def _grant_state(grant, today: date, in_post: set[tuple[int, int]]) -> str:
    """As the access hook decides it (shared.grants.selectors): revoked, outside its window, or lapsed when the
    person no longer holds a post in the organisation the grant was given for."""
    if grant.revoked_at is not None:
        return WITHDRAWN
    if today < grant.starts_on:
        return NOT_YET
    if today > grant.ends_on:
        return ENDED
    lapsed = grant.home_organization_id is not None and (grant.user_id, grant.home_organization_id) not in in_post
    return LAPSED if lapsed else IN_FORCE


def round_grants(*, round: Round, today: date | None = None) -> list[GrantRow]:
    """Every grant the round has given (in force first, then the rest, newest first), with the units named."""
    today = today or timezone.localdate()
    grants = list(
        grants_for_round(organization=current_organization(), round_key=round.pk).select_related("home_organization")
    )
    names = dict(
        Target.objects.filter(pk__in={int(key) for grant in grants for key in grant.target_keys}).values_list(
            "pk", "name"
        )
    )
    pool_names = dict(
        Expert.objects.filter(user_id__in=[grant.user_id for grant in grants]).values_list("user_id", "name")
    )
    in_post = set(
        Membership.objects.filter(
            user_id__in=[grant.user_id for grant in grants],
            organization_id__in=[grant.home_organization_id for grant in grants if grant.home_organization_id],
            is_active=True,
        )
        .exclude(role__in=ADMINISTRATOR_ROLES)
        .values_list("user_id", "organization_id")
    )
    rows = []
    for grant in grants:
        state = _grant_state(grant, today, in_post)
        rows.append(
            GrantRow(
                person=pool_names.get(grant.user_id) or grant.user.display_name or grant.user.get_username(),
                home=grant.home_organization.name if grant.home_organization else "",
                role=str(MemberRole.LEADER.label if grant.role == "team_leader" else MemberRole.MEMBER.label),
                units=tuple(sorted(names.get(int(key), "—") for key in grant.target_keys)),
                starts_on=grant.starts_on,
                ends_on=grant.ends_on,
                state=state,
                state_label=_grant_state_label(state),
                withdrawn_at=grant.revoked_at,
            )
        )
    return sorted(rows, key=lambda row: row.state != IN_FORCE)


def _what(copy: CopySent, round: Round) -> tuple[str, str]:
    """What a copy is, in words, and which item (its own title, as the county holds it)."""
    if copy.record_type == "rounds.round":
        when = " — ".join(
            part for part in (document_date(copy.text("start_date")), document_date(copy.text("end_date"))) if part
        )
        return _("Notice of the elevated round (dates and cooperation asked)"), f"{round.name}（{when}）"
    if copy.record_type == "rectification.item":
        return _("Rectification list item"), copy.text("title")
    if copy.record_type == "transfers.transfer":
        return _("Transfer (handed over)"), copy.text("reference")
    return _("Other shared record"), ""


def _delivery_state(copy: CopySent) -> tuple[str, str, datetime | None]:
    if copy.tombstone:
        return (
            "withdrawn",
            _("Withdrawn (sent)") if copy.sent_at else _("Withdrawal waiting to be sent"),
            copy.sent_at or copy.updated_at,
        )
    if copy.sent_at is not None:
        return "sent", _("Sent"), copy.sent_at
    if copy.attempts:
        return "retrying", _("Sending, retrying (the bus is unreachable)"), copy.updated_at
    return "queued", _("Waiting to be sent"), copy.updated_at


def round_deliveries(*, round: Round) -> list[DeliveryRow]:
    """What each county has been sent of the round and of what derives from it, as the sender's copies say."""
    copies = copies_sent(instance=round)
    names = dict(
        Organization.objects.filter(code__in={copy.destination for copy in copies}).values_list("code", "name")
    )
    rows = []
    for copy in copies:
        what, item = _what(copy, round)
        state, label, at = _delivery_state(copy)
        rows.append(DeliveryRow(names.get(copy.destination, copy.destination), what, item, state, label, at))
    return rows


def _person_label(replica: ReplicaView) -> str:
    detail = " ".join(part for part in (replica.text("unit"), replica.text("post")) if part)
    return replica.text("name") + (f"（{detail}）" if detail else "")


def round_steering(*, round: Round, access, today: date | None = None) -> Steering | None:
    """What the city office steers on an elevated or cross-county round's page; None for any other round,
    organisation or role (the office's managers only)."""
    if round.kind not in ORGANISED_KINDS or not can_manage(access) or access.is_granted:
        return None
    arrangement = RoundArrangement.objects.filter(round=round).first()
    if arrangement is None:
        return None
    counties = {
        org.code: org
        for org in Organization.objects.filter(code__in=[arrangement.home_org_code, arrangement.host_org_code])
    }
    steering = Steering(
        round=round,
        home=counties.get(arrangement.home_org_code),
        host=counties.get(arrangement.host_org_code),
        grants=round_grants(round=round, today=today) if round.kind == RoundKind.CROSS else [],
        deliveries=round_deliveries(round=round),
        teams=list(Team.objects.filter(round=round).order_by("id")),
    )
    if round.kind == RoundKind.CROSS and steering.home and round.state in lifecycle.MEMBER_EDIT_STATES:
        on_team = set(
            TeamMember.objects.filter(round=round, expert__adoption__isnull=False).values_list(
                "expert__adoption__record_key", flat=True
            )
        )
        steering.people_choices = [
            (replica.pk, _person_label(replica))
            for replica in registry_people(access=access, county_code=steering.home.code)
            if replica.record_key not in on_team
        ]
    if steering.host and round.state in lifecycle.TEAM_EDIT_STATES:
        assigned = set(
            TeamTarget.objects.filter(round=round, target__adoption__isnull=False).values_list(
                "target__adoption__record_key", flat=True
            )
        )
        steering.unit_choices = [
            (replica.pk, replica.text("name"))
            for replica in registry_units(access=access, county_code=steering.host.code)
            if replica.record_key not in assigned
        ]
    return steering
