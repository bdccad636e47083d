"""The bus fuzz corpus, in process: malformed, forged, replayed and oversized messages each get a
verdict (a dead letter with its reason) before any database write; none is applied, none raises,
and a genuine message behind a burst of them is applied in the same batch (nothing put back).
Over the real RabbitMQ with the consumer process: tests/sync/test_bus.py."""

import datetime
import hashlib
import json
import random
import uuid

import pytest
from django_tenants.utils import schema_context

from sync import inbox
from sync.models import DeadLetter, Replica
from tests.sync.test_batch import _documents
from tests.sync.test_exchange import _fields, _signed

TODAY = datetime.date(2026, 3, 1)


def _unsigned(fields) -> bytes:
    return json.dumps({"envelope": fields, "signature": None}).encode()  # \u escapes kept as written


POISON = [
    # (what, reason, raw)
    ("empty body", "malformed", lambda: b""),
    ("empty body as py-amqp gives it", "malformed", lambda: ""),
    ("blank", "malformed", lambda: b" \n "),
    ("JSON nested 50,000 deep", "malformed", lambda: b"[" * 50_000 + b"]" * 50_000),
    (
        "a body nested 50,000 deep",
        "malformed",
        lambda: b'{"envelope":{"format":1,"body":{"a":' + b"[" * 50_000 + b"]" * 50_000 + b"}}}",
    ),
    (
        "brackets inside strings do not count",
        "unsigned",
        lambda: _unsigned(_fields(body={"title": "[[[[{{{{" * 100 + '\\"' * 10, "classification": 1})),
    ),
    ("NUL in the record key", "malformed", lambda: _signed(_fields(key="99\x0001"))),
    ("NUL in the record type", "malformed", lambda: _signed(_fields(type="guidance.document\x00"))),
    ("NUL in the source", "malformed", lambda: _signed(_fields(source="4106\x0000"))),
    ("NUL in the message id", "malformed", lambda: _signed(_fields(id=str(uuid.uuid4()) + "\x00"))),
    ("NUL in a body text", "malformed", lambda: _signed(_fields(body={"title": "t\x00", "classification": 1}))),
    ("NUL in a body key", "malformed", lambda: _signed(_fields(body={"t\x00": "t", "classification": 1}))),
    ("a lone surrogate in the key", "malformed", lambda: _unsigned(_fields(key="\ud800"))),
    ("a lone surrogate in the body", "malformed", lambda: _unsigned(_fields(body={"title": "\udfff"}))),
    ("version 2^70, signed", "malformed", lambda: _signed(_fields(version=2**70))),
    ("version 2^63, signed", "malformed", lambda: _signed(_fields(version=2**63))),
    ("version 0", "malformed", lambda: _signed(_fields(version=0))),
    ("schema 2^40", "malformed", lambda: _signed(_fields(schema=2**40))),
    ("version as text", "malformed", lambda: _signed(_fields(version="1"))),
    ("version true", "malformed", lambda: _signed(_fields(version=True))),
    ("a float version", "malformed", lambda: _signed(_fields(version=1.0))),
    ("a message id in urn form", "malformed", lambda: _signed(_fields(id=f"urn:uuid:{uuid.uuid4()}"))),
    ("a message id in braces", "malformed", lambda: _signed(_fields(id=f"{{{uuid.uuid4()}}}"))),
    ("NaN in the body", "malformed", lambda: _signed(_fields(body={"title": float("nan"), "classification": 1}))),
    (
        "1e999 in the body",
        "malformed",
        lambda: _signed(_fields(body={"title": 1.5, "classification": 1})).replace(b"1.5", b"1e999"),
    ),
    (
        "a 5000-digit number",
        "malformed",
        lambda: _signed(_fields(body={"title": 15, "classification": 1})).replace(b"15", b"9" * 5000),
    ),
    ("the envelope is a list", "malformed", lambda: b'{"envelope":[]}'),
    ("not UTF-8", "malformed", lambda: b'{"envelope":"\xff"}'),
    (
        "a sealed body that is not an object",
        "malformed",
        lambda: _signed(_fields(classification=2, body=None, sealed=[1])),
    ),
    ("oversized", "oversized", lambda: _signed(_fields(body={"title": "长" * 100_000, "classification": 1}))),
    ("forged", "forged", lambda: _signed(_fields(), signer="410622")),
    (
        "header 公开, body 内部, signed with the real city key",
        "policy",
        lambda: _signed(_fields(classification=0, body={"title": "t", "classification": 1})),
    ),
    (
        "header 内部, body 公开",
        "policy",
        lambda: _signed(_fields(classification=1, body={"title": "t", "classification": 0})),
    ),
    (
        "header 公开, body without a level (内部)",
        "policy",
        lambda: _signed(_fields(classification=0, body={"title": "t"})),
    ),
    (
        "a body level that is not a number",
        "policy",
        lambda: _signed(_fields(classification=1, body={"title": "t", "classification": True})),
    ),
]


@pytest.mark.parametrize("what,reason,make", POISON, ids=[what for what, _, _ in POISON])
def test_poison_gets_a_dead_letter_with_its_reason_and_is_never_applied(orgs, what, reason, make):
    raw = make()
    [verdict] = inbox.messages_receive(receiver=orgs["county_a"], raws=[raw])
    assert not isinstance(verdict, Exception), verdict  # an exception means "put back" (requeued)
    assert (verdict.outcome, verdict.reason) == ("dead", reason)
    raw_bytes = raw.encode() if isinstance(raw, str) else raw
    with schema_context(orgs["county_a"].schema_name):
        assert not Replica.objects.filter(record_key__startswith="99").exists()
        assert DeadLetter.objects.filter(fingerprint=hashlib.sha256(raw_bytes).hexdigest(), reason=reason).count() == 1
    # One at a time too (what a retry after a failed batch uses): the same verdict.
    again = inbox.message_receive(receiver=orgs["county_a"], raw=raw)
    assert (again.outcome, again.reason) == ("dead", reason)


def test_a_genuine_message_behind_a_burst_of_poison_is_applied_in_the_same_batch(orgs):
    [genuine] = _documents(orgs, 1)
    burst = [make() for _what, _reason, make in POISON]

    results = inbox.messages_receive(receiver=orgs["county_a"], raws=[*burst, genuine])

    assert [r for r in results if isinstance(r, Exception)] == []  # nothing put back, so nothing delayed
    assert [r.outcome for r in results] == ["dead"] * len(POISON) + ["applied"]
    with schema_context(orgs["county_a"].schema_name):
        assert Replica.objects.filter(source="410600", body__title="批量文件0").count() == 1


def test_mutations_and_replays_of_a_genuine_message_are_never_applied(orgs):
    """Seeded random mutations of a signed message (bytes flipped, cut, brackets, NULs and escapes
    inserted): each gets a verdict; the replica stays the genuine one."""
    [genuine] = _documents(orgs, 1)
    assert inbox.message_receive(receiver=orgs["county_a"], raw=genuine).outcome == "applied"
    rng = random.Random(13)
    inserts = [b"\x00", b"\\u0000", b"[", b"{", b"]", b'"', b"\\", b"\xff", b"\\ud800", b"NaN", b"9" * 30]
    mutants = set()
    while len(mutants) < 400:
        raw = bytearray(genuine)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(raw))
            kind = rng.randrange(3)
            if kind == 0:
                raw[at] = rng.randrange(256)
            elif kind == 1:
                raw[at:at] = rng.choice(inserts)
            else:
                del raw[at : at + rng.randint(1, 40)]
        if bytes(raw) != genuine:
            mutants.add(bytes(raw))
    mutants = sorted(mutants)

    results = inbox.messages_receive(receiver=orgs["county_a"], raws=[*mutants, genuine, genuine])

    assert [r for r in results if isinstance(r, Exception)] == []
    outcomes = {r.outcome for r in results}
    assert "applied" not in outcomes and outcomes <= {"dead", "duplicate"}, outcomes
    assert [r.outcome for r in results[-2:]] == ["duplicate", "duplicate"]  # the replays
    with schema_context(orgs["county_a"].schema_name):
        [replica] = Replica.objects.filter(source="410600", body__title="批量文件0")
        assert replica.version == 1
