"""The two-deployment harness: another deployment is its own database and vhost, provisioned and run by the same
CLI, sees nothing of this one, and leaves nothing behind."""

from __future__ import annotations

import pytest

from tests.deployments.harness import _database_exists, rabbitmqctl, wait_for

pytestmark = pytest.mark.bus

PROVINCE_B = ("province", "429900", "测试省", None)
CITY_B = ("city", "429901", "测试省直市", "429900")


def _queues(vhost: str) -> set[str]:
    return set(rabbitmqctl("list_queues", "-p", vhost, "--no-table-headers", "name").stdout.split())


def test_another_deployment_is_its_own_database_and_vhost_and_is_removed(deployments, django_db_blocker):
    from shared.orgs.models import Organization

    b = deployments.create("b", organizations=[PROVINCE_B, CITY_B])

    listed = b.cli("org", "list")
    assert "429900" in listed and "429901" in listed
    assert "410600" not in listed  # this deployment's city is not in B's registry
    with django_db_blocker.unblock():
        assert Organization.objects.filter(code="410600").exists()  # positive control: it is in ours
        assert not Organization.objects.filter(code__in=["429900", "429901"]).exists()

    consumer = b.start("sync", "consume")
    wait_for(lambda: "xuncha.b.org.429901" in _queues(b.vhost), logs=b.logs, what="B's queues in B's vhost")
    assert "xuncha.b.org.429900" in _queues(b.vhost)
    assert not any(name.startswith("xuncha.b.") for name in _queues("/"))
    assert consumer.poll() is None  # still running

    # B's private keys are sealed under B's own secret, which B's CLI is given.
    assert "429900" in b.python(
        "from sync.keys import private_keys; print('429900' if private_keys('429900').signing else '')"
    )

    database, vhost = b.database, b.vhost
    deployments.teardown()
    assert consumer.poll() is not None
    assert not _database_exists(database)
    assert vhost not in rabbitmqctl("list_vhosts", "--no-table-headers", "name").stdout.split()
