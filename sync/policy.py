"""The sharing policy: for a record and a destination, may it be sent, and which fields.

Pure functions, no I/O: callers pass plain data (the record's snapshot as a dict and the two
organisations as OrgRef). The outbox asks before publishing; the consumer asks again on arrival
with the received projection (so every field a rule looks at is itself part of the projection).
Deny by default: an unknown record type or relationship gets nothing.

Rules (docs/DESIGN.md "Cross-county and elevated rounds, confidentiality"; docs/DOMAIN.md 保密纪律):
- clues, pre-entry information, interviews, petitions and informant identities never leave the owner;
- confidential (机密) records never leave, except where a rule below says otherwise: a county's clue
  about its own leadership (`clues.escalation`) goes up to its parent city only, always 机密 and
  sealed before it is written at the county (SEALED_UP; docs/CONFIDENTIALITY.md);
- elevated round → the county managing the target: existence, dates, cooperation only;
  its rectification list reaches that county only after feedback;
- cross-county round → no county gets the round; the target county B gets the rectification list
  after feedback; the home county A gets nothing;
- province → filings only (plans, schedules, summaries, hearing records);
- down (city → its counties): annual plans, campaigns, round schedules, guidance, and rectification
  items / transfers assigned to that county; a campaign's reminder (催办) to the one county it names;
- up (county → its city): county plans, round progress (stage, units, findings and rectification counted,
  the open items' due dates), major findings (not confidential),
  rectification and transfer status, statistics, summaries, and the county's live figures for the
  city's oversight (counts only: every key a code, every value a count);
- a county's registries up to its city, so the city staffs cross-county and elevated rounds from current
  data: its active units (被巡察单位, only those it manages; level, managing organisation, leadership) and
  its active pool (巡察人才库: name, unit, post, home region, specialty, declared relations for avoidance,
  the platform account the round's grant follows; never a note or contact data). A unit or person that is
  deactivated (or a unit handed to another county) is withdrawn;
- an office's audit checkpoints (`audit.anchor`: position, head hash, time, signature; 内部) up to its parent,
  a province included, so its audit log's head is held outside its own schema;
- files (attachments) travel only with a record that travels: a file's manifest (`attachments.file`) and
  its chunks (`attachments.chunk`) name the record type they belong to (`owner_type`) and go only where
  that record is held (the sender's audience is the record's holders, `sync.registry.HeldWith`), at its
  classification (so sealed with it from 秘密); never with a record that never leaves or is sealed
  before write, never 机密, to the province only with a filing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop  # marks each refusal's reason for translation (identity)

# A record as the sharing side snapshots it (field name -> JSON value).
Record = Mapping[str, Any]

PUBLIC, INTERNAL, SECRET, CONFIDENTIAL = 0, 1, 2, 3

# Relations between source and destination.
DOWN = "down"  # destination is a child of the source (city → county)
UP = "up"  # destination is the source's parent city (county → city)
TO_PROVINCE = "to_province"  # destination is the province above the source city
UNRELATED = "unrelated"

NEVER_LEAVE = frozenset(
    {"clues.clue", "clues.pre_entry_info", "findings.interview", "findings.petition", "findings.informant"}
)
# Sealed before they are written at the source (no clear body, no shared copy, never withdrawn):
# a county's clue about its own leadership, escalated to its city instead of being stored.
SEALED_UP = frozenset({"clues.escalation"})
# A file attached to a shared record: its manifest and its chunks (tenants/attachments/travel.py).
FILE_TYPES = frozenset({"attachments.file", "attachments.chunk"})
FILINGS = frozenset(
    {
        *FILE_TYPES,  # the rule lets them to the province only with a filing (_file_rule)
        "planning.annual_plan",
        "planning.multi_year_plan",
        "planning.phase_schedule",
        "rounds.round",
        "reports.summary",
        "reports.hearing_record",
        "reports.filing",
    }
)
# tenants.rounds spells two kinds with an underscore (ad_hoc, look_back); both spellings are accepted.
LINKED_ROUND_KINDS = frozenset({"regular", "special", "adhoc", "ad_hoc", "lookback", "look_back", "linked"})
ELEVATED, CROSS = "elevated", "cross"


@dataclass(frozen=True)
class OrgRef:
    code: str
    kind: str  # province | city | county
    parent_code: str | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    fields: frozenset[str] = frozenset()
    reason: str = ""


def deny(reason: str) -> Decision:
    return Decision(False, frozenset(), reason)


def allow(*fields: str) -> Decision:
    return Decision(True, frozenset(fields), "")


def relation(source: OrgRef, destination: OrgRef) -> str:
    if destination.parent_code == source.code and source.code != destination.code:
        return DOWN
    if source.parent_code == destination.code:
        return TO_PROVINCE if destination.kind == "province" else UP
    return UNRELATED


# --- the projections (canonical snapshot fields; docs/SYNC.md lists them for domain code) ---
PLAN_FIELDS = (
    "year",
    "start_year",
    "end_year",
    "title",
    "content",
    "summary",
    "status",
    "classification",
    "approved_on",
)
PHASE_FIELDS = ("title", "content", "year", "start_date", "end_date", "status", "classification")
CAMPAIGN_FIELDS = ("title", "summary", "topic", "start_date", "end_date", "closed_on", "classification")
# The city's reminder (催办) to one county of a campaign that county has not started.
CAMPAIGN_REMINDER_FIELDS = ("campaign_key", "campaign_title", "county_code", "sent_at", "classification")
# A county's answer to its city's campaign when it cannot run it (accepting is its linked round's progress).
CAMPAIGN_REPLY_FIELDS = ("campaign_key", "answer", "reason", "replied_at", "classification")
ROUND_SCHEDULE_FIELDS = ("name", "kind", "batch", "start_date", "end_date", "status", "classification")
ROUND_PROGRESS_FIELDS = ROUND_SCHEDULE_FIELDS + (
    "stage",
    "targets_count",
    "teams_count",
    "findings_count",
    "campaign_key",
    # the round's rectification (counts and the open items' due dates: the city counts what is overdue today)
    "rectification_items",
    "rectification_closed",
    "rectification_open_due",
    "overdue_open",
)
ELEVATED_NOTICE_FIELDS = ("name", "kind", "start_date", "end_date", "cooperation", "target_managing_org_code")
GUIDANCE_FIELDS = ("title", "doc_type", "summary", "content", "issued_on", "classification")
RECTIFICATION_DOWN_FIELDS = (
    "title",
    "category",
    "description",
    "target_name",
    "deadline",
    "deadline_provisional",
    "status",
    "assignee_org_code",
    "origin_round_kind",
    "feedback_given",
    "classification",
)
RECTIFICATION_UP_FIELDS = (
    "title",
    "category",
    "target_name",
    "deadline",
    "deadline_provisional",
    "status",
    "classification",
)
RECTIFICATION_PROGRESS_FIELDS = (
    "item_key",
    "item_source",
    "status",
    "progress_note",
    "completed_on",
    "reported_on",
    "classification",
)
TRANSFER_DOWN_FIELDS = (
    "reference",
    "category",
    "route",
    "target_name",
    "deadline",
    "deadline_provisional",
    "status",
    "assignee_org_code",
    "origin_round_kind",
    "feedback_given",
    "classification",
)
TRANSFER_UP_FIELDS = ("reference", "category", "route", "deadline", "deadline_provisional", "status", "classification")
TRANSFER_PROGRESS_FIELDS = ("transfer_key", "transfer_source", "status", "handled_on", "reported_on", "classification")
FINDING_UP_FIELDS = ("title", "category", "target_name", "round_name", "summary", "is_major", "classification")
STATISTICS_FIELDS = (
    "period",
    "rounds",
    "targets_covered",
    "findings",
    "fixed_on_the_spot",
    "rectification_items",
    "rectification_closed",
    "transfers",
    "classification",
)
SUMMARY_FIELDS = ("title", "period", "summary", "classification")
HEARING_FIELDS = ("title", "heard_on", "decisions", "classification")
# Filing with the province (issue #6): the city's filing up, the province's answer down to that city.
FILING_FIELDS = ("kind", "title", "period", "revision", "content", "note", "filed_at", "classification")
FILING_RECEIPT_FIELDS = ("filing_key", "filing_revision", "status", "comment", "decided_at", "classification")
# A county's generated statistics for its city's oversight (counts, coverage, rounds' progress; no case content).
REPORT_STATISTICS_FIELDS = ("period", "counts", "coverage", "rounds", "overdue_open", "generated_at", "classification")
# A county's clue about its own leadership, for its city (sealed; 机密).
ESCALATION_FIELDS = (
    "reference",
    "escalated_at",
    "escalated_by_id",
    "escalated_by_name",
    "source_org_name",
    "round_name",
    "round_kind",
    "target_name",
    "category_code",
    "category_name",
    "summary",
    "persons",
    "classification",
)
# The city's content-free acknowledgement of an escalation, back to the county.
ESCALATION_RECEIPT_FIELDS = ("reference", "received_at", "classification")
# A county's registries for its city (issue 12): its units and its pool, no private contact data.
TARGET_UP_FIELDS = (
    "name",
    "level",
    "category",
    "managing_org_code",
    "region_code",
    "business_tags",
    "leaders",
    "is_active",
    "classification",
)
EXPERT_UP_FIELDS = (
    "name",
    "unit",
    "post",
    "home_region_code",
    "specialty",
    "relations",
    "user_id",
    "is_active",
    "classification",
)
# A file's manifest: what it is and the record it belongs to; the receiver shows it once every chunk
# arrived and the content's digest is `sha256`.
FILE_FIELDS = ("owner_type", "owner_key", "name", "content_type", "size", "sha256", "chunks", "classification")
# One piece of a file's content (base64 `data`, `index` from 0; at most about 96 KiB of content each).
CHUNK_FIELDS = ("owner_type", "file_key", "index", "data", "classification")
OVERDUE_FIELDS = ("item_type", "label", "due_date", "escalated_on", "resolved_on", "classification")
# A signed checkpoint of an office's audit chain head (tenants/audit/sharing.py): no event, no name, no content.
AUDIT_ANCHOR_FIELDS = ("kind", "seq", "head_hash", "at", "signature", "classification")
# Kept by the organisation above the owner, a province included (it is not a filing, but it is no content either).
ANCHORED_UP = frozenset({"audit.anchor"})
# A county's live figures for its city's oversight (one record per county): counts only, no case's name or text.
LIVE_STATISTICS_FIELDS = (
    "rounds_by_state",
    "coverage",
    "items_by_light",
    "items_total",
    "items_closed",
    "overdue",
    "transfers_by_state",
    "trend",
    "classification",
)
# The live figures' keys are codes (a stage, a light, a month "2026-07"), their leaves counts; the
# coverage's cycle start is the one date. Anything else (a name, a title, a text) refuses the record.
_FIGURE_KEY = re.compile(r"^[a-z0-9_-]{1,32}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _counts_only(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    if isinstance(value, Mapping):
        return all(isinstance(key, str) and _FIGURE_KEY.match(key) and _counts_only(v) for key, v in value.items())
    return False


def _round_rule(record: Record, rel: str, destination: OrgRef) -> Decision:
    kind = record.get("kind")
    if rel == TO_PROVINCE:
        return allow(*ROUND_SCHEDULE_FIELDS)
    if rel == UP:
        if kind in (ELEVATED, CROSS):
            return deny(gettext_noop("a county does not organise elevated or cross-county rounds"))
        return allow(*ROUND_PROGRESS_FIELDS)
    if rel == DOWN:
        if kind == ELEVATED:
            if record.get("target_managing_org_code") == destination.code:
                return allow(*ELEVATED_NOTICE_FIELDS)
            return deny(gettext_noop("an elevated round is told only to the county managing the target"))
        if kind == CROSS:
            return deny(
                gettext_noop("no county receives a cross-county round; the target county gets its rectification list")
            )
        if kind in LINKED_ROUND_KINDS:
            return allow(*ROUND_SCHEDULE_FIELDS)
        return deny(gettext_noop("unknown round kind"))
    return deny(gettext_noop("no flow for this relation"))


def _ledger_rule(*, down: tuple[str, ...], up: tuple[str, ...]) -> Callable[[Record, str, OrgRef], Decision]:
    """A record a city assigns to one county's ledger (督办台账: rectification items, transfers, …):
    down only to the county named in `assignee_org_code`; of an elevated or cross-county round
    (`origin_round_kind`) only once the round's feedback was given (`feedback_given`), withdrawn again
    if that stops holding. Every ledger record carries both fields for every round kind, true to the
    record, so reaching feedback re-shares each of them alike (one rule, decided here)."""

    def rule(record: Record, rel: str, destination: OrgRef) -> Decision:
        if rel == DOWN:
            if record.get("assignee_org_code") != destination.code:
                return deny(gettext_noop("a ledger record goes only to the county it is assigned to"))
            if record.get("origin_round_kind") in (ELEVATED, CROSS) and record.get("feedback_given") is not True:
                return deny(
                    gettext_noop("a ledger record of an elevated or cross-county round is sent only after feedback")
                )
            return allow(*down)
        if rel == UP:
            return allow(*up)
        return deny(gettext_noop("no flow for this relation"))

    return rule


def _finding_rule(record: Record, rel: str, destination: OrgRef) -> Decision:
    if rel != UP:
        return deny(gettext_noop("findings travel only up, to the parent city"))
    if record.get("is_major") is not True:
        return deny(gettext_noop("only major findings are reported up"))
    return allow(*FINDING_UP_FIELDS)


def _escalation_rule(record: Record, rel: str, destination: OrgRef) -> Decision:
    if rel != UP:
        return deny(gettext_noop("a clue about an office's own leadership goes only up, to its parent city"))
    if record.get("classification") != CONFIDENTIAL:
        return deny(gettext_noop("a clue about an office's own leadership travels only as 机密"))
    return allow(*ESCALATION_FIELDS)


def _registry_rule(fields: tuple[str, ...]) -> Callable[[Record, str, OrgRef], Decision]:
    """A county's unit or pool member: up to its city only, and only while active."""

    def rule(record: Record, rel: str, destination: OrgRef) -> Decision:
        if rel != UP:
            return deny(gettext_noop("a county's registries go only up, to its parent city"))
        if record.get("is_active") is not True:
            return deny(gettext_noop("an inactive unit or pool member is not shared"))
        return allow(*fields)

    return rule


def _campaign_reminder_rule(record: Record, rel: str, destination: OrgRef) -> Decision:
    if rel != DOWN:
        return deny(gettext_noop("a campaign reminder goes only down, from the city"))
    if record.get("county_code") != destination.code:
        return deny(gettext_noop("a campaign reminder goes only to the county it is meant for"))
    return allow(*CAMPAIGN_REMINDER_FIELDS)


def _audit_anchor_rule(record: Record, rel: str, destination: OrgRef) -> Decision:
    if rel not in (UP, TO_PROVINCE):
        return deny(gettext_noop("an audit checkpoint goes only up, to the parent organisation"))
    if record.get("classification") != INTERNAL or record.get("kind") not in ("anchor", "rekey"):
        return deny(gettext_noop("an audit checkpoint is 内部 and names only its kind, position and hash"))
    return allow(*AUDIT_ANCHOR_FIELDS)


def _live_statistics_rule(record: Record, rel: str, destination: OrgRef) -> Decision:
    if rel != UP:
        return deny(gettext_noop("a county's live figures go only up, to its parent city"))
    coverage = dict(record.get("coverage") or {})
    cycle_start = coverage.pop("cycle_start", None)
    if cycle_start is not None and not (isinstance(cycle_start, str) and _ISO_DATE.match(cycle_start)):
        return deny(gettext_noop("live figures carry counts only"))
    figures = {name: record[name] for name in LIVE_STATISTICS_FIELDS if name in record and name != "coverage"}
    if not _counts_only({**figures, "coverage": coverage}):
        return deny(gettext_noop("live figures carry counts only"))
    return allow(*LIVE_STATISTICS_FIELDS)


def _file_rule(fields: tuple[str, ...]) -> Callable[[Record, str, OrgRef], Decision]:
    """A file's manifest or chunk: only with a record type that may travel at all, in a relation that
    type has (the sender sends it only where the record itself is held)."""

    def rule(record: Record, rel: str, destination: OrgRef) -> Decision:
        owner_type = record.get("owner_type")
        if (
            not isinstance(owner_type, str)
            or owner_type not in RULES
            or owner_type in NEVER_LEAVE
            or owner_type in SEALED_UP
            or owner_type in FILE_TYPES
        ):
            return deny(gettext_noop("a file travels only with a record that travels"))
        if rel == TO_PROVINCE and owner_type not in FILINGS:
            return deny(gettext_noop("the province receives files of filings only"))
        return allow(*fields)

    return rule


def _relations(allowed: dict[str, tuple[str, ...]]) -> Callable[[Record, str, OrgRef], Decision]:
    def rule(record: Record, rel: str, destination: OrgRef) -> Decision:
        if rel in allowed:
            return allow(*allowed[rel])
        return deny(gettext_noop("no flow for this relation"))

    return rule


RULES: dict[str, Callable[[Record, str, OrgRef], Decision]] = {
    "planning.annual_plan": _relations({DOWN: PLAN_FIELDS, UP: PLAN_FIELDS, TO_PROVINCE: PLAN_FIELDS}),
    "planning.multi_year_plan": _relations({DOWN: PLAN_FIELDS, UP: PLAN_FIELDS, TO_PROVINCE: PLAN_FIELDS}),
    "planning.phase_schedule": _relations({DOWN: PHASE_FIELDS, UP: PHASE_FIELDS, TO_PROVINCE: PHASE_FIELDS}),
    "planning.campaign": _relations({DOWN: CAMPAIGN_FIELDS}),
    "planning.campaign_reply": _relations({UP: CAMPAIGN_REPLY_FIELDS}),
    "planning.campaign_reminder": _campaign_reminder_rule,
    "rounds.round": _round_rule,
    "guidance.document": _relations({DOWN: GUIDANCE_FIELDS}),
    "rectification.item": _ledger_rule(down=RECTIFICATION_DOWN_FIELDS, up=RECTIFICATION_UP_FIELDS),
    "rectification.progress": _relations({UP: RECTIFICATION_PROGRESS_FIELDS}),
    "transfers.transfer": _ledger_rule(down=TRANSFER_DOWN_FIELDS, up=TRANSFER_UP_FIELDS),
    "transfers.progress": _relations({UP: TRANSFER_PROGRESS_FIELDS}),
    "findings.finding": _finding_rule,
    "statistics.report": _relations({UP: STATISTICS_FIELDS}),
    "reports.summary": _relations({UP: SUMMARY_FIELDS, TO_PROVINCE: SUMMARY_FIELDS}),
    "reports.hearing_record": _relations({TO_PROVINCE: HEARING_FIELDS}),
    "reports.filing": _relations({TO_PROVINCE: FILING_FIELDS}),
    "reports.filing_receipt": _relations({DOWN: FILING_RECEIPT_FIELDS}),
    "reports.statistics": _relations({UP: REPORT_STATISTICS_FIELDS}),
    "reports.live_statistics": _live_statistics_rule,
    "reminders.overdue": _relations({UP: OVERDUE_FIELDS}),
    "clues.escalation": _escalation_rule,
    "clues.escalation_receipt": _relations({DOWN: ESCALATION_RECEIPT_FIELDS}),
    "targets.target": _registry_rule(TARGET_UP_FIELDS),
    "experts.expert": _registry_rule(EXPERT_UP_FIELDS),
    "audit.anchor": _audit_anchor_rule,
    "attachments.file": _file_rule(FILE_FIELDS),
    "attachments.chunk": _file_rule(CHUNK_FIELDS),
}
# Records that name the organisation they belong to: only that organisation shares them (a county's
# registry holds units it does not manage, e.g. to declare a relation; those are not its to share).
OWNER_FIELD = {"targets.target": "managing_org_code"}


def decide(*, record_type: str, record: Record, source: OrgRef, destination: OrgRef) -> Decision:
    """May `record` (a snapshot) of `record_type` owned by `source` go to `destination`, and with which fields."""
    if record_type in NEVER_LEAVE:
        return deny(gettext_noop("this kind of record never leaves the owning office"))
    rule = RULES.get(record_type)
    if rule is None:
        return deny(gettext_noop("unknown record type"))
    if source.code == destination.code:
        return deny(gettext_noop("an organisation does not send to itself"))
    if record_type in SEALED_UP:  # the one 机密 flow: checked before the blanket 机密 rule
        if source.kind != "county":
            return deny(gettext_noop("only a county escalates a clue about its own leadership"))
        return rule(record, relation(source, destination), destination)
    if record.get("classification", INTERNAL) >= CONFIDENTIAL:
        return deny(gettext_noop("confidential (机密) records never leave the owning office"))
    rel = relation(source, destination)
    if rel == UNRELATED:
        return deny(gettext_noop("the organisations are not parent and child"))
    if record_type in OWNER_FIELD and record.get(OWNER_FIELD[record_type]) != source.code:
        return deny(gettext_noop("only the organisation a record belongs to shares it"))
    if rel == TO_PROVINCE and record_type not in FILINGS and record_type not in ANCHORED_UP:
        return deny(gettext_noop("the province receives filings only"))
    return rule(record, rel, destination)


def project(record: Record, decision: Decision) -> dict[str, Any]:
    """The fields of `record` that `decision` lets through (an allow-list; missing ones are omitted)."""
    if not decision.allowed:
        raise ValueError("cannot project a denied record")
    return {name: record[name] for name in sorted(decision.fields) if name in record}


def may_receive(*, record_type: str, body: Record | None, source: OrgRef, destination: OrgRef) -> Decision:
    """The arrival check: the same rule on the received projection, and no field beyond it.
    A tombstone (body None) is accepted for any known type between related organisations."""
    if body is None:
        if record_type in NEVER_LEAVE or record_type in SEALED_UP or record_type not in RULES:
            return deny(gettext_noop("unknown, never-shared or never-withdrawn record type"))
        if relation(source, destination) == UNRELATED:
            return deny(gettext_noop("the organisations are not parent and child"))
        return Decision(True, frozenset(), "")
    decision = decide(record_type=record_type, record=body, source=source, destination=destination)
    if decision.allowed:
        extra = set(body) - decision.fields
        if extra:
            return deny(gettext_noop("the body carries fields the policy does not allow"))
    return decision
