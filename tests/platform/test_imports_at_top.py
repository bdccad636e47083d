"""Imports sit at the top of a module (issue 11): one inside a function is either an AppConfig.ready()
registration (the app registry must be loaded first) or says, in a comment on the line above, which
import cycle keeps it there."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CODE = ("tenants", "shared", "sync", "platform")


def _hidden_imports(source: str, filename: str) -> list[str]:
    """Function-level imports outside ready() without a comment on the line above."""
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source, filename)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or function.name == "ready":
            continue
        for node in ast.walk(function):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not lines[node.lineno - 2].strip().startswith("#"):
                found.append(f"{filename}:{node.lineno} {ast.unparse(node)}")
    return found


def test_the_scan_sees_an_import_hidden_in_a_function():
    source = (
        "class Config:\n    def ready(self):\n        from a import signals\n\n"
        "def cycle():\n    # here: b imports this module\n    from b import thing\n\n"
        "def hidden():\n    x = 1\n    from c import other\n"
    )
    assert _hidden_imports(source, "example.py") == ["example.py:11 from c import other"]


def test_no_import_hides_in_a_function_without_its_reason():
    hidden = []
    for folder in CODE:
        for path in sorted((REPO / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                hidden += _hidden_imports(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    assert hidden == []
