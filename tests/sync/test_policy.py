"""The sharing policy, one row per rule (docs/DESIGN.md: cross-county and elevated rounds,
confidentiality; issue #4 flows). Pure: no database."""

import pytest

from sync import policy
from sync.policy import OrgRef

PROVINCE = OrgRef("410000", "province", None)
CITY = OrgRef("410600", "city", "410000")
COUNTY_A = OrgRef("410621", "county", "410600")  # home county of a cross-county team
COUNTY_B = OrgRef("410622", "county", "410600")  # target county
OTHER_CITY = OrgRef("410700", "city", "410000")
OTHER_COUNTY = OrgRef("410721", "county", "410700")

ROUND = {
    "name": "第一轮",
    "kind": "regular",
    "batch": 1,
    "start_date": "2026-03-01",
    "end_date": "2026-04-01",
    "status": "planned",
    "classification": 1,
    "findings_secret": "x",
    "targets_count": 3,
}
ELEVATED = {**ROUND, "kind": "elevated", "target_managing_org_code": "410622", "cooperation": "提供办公场所"}
CROSS = {**ROUND, "kind": "cross", "team_home_org_code": "410621", "target_org_code": "410622"}
RECT = {
    "title": "整改事项",
    "category": "政治纪律",
    "description": "…",
    "target_name": "某局",
    "deadline": "2026-09-01",
    "status": "open",
    "assignee_org_code": "410622",
    "origin_round_kind": "regular",
    "feedback_given": True,
    "classification": 1,
    "evidence": "internal only",
}
RECT_CROSS_BEFORE = {**RECT, "origin_round_kind": "cross", "feedback_given": False}
RECT_CROSS_AFTER = {**RECT, "origin_round_kind": "cross", "feedback_given": True}
RECT_ELEVATED_BEFORE = {**RECT, "origin_round_kind": "elevated", "feedback_given": False}
FINDING = {
    "title": "问题",
    "category": "廉洁纪律",
    "target_name": "某局",
    "round_name": "第一轮",
    "summary": "…",
    "is_major": True,
    "classification": 2,
    "informant": "张三",
    "evidence": "…",
}
PLAN = {"year": 2026, "title": "2026年度巡察计划", "summary": "…", "status": "approved", "classification": 1}
TRANSFER = {
    "reference": "移交-1",
    "category": "问题线索",
    "route": "纪委监委",
    "target_name": "某局",
    "deadline": "2026-10-01",
    "status": "open",
    "assignee_org_code": "410622",
    "classification": 2,
    "clue_content": "机密内容",
}
TRANSFER_ELEVATED_BEFORE = {**TRANSFER, "origin_round_kind": "elevated", "feedback_given": False}
TRANSFER_CROSS_AFTER = {**TRANSFER, "origin_round_kind": "cross", "feedback_given": True}
FILING = {
    "kind": "annual_plan",
    "title": "2026年度巡察计划",
    "period": "2026",
    "revision": 2,
    "content": {"year": 2026},
    "note": "",
    "filed_at": "2026-02-01T09:00:00+08:00",
    "classification": 1,
    "findings_secret": "x",
}
RECEIPT = {
    "filing_key": "0b6c0b9e-2f55-4d4e-9a53-8f3a0f1c2d3e",
    "filing_revision": 2,
    "status": "returned",
    "comment": "请补充阶段安排",
    "decided_at": None,
    "classification": 1,
}
REPORT_STATISTICS = {
    "period": "2026",
    "counts": {"findings": 3},
    "coverage": {"targets_total": 9},
    "rounds": [],
    "overdue_open": 1,
    "generated_at": "2026-05-01T07:00:00+08:00",
    "classification": 1,
    "findings_secret": "x",
}
ESCALATION = {
    "reference": "SB-410621-20260301-ABCDEF12",
    "escalated_at": "2026-03-01T09:00:00+08:00",
    "escalated_by_id": 7,
    "escalated_by_name": "县巡察办",
    "source_org_name": "浚县",
    "round_name": "第一轮",
    "round_kind": "regular",
    "target_name": "县财政局",
    "category_code": "",
    "category_name": "",
    "summary": "关于县领导的线索",
    "persons": [{"name": "某某", "position": "副县长"}],
    "classification": 3,
}
ESCALATION_RECEIPT = {
    "reference": "SB-410621-20260301-ABCDEF12",
    "received_at": "2026-03-01T10:00:00+08:00",
    "classification": 1,
}
OVERDUE = {
    "item_type": "rectification_plan",
    "label": "某局整改方案",
    "due_date": "2026-05-01",
    "escalated_on": "2026-05-02",
    "resolved_on": None,
    "classification": 1,
}

# (id, record_type, record, source, destination, allowed, fields that must be present, fields that must be absent)
UNIT = {
    "name": "淇县财政局党组",
    "level": "county",
    "category": "县直部门",
    "managing_org_code": "410622",
    "region_code": "410622",
    "business_tags": ["财政"],
    "leaders": [{"name": "李明", "post": "局长", "is_principal": True}],
    "is_active": True,
    "classification": 1,
    "last_inspected_round": "内部记录",
}
PERSON = {
    "name": "陈组长",
    "unit": "县纪委监委",
    "post": "副主任",
    "home_region_code": "410621102",
    "specialty": "discipline",
    "relations": [{"unit": "淇县财政局党组", "managing_org_code": "410622", "kind": "official_matter"}],
    "user_id": 7,
    "is_active": True,
    "classification": 1,
    "note": "家庭住址、手机号",
    "phone": "13800000000",
}
RULES = [
    # never leaves the owner, whatever the direction
    ("clue never leaves (down)", "clues.clue", {"classification": 3}, CITY, COUNTY_A, False, (), ()),
    ("clue never leaves (up)", "clues.clue", {"classification": 1}, COUNTY_A, CITY, False, (), ()),
    ("clue never leaves (province)", "clues.clue", {"classification": 1}, CITY, PROVINCE, False, (), ()),
    ("pre-entry info never leaves", "clues.pre_entry_info", {"classification": 1}, CITY, COUNTY_A, False, (), ()),
    ("interview never leaves", "findings.interview", {"classification": 1}, COUNTY_A, CITY, False, (), ()),
    ("petition never leaves", "findings.petition", {"classification": 1}, COUNTY_A, CITY, False, (), ()),
    ("informant identity never leaves", "findings.informant", {"classification": 1}, CITY, PROVINCE, False, (), ()),
    (
        "confidential record never leaves",
        "planning.annual_plan",
        {**PLAN, "classification": 3},
        CITY,
        COUNTY_A,
        False,
        (),
        (),
    ),
    ("unknown type gets nothing", "misc.thing", {"classification": 0}, CITY, COUNTY_A, False, (), ()),
    ("unrelated organisations get nothing", "planning.annual_plan", PLAN, CITY, OTHER_COUNTY, False, (), ()),
    ("sibling cities get nothing", "planning.annual_plan", PLAN, CITY, OTHER_CITY, False, (), ()),
    (
        "grandchild gets nothing directly",
        "guidance.document",
        {"title": "t", "classification": 1},
        PROVINCE,
        COUNTY_A,
        False,
        (),
        (),
    ),
    # a county's clue about its own leadership: only up, to its city, only as 机密 (sealed on the wire)
    (
        "leadership clue goes up to the city",
        "clues.escalation",
        ESCALATION,
        COUNTY_A,
        CITY,
        True,
        ("summary", "persons", "reference"),
        (),
    ),
    (
        "leadership clue never goes to a sibling county",
        "clues.escalation",
        ESCALATION,
        COUNTY_A,
        COUNTY_B,
        False,
        (),
        (),
    ),
    ("leadership clue never goes down", "clues.escalation", ESCALATION, CITY, COUNTY_A, False, (), ()),
    (
        "leadership clue: a city does not escalate to the province",
        "clues.escalation",
        ESCALATION,
        CITY,
        PROVINCE,
        False,
        (),
        (),
    ),
    ("leadership clue never goes to another city", "clues.escalation", ESCALATION, COUNTY_A, OTHER_CITY, False, (), ()),
    ("leadership clue never to a foreign county", "clues.escalation", ESCALATION, OTHER_COUNTY, CITY, False, (), ()),
    (
        "leadership clue below 机密 is refused",
        "clues.escalation",
        {**ESCALATION, "classification": 2},
        COUNTY_A,
        CITY,
        False,
        (),
        (),
    ),
    (
        "leadership clue without a classification is refused",
        "clues.escalation",
        {k: v for k, v in ESCALATION.items() if k != "classification"},
        COUNTY_A,
        CITY,
        False,
        (),
        (),
    ),
    (
        "escalation receipt goes down to the county",
        "clues.escalation_receipt",
        ESCALATION_RECEIPT,
        CITY,
        COUNTY_A,
        True,
        ("reference", "received_at"),
        (),
    ),
    ("escalation receipt never goes up", "clues.escalation_receipt", ESCALATION_RECEIPT, COUNTY_A, CITY, False, (), ()),
    # down
    ("annual plan down", "planning.annual_plan", PLAN, CITY, COUNTY_A, True, ("year", "title"), ()),
    (
        "campaign down",
        "planning.campaign",
        {"title": "统一部署", "classification": 1},
        CITY,
        COUNTY_B,
        True,
        ("title",),
        (),
    ),
    (
        "regular round schedule down",
        "rounds.round",
        ROUND,
        CITY,
        COUNTY_A,
        True,
        ("name", "start_date", "end_date"),
        ("findings_secret", "targets_count"),
    ),
    (
        "elevated round: managing county gets existence, dates, cooperation",
        "rounds.round",
        ELEVATED,
        CITY,
        COUNTY_B,
        True,
        ("name", "start_date", "end_date", "cooperation"),
        ("status", "batch", "findings_secret"),
    ),
    ("elevated round: other counties get nothing", "rounds.round", ELEVATED, CITY, COUNTY_A, False, (), ()),
    ("cross round: home county A gets nothing", "rounds.round", CROSS, CITY, COUNTY_A, False, (), ()),
    ("cross round: target county B gets no round record", "rounds.round", CROSS, CITY, COUNTY_B, False, (), ()),
    (
        "rectification item to its assignee",
        "rectification.item",
        RECT,
        CITY,
        COUNTY_B,
        True,
        ("title", "deadline"),
        ("evidence",),
    ),
    ("rectification item not to other counties", "rectification.item", RECT, CITY, COUNTY_A, False, (), ()),
    (
        "cross round rectification list to B before feedback: no",
        "rectification.item",
        RECT_CROSS_BEFORE,
        CITY,
        COUNTY_B,
        False,
        (),
        (),
    ),
    (
        "cross round rectification list to B after feedback",
        "rectification.item",
        RECT_CROSS_AFTER,
        CITY,
        COUNTY_B,
        True,
        ("title",),
        ("evidence",),
    ),
    (
        "cross round rectification list never to A",
        "rectification.item",
        {**RECT_CROSS_AFTER},
        CITY,
        COUNTY_A,
        False,
        (),
        (),
    ),
    (
        "elevated round rectification list before feedback: no",
        "rectification.item",
        RECT_ELEVATED_BEFORE,
        CITY,
        COUNTY_B,
        False,
        (),
        (),
    ),
    (
        "transfer to its assignee without clue content",
        "transfers.transfer",
        TRANSFER,
        CITY,
        COUNTY_B,
        True,
        ("reference", "route", "deadline"),
        ("clue_content",),
    ),
    ("transfer not to other counties", "transfers.transfer", TRANSFER, CITY, COUNTY_A, False, (), ()),
    # One ledger rule (督办台账): a transfer waits for its round's feedback as the round's rectification list does.
    (
        "elevated round transfer before feedback: no",
        "transfers.transfer",
        TRANSFER_ELEVATED_BEFORE,
        CITY,
        COUNTY_B,
        False,
        (),
        (),
    ),
    (
        "cross round transfer to B after feedback, saying so",
        "transfers.transfer",
        TRANSFER_CROSS_AFTER,
        CITY,
        COUNTY_B,
        True,
        ("reference", "origin_round_kind", "feedback_given"),
        ("clue_content",),
    ),
    (
        "guidance down",
        "guidance.document",
        {"title": "模板", "classification": 1},
        CITY,
        COUNTY_A,
        True,
        ("title",),
        (),
    ),
    ("findings never go down", "findings.finding", FINDING, CITY, COUNTY_A, False, (), ()),
    # up
    ("county plan up", "planning.annual_plan", PLAN, COUNTY_A, CITY, True, ("year",), ()),
    ("round progress up", "rounds.round", ROUND, COUNTY_A, CITY, True, ("name", "targets_count"), ("findings_secret",)),
    (
        "major finding up without informant or evidence",
        "findings.finding",
        FINDING,
        COUNTY_A,
        CITY,
        True,
        ("title", "category", "summary"),
        ("informant", "evidence"),
    ),
    ("minor finding stays", "findings.finding", {**FINDING, "is_major": False}, COUNTY_A, CITY, False, (), ()),
    (
        "confidential major finding stays",
        "findings.finding",
        {**FINDING, "classification": 3},
        COUNTY_A,
        CITY,
        False,
        (),
        (),
    ),
    ("rectification status up", "rectification.item", RECT, COUNTY_A, CITY, True, ("status",), ("description",)),
    (
        "rectification progress on a superior item up",
        "rectification.progress",
        {"item_key": "7", "item_source": "410600", "status": "done", "classification": 1},
        COUNTY_B,
        CITY,
        True,
        ("item_key", "status"),
        (),
    ),
    (
        "transfer status up",
        "transfers.transfer",
        TRANSFER,
        COUNTY_A,
        CITY,
        True,
        ("status",),
        ("clue_content", "target_name"),
    ),
    (
        "transfer progress up",
        "transfers.progress",
        {"transfer_key": "3", "status": "handled", "classification": 1},
        COUNTY_B,
        CITY,
        True,
        ("status",),
        (),
    ),
    (
        "statistics up",
        "statistics.report",
        {"period": "2026", "findings": 3, "classification": 1},
        COUNTY_A,
        CITY,
        True,
        ("period", "findings"),
        (),
    ),
    (
        "statistics never down",
        "statistics.report",
        {"period": "2026", "classification": 1},
        CITY,
        COUNTY_A,
        False,
        (),
        (),
    ),
    ("summary up", "reports.summary", {"title": "总结", "classification": 1}, COUNTY_A, CITY, True, ("title",), ()),
    # province: filings only
    (
        "phase schedule down",
        "planning.phase_schedule",
        {"title": "第一阶段", "start_date": "2026-03-01", "classification": 1},
        CITY,
        COUNTY_B,
        True,
        ("title", "start_date"),
        (),
    ),
    (
        "province gets the phase schedule (filing)",
        "planning.phase_schedule",
        {"title": "第一阶段", "classification": 1},
        CITY,
        PROVINCE,
        True,
        ("title",),
        (),
    ),
    ("province gets the annual plan (filing)", "planning.annual_plan", PLAN, CITY, PROVINCE, True, ("year",), ()),
    (
        "province gets the round schedule (filing)",
        "rounds.round",
        ROUND,
        CITY,
        PROVINCE,
        True,
        ("name",),
        ("targets_count", "findings_secret"),
    ),
    (
        "province gets summaries (filing)",
        "reports.summary",
        {"title": "总结", "classification": 1},
        CITY,
        PROVINCE,
        True,
        ("title",),
        (),
    ),
    (
        "province gets hearing records (filing)",
        "reports.hearing_record",
        {"title": "五人小组", "classification": 1},
        CITY,
        PROVINCE,
        True,
        ("title",),
        (),
    ),
    ("province gets no findings", "findings.finding", FINDING, CITY, PROVINCE, False, (), ()),
    (
        "province gets no statistics",
        "statistics.report",
        {"period": "2026", "classification": 1},
        CITY,
        PROVINCE,
        False,
        (),
        (),
    ),
    ("province gets no rectification items", "rectification.item", RECT, CITY, PROVINCE, False, (), ()),
    ("province gets no transfers", "transfers.transfer", TRANSFER, CITY, PROVINCE, False, (), ()),
    # filings with the province and its answers (issue #6)
    (
        "city files with the province",
        "reports.filing",
        FILING,
        CITY,
        PROVINCE,
        True,
        ("kind", "revision", "content"),
        ("findings_secret",),
    ),
    ("filings never go down", "reports.filing", FILING, CITY, COUNTY_A, False, (), ()),
    ("a county does not file with its city as a filing", "reports.filing", FILING, COUNTY_A, CITY, False, (), ()),
    (
        "confidential filing never leaves",
        "reports.filing",
        {**FILING, "classification": 3},
        CITY,
        PROVINCE,
        False,
        (),
        (),
    ),
    (
        "province's answer goes to the city",
        "reports.filing_receipt",
        RECEIPT,
        PROVINCE,
        CITY,
        True,
        ("filing_key", "status", "comment"),
        (),
    ),
    ("province's answer never goes up", "reports.filing_receipt", RECEIPT, CITY, PROVINCE, False, (), ()),
    (
        "province's answer not to another city's county",
        "reports.filing_receipt",
        RECEIPT,
        PROVINCE,
        COUNTY_A,
        False,
        (),
        (),
    ),
    (
        "county statistics up to its city",
        "reports.statistics",
        REPORT_STATISTICS,
        COUNTY_A,
        CITY,
        True,
        ("counts", "coverage", "rounds"),
        ("findings_secret",),
    ),
    ("county statistics never to the province", "reports.statistics", REPORT_STATISTICS, CITY, PROVINCE, False, (), ()),
    ("county statistics never down", "reports.statistics", REPORT_STATISTICS, CITY, COUNTY_A, False, (), ()),
    ("overdue item escalated up", "reminders.overdue", OVERDUE, COUNTY_B, CITY, True, ("label", "due_date"), ()),
    ("overdue items never to the province", "reminders.overdue", OVERDUE, CITY, PROVINCE, False, (), ()),
    ("overdue items never down", "reminders.overdue", OVERDUE, CITY, COUNTY_A, False, (), ()),
    (
        "county's answer to a campaign up to its city",
        "planning.campaign_reply",
        {
            "campaign_key": "7",
            "answer": "declined",
            "reason": "本县正在开展换届工作",
            "replied_at": "2026-03-01T09:00:00+08:00",
            "classification": 1,
            "declined_by_id": 5,
        },
        COUNTY_B,
        CITY,
        True,
        ("campaign_key", "answer", "reason"),
        ("declined_by_id",),
    ),
    (
        "campaign answer never down",
        "planning.campaign_reply",
        {"campaign_key": "7", "answer": "declined", "classification": 1},
        CITY,
        COUNTY_B,
        False,
        (),
        (),
    ),
    (
        "campaign answer never to a sibling",
        "planning.campaign_reply",
        {"campaign_key": "7", "answer": "declined", "classification": 1},
        COUNTY_B,
        COUNTY_A,
        False,
        (),
        (),
    ),
    # a county's registries up to its city (issue 12): units it manages, its active pool, no contact data
    (
        "county's unit up to its city",
        "targets.target",
        UNIT,
        COUNTY_B,
        CITY,
        True,
        ("name", "level", "managing_org_code", "leaders", "region_code"),
        ("last_inspected_round",),
    ),
    ("county's unit never down", "targets.target", UNIT, CITY, COUNTY_B, False, (), ()),
    ("county's unit never to a sibling county", "targets.target", UNIT, COUNTY_B, COUNTY_A, False, (), ()),
    (
        "city's unit never to the province",
        "targets.target",
        {**UNIT, "managing_org_code": "410600"},
        CITY,
        PROVINCE,
        False,
        (),
        (),
    ),
    (
        "a unit another county manages is not this county's to share",
        "targets.target",
        UNIT,
        COUNTY_A,
        CITY,
        False,
        (),
        (),
    ),
    ("inactive unit is withdrawn", "targets.target", {**UNIT, "is_active": False}, COUNTY_B, CITY, False, (), ()),
    (
        "unit of another city's county",
        "targets.target",
        {**UNIT, "managing_org_code": "410721"},
        OTHER_COUNTY,
        CITY,
        False,
        (),
        (),
    ),
    (
        "county's pool member up to its city, with declared relations, no contact data",
        "experts.expert",
        PERSON,
        COUNTY_A,
        CITY,
        True,
        ("name", "unit", "post", "home_region_code", "specialty", "relations", "user_id"),
        ("note", "phone"),
    ),
    ("pool member never down", "experts.expert", PERSON, CITY, COUNTY_A, False, (), ()),
    ("pool member never to a sibling county", "experts.expert", PERSON, COUNTY_A, COUNTY_B, False, (), ()),
    ("pool member never to the province", "experts.expert", PERSON, CITY, PROVINCE, False, (), ()),
    (
        "inactive pool member is withdrawn",
        "experts.expert",
        {**PERSON, "is_active": False},
        COUNTY_A,
        CITY,
        False,
        (),
        (),
    ),
    (
        "confidential pool member never leaves",
        "experts.expert",
        {**PERSON, "classification": 3},
        COUNTY_A,
        CITY,
        False,
        (),
        (),
    ),
]


@pytest.mark.parametrize(
    "record_type,record,source,destination,allowed,present,absent",
    [row[1:] for row in RULES],
    ids=[row[0] for row in RULES],
)
def test_rule(record_type, record, source, destination, allowed, present, absent):
    decision = policy.decide(record_type=record_type, record=record, source=source, destination=destination)
    assert decision.allowed is allowed, decision.reason
    if not allowed:
        assert decision.reason
        with pytest.raises(ValueError):
            policy.project(record, decision)
        return
    projection = policy.project(record, decision)
    for name in present:
        assert name in projection
    for name in absent:
        assert name not in projection
    # The arrival check accepts exactly what the sender projected...
    assert policy.may_receive(record_type=record_type, body=projection, source=source, destination=destination).allowed
    # ...and refuses a body with one field more than the policy allows.
    smuggled = {**projection, "informant": "张三"}
    assert not policy.may_receive(
        record_type=record_type, body=smuggled, source=source, destination=destination
    ).allowed


def test_every_rule_type_is_covered_by_a_row():
    covered = {row[1] for row in RULES}
    assert set(policy.RULES) - {"planning.multi_year_plan"} <= covered
    assert covered >= policy.NEVER_LEAVE


def test_tombstones_are_accepted_only_between_related_organisations():
    assert policy.may_receive(record_type="guidance.document", body=None, source=CITY, destination=COUNTY_A).allowed
    assert not policy.may_receive(
        record_type="guidance.document", body=None, source=CITY, destination=OTHER_COUNTY
    ).allowed
    assert not policy.may_receive(record_type="clues.clue", body=None, source=CITY, destination=COUNTY_A).allowed
    # an escalation is never withdrawn (it was never stored at the county to withdraw)
    assert not policy.may_receive(record_type="clues.escalation", body=None, source=COUNTY_A, destination=CITY).allowed
