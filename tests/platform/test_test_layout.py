"""The tests mirror the packages: each tenant app's tests live in tests/tenants/<app>/ (issue 11), so a
reader finds an app's tests by its name and a new test file cannot land in a folder no app owns."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _packages(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir() if (path / "__init__.py").exists()}


def test_every_tenant_test_folder_is_named_after_a_tenant_app():
    apps = _packages(REPO / "tenants")
    folders = _packages(REPO / "tests" / "tenants")
    assert {"rounds", "findings", "ledger", "kernel"} <= folders  # positive control: the folders are seen
    assert sorted(folders - apps) == []


def test_no_test_module_sits_at_the_root_of_the_tenant_tests():
    assert sorted(path.name for path in (REPO / "tests" / "tenants").glob("test_*.py")) == []
    assert (REPO / "tests" / "tenants" / "conftest.py").exists()  # the shared fixtures do sit there
