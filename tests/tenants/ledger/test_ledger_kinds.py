"""Every kind of the county ledger (督办台账) follows the same rules: registered through `ledger_register`,
sent down by the policy's one ledger rule (assignee only; an elevated or cross-county round's record only
after feedback), its county row on the one model base. Pure: the registry, the policy and the models, no
database."""

from __future__ import annotations

import pytest

from sync import policy
from sync.policy import OrgRef
from sync.registry import record_type_get
from tenants.ledger.models import FromSuperior
from tenants.ledger.registry import ledgers

CITY = OrgRef("410600", "city", "410000")
COUNTY = OrgRef("410621", "county", "410600")
OTHER_COUNTY = OrgRef("410622", "county", "410600")


def test_both_county_ledgers_are_registered_kinds_of_the_one_ledger():
    kinds = {ledger.record_type: ledger for ledger in ledgers()}
    assert sorted(kinds) == ["rectification.item", "transfers.transfer"]
    assert {name: kind.progress_type for name, kind in kinds.items()} == {
        "rectification.item": "rectification.progress",
        "transfers.transfer": "transfers.progress",
    }
    assert sorted(kind.model.__name__ for kind in kinds.values()) == ["ReceivedTransfer", "SupervisedItem"]
    for kind in kinds.values():
        assert issubclass(kind.model, FromSuperior)
        assert record_type_get(kind.record_type) is kind.down and record_type_get(kind.progress_type) is kind.up


@pytest.mark.parametrize("record_type", ["rectification.item", "transfers.transfer"])
@pytest.mark.parametrize("kind", ["elevated", "cross"])
def test_an_elevated_or_cross_rounds_record_waits_for_feedback_in_every_ledger(record_type, kind):
    before = {"assignee_org_code": COUNTY.code, "origin_round_kind": kind, "feedback_given": False, "classification": 1}
    after = {**before, "feedback_given": True}
    assert not policy.decide(record_type=record_type, record=before, source=CITY, destination=COUNTY).allowed
    decision = policy.decide(record_type=record_type, record=after, source=CITY, destination=COUNTY)
    assert decision.allowed and {"origin_round_kind", "feedback_given"} <= decision.fields
    # the receiver re-checks the same rule on what it received (the fields it looks at travel)
    assert policy.may_receive(
        record_type=record_type, body=policy.project(after, decision), source=CITY, destination=COUNTY
    ).allowed
    assert not policy.decide(record_type=record_type, record=after, source=CITY, destination=OTHER_COUNTY).allowed


@pytest.mark.parametrize("record_type", ["rectification.item", "transfers.transfer"])
def test_a_regular_rounds_record_goes_before_feedback_and_says_so_in_every_ledger(record_type):
    record = {"assignee_org_code": COUNTY.code, "origin_round_kind": "regular", "feedback_given": False}
    decision = policy.decide(
        record_type=record_type, record={**record, "classification": 1}, source=CITY, destination=COUNTY
    )
    assert decision.allowed
    assert policy.project({**record, "classification": 1}, decision) == {**record, "classification": 1}
