"""Counts from the in-round records (findings, clues, transfers, rectification) equal what this
test counts from the data it made; nothing of a clue's content reaches a filing."""

import datetime
import json
import uuid

import pytest
from django_tenants.utils import schema_context

from sync.models import OutboxMessage
from tenants.reports import summaries
from tenants.reports.services import filing_submit

from .helpers import round_with_targets

D = datetime.date
CLUE_TEXT = "某局长收受礼金线索（机密）"


@pytest.fixture
def made(orgs, make_member):
    """Two rounds in the city: one in 2029-Q2 with a known mix of records, one in 2029-Q4."""
    from tenants.agencies.models import Agency
    from tenants.findings.models import Clue, Finding
    from tenants.office.models import FindingCategory
    from tenants.rectification.models import Feedback, RectificationItem
    from tenants.transfers.models import Transfer

    user = make_member(orgs["city"], "office_admin", clearance=3)
    tag = uuid.uuid4().hex[:6]
    spec = {
        # (category, fixed on the spot) per finding
        "findings": [("A", True), ("A", False), ("A", True), ("A", False), ("B", True), ("B", False), ("B", False)],
        # finding index (or None) and closed? per rectification item
        "items": [(0, True), (0, False), (1, True), (2, False), (None, False)],
        # clue transfers: status per clue; plus one finding transfer, reported
        "clue_transfers": ["handed_over", "reported", "awaiting"],
    }
    with schema_context(orgs["city"].schema_name):
        categories = {
            name: FindingCategory.objects.create(code=f"t-{name.lower()}-{tag}", name=f"类别{name}-{tag}")
            for name in "AB"
        }
        agency = Agency.objects.create(name=f"市纪委监委-{tag}", kind="discipline")
        round, targets = round_with_targets(user, onsite_start=D(2029, 4, 6), targets=3)
        other, other_targets = round_with_targets(user, onsite_start=D(2029, 11, 2), targets=1)
        findings = [
            Finding.objects.create(
                round=round,
                target=targets[i % 3],
                category=categories[category],
                title=f"问题{i}",
                description="…",
                evidence="…",
                fixed_on_spot=fixed,
                created_by=user,
            )
            for i, (category, fixed) in enumerate(spec["findings"])
        ]
        Finding.objects.create(
            round=other,
            target=other_targets[0],
            category=categories["A"],
            title="另一轮问题",
            description="…",
            evidence="…",
            created_by=user,
        )
        feedback = Feedback.objects.create(
            round=round, target=targets[0], leadership_content="…", principal_content="…", created_by=user
        )
        for index, (finding_index, closed) in enumerate(spec["items"]):
            RectificationItem.objects.create(
                feedback=feedback,
                finding=findings[finding_index] if finding_index is not None else None,
                problem=f"问题{index}",
                task="整改",
                responsible_unit="某局",
                responsible_person="张某",
                due_date=D(2029, 9, 1),
                status="closed" if closed else "open",
                **({"evidence": "整改材料", "verified_by": user, "verified_on": D(2029, 8, 1)} if closed else {}),
            )
        for status in spec["clue_transfers"]:
            clue = Clue.objects.create(
                round=round, target=targets[1], summary=CLUE_TEXT, classification=3, created_by=user
            )
            Transfer.objects.create(
                round=round, transfer_type="discipline_clue", agency=agency, clue=clue, status=status, created_by=user
            )
        Transfer.objects.create(
            round=round,
            transfer_type="conduct_issue",
            agency=agency,
            finding=findings[4],
            status="reported",
            created_by=user,
        )
    return {"user": user, "round": round, "categories": categories, "spec": spec}


def test_round_counts_equal_the_counts_of_what_was_made(orgs, made):
    spec = made["spec"]
    expected_by_category = {}
    for category, _fixed in spec["findings"]:
        name = made["categories"][category].name
        expected_by_category[name] = expected_by_category.get(name, 0) + 1
    handed_over = [s for s in spec["clue_transfers"] if s != "awaiting"] + ["reported"]
    with schema_context(orgs["city"].schema_name):
        summary = summaries.round_summary(round_id=made["round"].pk)
        assert summary.in_round_data
        assert summary.findings == len(spec["findings"])
        assert summary.fixed_on_the_spot == sum(1 for _c, fixed in spec["findings"] if fixed)
        assert summary.findings_by_category == expected_by_category
        assert summary.rectification_items == len(spec["items"])
        assert summary.rectification_closed == sum(1 for _f, closed in spec["items"] if closed)
        assert summary.on_deadline_list == len({f for f, _c in spec["items"] if f is not None})
        assert summary.transfers == len(handed_over)
        assert summary.clues_transferred == sum(1 for s in spec["clue_transfers"] if s != "awaiting")
        assert summary.transfers_handled == handed_over.count("reported")
        assert summary.transfers_pending == handed_over.count("handed_over")
        assert summary.rectification_completion == round(100 * 2 / 5, 1)
        # the period holds this round only; the later round's finding is not counted
        assert summaries.period_summary(period="2029-Q2").findings == len(spec["findings"])
        assert summaries.period_summary(period="2029").findings == len(spec["findings"]) + 1


def test_a_round_summary_filing_carries_counts_never_clue_content(orgs, made):
    with schema_context(orgs["city"].schema_name):
        filing = filing_submit(
            kind="round_summary", subject_id=made["round"].pk, actor=made["user"], organization=orgs["city"]
        )
        assert filing.content["counts"]["clues_transferred"] == 2
        body = json.dumps(
            list(OutboxMessage.objects.filter(record_key=str(filing.key)).values_list("body", flat=True)),
            ensure_ascii=False,
        )
    assert CLUE_TEXT not in body and "问题0" not in body
