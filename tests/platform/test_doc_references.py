"""The docs point at files that exist (issue 11: eight references once named design files the repo never
had). A backticked repository path in README.md or docs/*.md (`tenants/rounds/services.py`, `tests/platform/`,
`xuncha/api_schema.py` or the template `xuncha/_pager.html` under platform/) must exist, and so must a
backticked module of a tenant app (`tenants.rounds.lifecycle`)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOP = ("platform/", "tenants/", "shared/", "sync/", "tests/", "bench/", "deploy/", "docs/", "xuncha/")
ROOT_FILES = {"pyproject.toml", "Makefile", "README.md"}
# Named by the docs precisely because it must not exist (platform/ is not a package).
MEANT_ABSENT = {"platform/__init__.py"}
BACKTICKED = re.compile(r"`([^`\n]+)`")
TENANT_MODULE = re.compile(r"^tenants\.(\w+)\.([a-z_]\w*)")


def _path_references(text: str) -> list[str]:
    """The repository paths among the backticked words of a text: placeholders (`<app>`), globs and
    commands are not paths; a `::test` or `:line` suffix is dropped."""
    found = []
    for word in BACKTICKED.findall(text):
        word = word.strip()
        if not (word.startswith(TOP) or word in ROOT_FILES) or re.search(r"[<>*{} ]", word):
            continue
        found.append(re.split(r"::|:\d", word)[0].rstrip("/"))
    return found


def _path_exists(path: str) -> bool:
    """A repository path; `xuncha/...` is the site package under platform/, or a template name there."""
    if path.startswith("xuncha/"):
        return (REPO / "platform" / path).exists() or (REPO / "platform/xuncha/templates" / path).exists()
    return (REPO / path).exists()


def _module_references(text: str) -> list[tuple[str, str]]:
    return [match.groups() for word in BACKTICKED.findall(text) if (match := TENANT_MODULE.match(word.strip()))]


def _module_exists(app: str, name: str) -> bool:
    package = REPO / "tenants" / app
    if (package / f"{name}.py").exists() or (package / name).is_dir():
        return True
    init = package / "__init__.py"
    return init.exists() and re.search(rf"\b{name}\b", init.read_text(encoding="utf-8")) is not None


def _docs() -> dict[str, str]:
    files = [*sorted((REPO / "docs").glob("*.md")), REPO / "README.md"]
    return {str(path.relative_to(REPO)): path.read_text(encoding="utf-8") for path in files}


def test_the_scan_finds_paths_and_modules_and_skips_placeholders():
    text = (
        "see `tenants/rounds/services.py`, `tests/platform/`, `xuncha/api_schema.py`, "
        "`tests/sync/test_bus.py::test_x`, `tenants/<app>/`, `make test`, `round_create(actor=)` and "
        "`tenants.rounds.lifecycle` or `tenants.rounds.nothing_here`"
    )
    assert _path_references(text) == [
        "tenants/rounds/services.py",
        "tests/platform",
        "xuncha/api_schema.py",
        "tests/sync/test_bus.py",
    ]
    assert _path_exists("xuncha/api_schema.py") and _path_exists("xuncha/_pager.html")  # module, template
    assert not _path_exists("xuncha/no_such_file.py") and not _path_exists("tenants/rounds/kinds.py")
    assert _module_references(text) == [("rounds", "lifecycle"), ("rounds", "nothing_here")]
    assert _module_exists("rounds", "lifecycle") and not _module_exists("rounds", "nothing_here")


def test_every_file_path_in_the_docs_exists():
    references = [(doc, path) for doc, text in _docs().items() for path in _path_references(text)]
    assert len(references) > 50  # positive control: the docs' paths are read
    assert ("docs/DEVELOPING.md", "platform/__init__.py") in references
    assert all(not (REPO / path).exists() for path in MEANT_ABSENT)
    missing = [(doc, path) for doc, path in references if path not in MEANT_ABSENT and not _path_exists(path)]
    assert missing == []


def test_every_tenant_module_in_the_docs_exists():
    references = [(doc, ref) for doc, text in _docs().items() for ref in _module_references(text)]
    assert len(references) >= 3  # positive control: the docs name modules
    assert [(doc, f"tenants.{app}.{name}") for doc, (app, name) in references if not _module_exists(app, name)] == []
