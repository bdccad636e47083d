"""Fixtures of the platform-wide tests: the county's round at work (`flow`) is the tenant tests' own."""

from tests.tenants.workflow import flow  # noqa: F401  (a fixture)
