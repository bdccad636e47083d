"""The 工作台: what a person must do now in this organisation, by role, each item a link to where it is done.

Sections: overdue, due this week (red/yellow/green by the office's threshold), waiting for me (a signature, an
approval, a verification, a decision, an answer), my work (a team's rounds, units and on-site window), and new
arrivals (unread notices from above or below). Every source starts from the selector its list page uses (so role,
team, unit, agency and clearance scoping are the page's), costs a fixed number of queries whatever the number of
rows, and shows no more than LIMIT rows per source. A deadline of a record above the person's clearance shows only
that something is due (DueItem.classification), never its label.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shared.accounts.models import Role
from tenants.agencies.selectors import agency_ids_for_user
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES
from tenants.ledger.selectors import ledger_list
from tenants.ledger.services import GREEN, RED, status_colour
from tenants.planning.services import PLAN_MODELS
from tenants.rectification.models import ItemStatus, StatusThresholds, Submission, SubmissionKind, SupervisedItem
from tenants.rectification.selectors import feedback_list, item_list
from tenants.reminders.selectors import due_items, notifications_for
from tenants.reports.models import HearingRecord
from tenants.reports.selectors import PROVINCE_DECIDING_ROLES, received_filing_list
from tenants.rounds.models import Round, RoundState, TeamMember, TeamTarget
from tenants.transfers.models import Party, ReceivedTransfer, TransferSignature, TransferStatus
from tenants.transfers.selectors import transfer_list

OVERDUE, DUE, WAITING, MINE, ARRIVED = "overdue", "due", "waiting", "mine", "arrived"
SECTIONS = (OVERDUE, DUE, WAITING, MINE, ARRIVED)
LIMIT = 20  # rows per source on the page (the counts say how many there are)
ARRIVAL_DAYS = 7  # a superior's record counts as new this many days after it arrived
CLOSED_STATES = (RoundState.CLOSED, RoundState.ARCHIVED)


@dataclass(frozen=True)
class WorkItem:
    section: str
    title: str
    url: str
    due: datetime.date | None = None
    light: str = ""  # red | yellow | green: the office's 红黄绿 for a deadline
    counted: bool = True  # False for notices (the bell counts them) and a team's own rounds: not to-dos


@dataclass
class Workbench:
    today: datetime.date
    week_end: datetime.date
    items: list[WorkItem] = field(default_factory=list)

    def section(self, name: str) -> list[WorkItem]:
        return [item for item in self.items if item.section == name]

    @property
    def sections(self) -> list[tuple[str, list[WorkItem]]]:
        return [(name, self.section(name)) for name in SECTIONS]

    def count_under(self, url: str) -> int:
        """How many of the counted items lead into the module whose pages start with `url` (a home card's)."""
        return sum(1 for item in self.items if item.counted and url and item.url.startswith(url))


def _week_end(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=6 - today.weekday())


class _Collector:
    def __init__(self, *, access, organization, today: datetime.date, yellow_within_days: int):
        self.access, self.route = access, organization.route
        self.bench = Workbench(today=today, week_end=_week_end(today))
        self.yellow = yellow_within_days

    def add(self, section: str, title: str, url: str, **extra) -> None:
        self.bench.items.append(WorkItem(section, title, url, **extra))

    def deadline(self, *, title: str, url: str, due: datetime.date | None, done: bool = False) -> None:
        """Overdue or due this week (with its light); a later deadline is not work for now."""
        if done or due is None or due > self.bench.week_end:
            return
        light = status_colour(due=due, done=False, today=self.bench.today, yellow_within_days=self.yellow)
        self.add(OVERDUE if light == RED else DUE, title, url, due=due, light=light)

    def at(self, link: str) -> str:
        """A link relative to the organisation (or already absolute: another organisation's page)."""
        return link if link.startswith("/") else f"{self.route}{link}"


def _due_items(collect: _Collector, *, organization) -> None:
    """The office's registered deadlines (hearings, plans and reports, transfers, filings) for the roles they
    are for. Not cleared for the record: "one item due", leading to the module only."""
    roles = collect.access.roles
    for item in due_items(today=collect.bench.today, organization=organization):
        if not set(item.roles) & set(roles):
            continue
        if collect.access.cleared_for(item.classification):
            title, url = item.label, collect.at(item.link)
        else:
            title, url = (
                _("One item to do (classified above your clearance)"),
                collect.at(item.link.split("/")[0] + "/"),
            )
        collect.deadline(title=title, url=url, due=item.due)


def _rectification(collect: _Collector, *, actor) -> None:
    """Open rectification items due this week or overdue; those with evidence await the verifier."""
    access = collect.access
    items = item_list(actor=actor, access=access).exclude(status=ItemStatus.CLOSED)
    soon = items.filter(due_date__lte=collect.bench.week_end).order_by("due_date", "id")[:LIMIT]
    for item in soon:
        collect.deadline(
            title=_("Rectification: %(task)s (%(unit)s)") % {"task": item.task, "unit": item.feedback.target.name},
            url=reverse("rectification:feedback", args=[item.feedback_id]),
            due=item.due_date,
        )
    if is_office(access) or access.has_role(Role.TEAM_LEADER):
        waiting = items.filter(status=ItemStatus.EVIDENCE_SUBMITTED).order_by("evidence_submitted_on", "id")[:LIMIT]
        for item in waiting:
            collect.add(
                WAITING,
                _("Verify the evidence: %(task)s (%(unit)s)") % {"task": item.task, "unit": item.feedback.target.name},
                reverse("rectification:feedback", args=[item.feedback_id]),
                due=item.due_date,
            )


def _unit_submissions(collect: _Collector, *, actor) -> None:
    """A unit's liaison: the rectification plan and report its units still owe, by their due dates."""
    feedbacks = feedback_list(actor=actor, access=collect.access).filter(
        Q(plan_due__isnull=False) | Q(report_due__isnull=False)
    )
    kinds = (SubmissionKind.PLAN, SubmissionKind.REPORT)
    annotated = feedbacks.annotate(
        **{f"has_{kind}": Exists(Submission.objects.filter(feedback=OuterRef("pk"), kind=kind)) for kind in kinds}
    ).order_by("id")[:LIMIT]
    for feedback in annotated:
        url = reverse("rectification:feedback", args=[feedback.pk])
        unit = feedback.target.name
        collect.deadline(
            title=_("Rectification plan of %(unit)s") % {"unit": unit},
            url=url,
            due=feedback.plan_due,
            done=feedback.has_plan,
        )
        collect.deadline(
            title=_("Rectification report of %(unit)s") % {"unit": unit},
            url=url,
            due=feedback.report_due,
            done=feedback.has_report,
        )


def _transfers(collect: _Collector, *, actor) -> None:
    """Hand-over sheets awaiting the person's party's signature; for an agency, its handling reports due."""
    access = collect.access
    parties = []
    if is_office(access):
        parties.append(Party.OFFICE)
    if access.has_role(*TEAM_ROLES):
        parties.append(Party.TEAM)
    if access.has_role(Role.AGENCY_RECEIVER):
        parties.append(Party.AGENCY)
    transfers = transfer_list(actor=actor, access=access)
    url = reverse("transfers:index")
    for party in parties:
        unsigned = transfers.filter(status=TransferStatus.AWAITING_SIGNATURES).exclude(
            Exists(TransferSignature.objects.filter(transfer=OuterRef("pk"), party=party))
        )
        for transfer in unsigned.order_by("id")[:LIMIT]:
            collect.add(
                WAITING,
                _("Sign the hand-over sheet of transfer No. %(number)s as %(party)s")
                % {"number": transfer.pk, "party": Party(party).label},
                url,
            )
    if access.has_role(Role.AGENCY_RECEIVER) and agency_ids_for_user(person=actor):
        handling = transfers.filter(status=TransferStatus.HANDED_OVER, agency_id__in=agency_ids_for_user(person=actor))
        for transfer in handling.order_by("feedback_due", "id")[:LIMIT]:
            collect.deadline(
                title=_("Handling report on transfer No. %(number)s") % {"number": transfer.pk},
                url=url,
                due=transfer.feedback_due,
            )


def _superior_records(collect: _Collector) -> None:
    """A county's 督办 ledger: the city's items and transfers, new ones and their deadlines."""
    access = collect.access
    since = collect.bench.today - datetime.timedelta(days=ARRIVAL_DAYS)
    for model, noun, page in (
        (SupervisedItem, _("Supervised rectification item"), "rectification:supervised"),
        (ReceivedTransfer, _("Transfer from the city"), "transfers:received"),
    ):
        url = reverse(page)
        rows = ledger_list(model=model, access=access).order_by("deadline", "id")[:LIMIT]
        for row in rows:
            title = _("%(what)s: %(name)s") % {"what": noun, "name": row.label or row.target_name}
            if row.received_at.date() >= since and not row.is_done:
                collect.add(ARRIVED, _("New: %(what)s") % {"what": title}, url, due=row.deadline)
            collect.deadline(title=title, url=url, due=row.deadline, done=row.is_done)


def _leading_group(collect: _Collector) -> None:
    """Plans submitted for approval and heard rounds whose decision is not recorded yet."""
    for kind, model in PLAN_MODELS.items():
        for plan in model.objects.filter(status="submitted").order_by("id")[:LIMIT]:
            collect.add(
                WAITING,
                _("Decide on the plan: %(title)s") % {"title": plan.title},
                reverse("plans-detail", args=[kind, plan.pk]),
            )
    heard = (
        Round.objects.filter(state=RoundState.HEARING, classification__lte=collect.access.clearance)
        .exclude(Exists(HearingRecord.objects.filter(round=OuterRef("pk"))))
        .order_by("id")[:LIMIT]
    )
    for round in heard:
        collect.add(
            WAITING,
            _("Record the hearing's decisions: %(round)s") % {"round": round.name},
            reverse("rounds-detail", args=[round.pk]),
        )


def _team(collect: _Collector, *, actor) -> None:
    """A team's people: the rounds they are on (with the on-site window) and their team's units."""
    access = collect.access
    memberships = (
        TeamMember.objects.filter(expert__user=actor, round__classification__lte=access.clearance)
        .exclude(round__state__in=CLOSED_STATES)
        .select_related("team", "round")
        .order_by("round__onsite_start", "id")[:LIMIT]
    )
    memberships = list(memberships)
    for member in memberships:
        round = member.round
        window = ""
        if round.onsite_start and round.onsite_end:
            window = _("on site %(start)s – %(end)s") % {
                "start": date_format(round.onsite_start),
                "end": date_format(round.onsite_end),
            }
        collect.add(
            MINE,
            " · ".join(part for part in (round.name, member.team.name, round.get_state_display(), window) if part),
            reverse("rounds-detail", args=[round.pk]),
            counted=False,  # what they work on, not a to-do: the cards count to-dos
        )
    units = (
        TeamTarget.objects.filter(team_id__in=[m.team_id for m in memberships])
        .select_related("target", "round")
        .order_by("round_id", "id")[:LIMIT]
    )
    for unit in units:
        collect.add(
            MINE,
            _("Unit: %(unit)s (%(round)s)") % {"unit": unit.target.name, "round": unit.round.name},
            reverse("rounds-detail", args=[unit.round_id]),
            counted=False,
        )


def _province(collect: _Collector) -> None:
    """The province: filings received and not answered yet, waiting for those who answer them (the office); a
    viewer, who reads them but answers none, finds them among the new arrivals, not counted as a to-do."""
    deciding = collect.access.has_role(*PROVINCE_DECIDING_ROLES)
    for filing in received_filing_list(access=collect.access):
        if filing.status == "received":
            words = {"title": filing.body.get("title", ""), "city": filing.source_name}
            url = reverse("reports-inbox-detail", args=[filing.replica.source, filing.replica.record_key])
            if deciding:
                collect.add(WAITING, _("Answer the filing: %(title)s (%(city)s)") % words, url)
            else:
                collect.add(
                    ARRIVED, _("New: %(what)s") % {"what": f"{words['title']} · {words['city']}"}, url, counted=False
                )


def _notices(collect: _Collector, *, actor) -> None:
    """New arrivals from above or below: the person's unread notices (their own text is clearance-safe)."""
    unread = notifications_for(access=collect.access, actor=actor).exclude(reads__user=actor)[:LIMIT]
    for notice in unread:
        # Opened through the bell, so the notice is read once followed (then its page, or the list).
        opened = reverse("reminders-open", args=[notice.pk])
        collect.add(ARRIVED, notice.title, opened, due=notice.due_date, counted=False)


def workbench_for(*, actor, access, organization, today: datetime.date) -> Workbench:
    """The person's 工作台 in this organisation (empty for a granted outsider and for the administrators)."""
    collect = _Collector(
        access=access,
        organization=organization,
        today=today,
        yellow_within_days=StatusThresholds.current().yellow_within_days,
    )
    if access.is_granted or not access.has_working_role:
        return collect.bench
    if organization.kind == "province":
        _province(collect)
        return collect.bench
    office, reader = is_office(access), is_reader(access)
    _due_items(collect, organization=organization)
    if office or access.has_role(*TEAM_ROLES, Role.UNIT_LIAISON):
        _rectification(collect, actor=actor)
    if access.has_role(Role.UNIT_LIAISON):
        _unit_submissions(collect, actor=actor)
    if office or access.has_role(*TEAM_ROLES, Role.AGENCY_RECEIVER):
        _transfers(collect, actor=actor)
    if organization.kind == "county" and (office or reader):
        _superior_records(collect)
    if reader:
        _leading_group(collect)
    if access.has_role(*TEAM_ROLES):
        _team(collect, actor=actor)
    _notices(collect, actor=actor)
    collect.bench.items.sort(key=_order)
    return collect.bench


def _order(item: WorkItem) -> tuple:
    return (SECTIONS.index(item.section), item.due or datetime.date.max, item.title)


def light_counts(items: Iterable[WorkItem]) -> dict[str, int]:
    counts = {RED: 0, "yellow": 0, GREEN: 0}
    for item in items:
        if item.light:
            counts[item.light] += 1
    return counts
