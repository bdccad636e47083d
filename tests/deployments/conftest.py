"""Fixtures for the tests that cross a deployment boundary (tests/deployments/harness.py)."""

from __future__ import annotations

import pytest

from tests.deployments.harness import DeploymentFactory, this_deployment


@pytest.fixture(scope="session")
def deployment_factory(django_db_setup, django_db_blocker, tmp_path_factory):
    """Migrates the session's template database once (or finds it); drops every deployment made at the end."""
    with django_db_blocker.unblock():
        factory = DeploymentFactory(tmp_path_factory.mktemp("deployments"))
    yield factory
    factory.teardown()


@pytest.fixture
def deployments(deployment_factory):
    """`deployments.create(name, organizations=[...])` makes another deployment, gone after the test."""
    yield deployment_factory
    deployment_factory.teardown()


@pytest.fixture
def deployment_a(deployment_factory, django_db_blocker):
    """The test process's own deployment (the test database, the session's prefix on the default vhost), whose
    `sync relay`/`sync consume` processes are started with the same CLI and stopped after the test."""
    with django_db_blocker.unblock():
        deployment = this_deployment(deployment_factory.logs_dir)
    yield deployment
    deployment.teardown()
