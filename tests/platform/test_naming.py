"""One name for the person acting (issue 11): a keyword-only parameter for who performs a service call,
a selector's read or an access check is `actor`; a user who is the object of the call is `person` (or
`member`). The old spellings (`user`, `by`, `created_by`, ...) must not come back as keyword-only parameters
(model fields named `created_by` are columns and stay)."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CODE = ("tenants", "shared", "sync", "platform", "bench")
RETIRED = {"user", "by", "created_by", "decided_by", "granted_by"}


def _keyword_only(source: str, filename: str) -> list[tuple[str, str]]:
    """(where, name) of every keyword-only parameter in `source`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [(f"{filename}:{node.lineno} {node.name}", arg.arg) for arg in node.args.kwonlyargs]
    return found


def _code_keyword_only() -> list[tuple[str, str]]:
    found = []
    for folder in CODE:
        for path in sorted((REPO / folder).rglob("*.py")):
            found += _keyword_only(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    return found


def test_the_scan_sees_a_retired_name_in_a_definition():
    source = "def round_close(*, round, by):\n    pass\n\ndef plan_create(*, title, actor):\n    pass\n"
    assert _keyword_only(source, "example.py") == [
        ("example.py:1 round_close", "round"),
        ("example.py:1 round_close", "by"),
        ("example.py:4 plan_create", "title"),
        ("example.py:4 plan_create", "actor"),
    ]


def test_the_person_acting_is_called_actor_everywhere():
    parameters = _code_keyword_only()
    names = [name for _where, name in parameters]
    assert names.count("actor") > 100  # positive control: the services' actors are seen
    assert "person" in names
    assert [(where, name) for where, name in parameters if name in RETIRED] == []
