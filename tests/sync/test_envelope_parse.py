"""envelope_parse's shortcuts refuse and accept exactly what the full checks do: the nesting bound at its edge,
text that cannot be stored reached through each way JSON can spell it, the message id's one usual form, and the
digest written out from the body's canonical JSON (the consumer encodes the body once for the digest and the row)."""

import hashlib
import json

import pytest

from sync.envelope import MAX_NESTING, EnvelopeError, canonical_json, digest, digest_of_json, envelope_parse
from tests.sync.test_exchange import _fields


def _raw(body, **overrides) -> bytes:
    return canonical_json({"envelope": _fields(body=body, **overrides), "signature": None})


def _nested(depth: int):
    """A body `depth` levels deep counting the body itself ({"a": [[...]]})."""
    value: object = 1
    for _ in range(depth - 1):
        value = [value]
    return {"a": value}


def test_a_message_exactly_as_deep_as_the_bound_parses_and_one_level_more_does_not():
    # the outer object and the envelope are two levels: the body may add MAX_NESTING - 2
    fields, _header, _signature = envelope_parse(_raw(_nested(MAX_NESTING - 2)))
    assert fields["body"] == _nested(MAX_NESTING - 2)
    with pytest.raises(EnvelopeError) as refused:
        envelope_parse(_raw(_nested(MAX_NESTING - 1)))
    assert refused.value.reason == "malformed"


def test_many_brackets_that_do_not_nest_are_not_too_deep():
    body = {"items": [[1], [2], [3]] * 20, "title": "{[" * 40}
    fields, _header, _signature = envelope_parse(_raw(body))
    assert fields["body"] == body


@pytest.mark.parametrize(
    "raw",
    [
        _raw({"title": "\x00"}),  # canonical JSON writes it \u0000
        _raw({"title": "t"}).replace(b'"t"', b'"\\ud800"'),  # an escaped lone surrogate
        _raw({"title": "t"}).replace(b'"t"', b'"\xed\xa0\x80"'),  # an encoded one (json.loads: surrogatepass)
        _raw({"title": "t"}, key="9\x00"),
        _raw({"title": "t"}).replace(b'"999001"', b'"\xed\xb0\x80"'),
    ],
    ids=["escaped NUL", "escaped surrogate", "encoded surrogate", "NUL in the key", "encoded surrogate in the key"],
)
def test_text_that_cannot_be_stored_is_refused_however_it_is_written(raw):
    with pytest.raises(EnvelopeError) as refused:
        envelope_parse(raw)
    assert refused.value.reason == "malformed"


def test_hangul_and_escaped_text_that_can_be_stored_parse():
    body = {"title": "한국어 文件", "text": "tab\there \u00e9"}
    raw = json.dumps({"envelope": json.loads(_raw(body))["envelope"], "signature": None}).encode()  # \u escapes
    for message in (_raw(body), raw):
        fields, _header, _signature = envelope_parse(message)
        assert fields["body"] == body


@pytest.mark.parametrize(
    "message_id,reason",
    [
        ("0000000000000000000000000000000A", "message id is not a UUID in its usual form"),
        ("{00000000-0000-0000-0000-00000000000a}", "message id is not a UUID in its usual form"),
        ("00000000-0000-0000-0000-00000000000g", "message id is not a UUID"),
        ("00000000-0000-0000-0000-0000000000_a", "message id is not a UUID in its usual form"),
        ("00000000-0000-0000-0000-00000000000\u0663", "message id is not a UUID in its usual form"),
    ],
)
def test_a_message_id_in_any_other_form_is_refused(message_id, reason, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(EnvelopeError) as refused:
        envelope_parse(_raw({"title": "t"}, id=message_id))
    assert (refused.value.reason, refused.value.detail) == ("malformed", reason)


def test_a_message_id_in_capitals_parses_as_before():
    _fields, header, _signature = envelope_parse(_raw({"title": "t"}, id="00000000-0000-0000-0000-00000000000A"))
    assert header.message_id == "00000000-0000-0000-0000-00000000000A"


@pytest.mark.parametrize("body", [None, {}, {"b": [1, {"c": None}], "a": "中文 \x00 é", "n": -1.5}])
@pytest.mark.parametrize("version,tombstone", [(1, False), (2**63 - 1, True)])
def test_the_digest_is_the_sha256_of_the_canonical_json_of_version_tombstone_and_body(body, version, tombstone):
    expected = hashlib.sha256(
        json.dumps(
            {"version": version, "tombstone": tombstone, "body": body},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    assert digest(version=version, tombstone=tombstone, body=body) == expected
    assert digest_of_json(version=version, tombstone=tombstone, body_json=canonical_json(body)) == expected
