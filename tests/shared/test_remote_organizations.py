"""Remote organisations (issue 16 point 1): the registry holds an organisation of another deployment with its
public keys and route and no schema; provisioning, the bus processes, routing and keys skip it, while the
policy, the envelope checks and replicas treat it as any other organisation."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from shared.buskeys.keys import RAW, RAW_PUBLIC
from shared.buskeys.models import OrganizationBusKeys
from shared.orgs.models import Domain, Organization, Peer
from shared.orgs.services import (
    ProvisioningError,
    RemoteOrganizationSpec,
    organization_remote_route_set,
    organizations_remote_register,
    schemas_behind,
)
from sync import inbox
from sync.envelope import Envelope, envelope_encode, envelope_new_id
from sync.keys import KeyUnavailable, keys_cache_clear, private_keys, public_keys
from sync.models import OutboxMessage, Replica
from sync.orgs import organizations
from sync.relay import outbox_relay_batch
from tenants.guidance.services import guidance_document_issue
from tenants.statistics.services import statistics_report_submit

REMOTE_COUNTY = "410628"


class RecordingBus:
    """Takes what the relay publishes (the transports themselves are tested in tests/sync/test_bus*.py)."""

    kind = "recording"

    def __init__(self) -> None:
        self.published: list = []

    def publish(self, outgoing, **_):
        self.published.extend(outgoing)


def _keys():
    signing, sealing = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    return signing, sealing


def _register(*, route="bundle", code=REMOTE_COUNTY, parent="410600", kind="county", keys=None):
    signing, sealing = keys or _keys()
    peer, _ = Peer.objects.get_or_create(
        name="county-site",
        defaults={"signing_public": Ed25519PrivateKey.generate().public_key().public_bytes(RAW, RAW_PUBLIC)},
    )
    (organization,) = organizations_remote_register(
        peer=peer,
        route=route,
        specs=[
            RemoteOrganizationSpec(
                kind=kind,
                code=code,
                name="远端县",
                parent_code=parent,
                signing_public=signing.public_key().public_bytes(RAW, RAW_PUBLIC),
                sealing_public=sealing.public_key().public_bytes(RAW, RAW_PUBLIC),
            )
        ],
    )
    keys_cache_clear()  # each test registers the code with new keys
    return organization, signing, sealing


def test_a_remote_organisation_has_keys_and_a_route_but_no_schema_route_or_private_keys(orgs):
    remote, signing, _ = _register()
    assert (remote.is_remote, remote.remote_route, remote.peer.name, remote.parent.code) == (
        True,
        "bundle",
        "county-site",
        "410600",
    )
    assert not schema_exists(remote.schema_name)
    assert not Domain.objects.filter(tenant=remote).exists()
    keys = OrganizationBusKeys.objects.get(organization=remote)
    assert keys.signing_private_sealed is None and keys.sealing_private_sealed is None
    assert public_keys(REMOTE_COUNTY).signing.public_bytes(RAW, RAW_PUBLIC) == signing.public_key().public_bytes(
        RAW, RAW_PUBLIC
    )
    with pytest.raises(KeyUnavailable):
        private_keys(REMOTE_COUNTY)
    # What runs per hosted organisation (relay, consumer, status, verify, migrate) skips it...
    hosted = [org.code for org in organizations()]
    assert "410621" in hosted and REMOTE_COUNTY not in hosted
    assert schemas_behind(schemas=list(Organization.objects.local().values_list("schema_name", flat=True))) == []
    with pytest.raises(ValueError, match="remote organisation"):
        organizations([REMOTE_COUNTY])
    # ...while the hierarchy holds it: it is one of the city's counties.
    assert REMOTE_COUNTY in set(orgs["city"].children.values_list("code", flat=True))


def test_a_remote_organisation_has_no_pages_here(orgs, client):
    _register()
    assert client.get(f"/org/{REMOTE_COUNTY}/").status_code == 404
    assert client.get("/org/410621/").status_code in (200, 302)  # a hosted one answers (sign-in or home)


def test_bad_remote_organisations_are_refused_and_nothing_is_written(orgs):
    with pytest.raises(ProvisioningError) as refused:
        _register(route="carrier-pigeon")
    assert "unknown route" in str(refused.value)
    with pytest.raises(ProvisioningError) as refused:
        _register(parent="419999")
    assert "unknown parent 419999" in str(refused.value)
    with pytest.raises(ProvisioningError) as refused:
        _register(code="410621")  # a hosted organisation's code
    assert "already exists" in str(refused.value)
    assert not Organization.objects.filter(code=REMOTE_COUNTY).exists()
    remote, _, _ = _register()
    with pytest.raises(ProvisioningError) as refused:
        organization_remote_route_set(code="410621", route="link")
    assert "no remote organisation with code 410621" in str(refused.value)
    assert organization_remote_route_set(code=REMOTE_COUNTY, route="link").remote_route == "link"


def test_the_policy_shares_with_a_remote_county_and_bundle_messages_wait_in_the_outbox(orgs):
    _register(route="bundle")
    with schema_context(orgs["city"].schema_name):
        document = guidance_document_issue(
            title="远端模板", doc_type="template", issued_on=datetime.date(2026, 3, 1), content="正文"
        )
        destinations = sorted(
            OutboxMessage.objects.filter(record_key=str(document.pk)).values_list("destination", flat=True)
        )
    assert destinations == ["410611", "410621", "410622", REMOTE_COUNTY]
    bus = RecordingBus()
    assert outbox_relay_batch(organization=orgs["city"], bus=bus) == 3
    assert sorted(item.destination for item in bus.published) == ["410611", "410621", "410622"]
    with schema_context(orgs["city"].schema_name):
        waiting = OutboxMessage.objects.get(record_key=str(document.pk), destination=REMOTE_COUNTY)
        assert (waiting.sent_at, waiting.attempts) == (None, 0)  # waits for a bundle, never a failure
    assert outbox_relay_batch(organization=orgs["city"], bus=RecordingBus()) == 0


class RecordingAmqpBus(RecordingBus):
    """As AmqpBus: `routed_elsewhere` names the destinations it declares no queue for (sync/links.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.routed_elsewhere: set[str] = set()


def test_link_messages_are_published_without_a_local_queue_and_wait_on_the_embedded_bus(orgs):
    _register(route="link")
    with schema_context(orgs["city"].schema_name):
        document = guidance_document_issue(title="链路模板", doc_type="template", issued_on=datetime.date(2026, 3, 1))
    embedded = RecordingBus()  # no links on the embedded transport: the row waits
    assert outbox_relay_batch(organization=orgs["city"], bus=embedded) == 3
    assert REMOTE_COUNTY not in {item.destination for item in embedded.published}
    amqp = RecordingAmqpBus()
    assert outbox_relay_batch(organization=orgs["city"], bus=amqp) == 1
    assert [item.destination for item in amqp.published] == [REMOTE_COUNTY]
    assert amqp.routed_elsewhere == {REMOTE_COUNTY}  # so AmqpBus.declare makes no local queue for it
    with schema_context(orgs["city"].schema_name):
        assert OutboxMessage.objects.get(record_key=str(document.pk), destination=REMOTE_COUNTY).sent_at is not None


def _statistics_from(remote_code, signing, orgs, *, key=None):
    """A county's statistics report as the remote county's relay would sign it (body from a hosted county's
    outbox row, so it is what the policy lets up)."""
    with schema_context(orgs["county_a"].schema_name):
        statistics_report_submit(period="2026-08", findings=7)
        row = OutboxMessage.objects.filter(record_type="statistics.report").latest("id")
    envelope = Envelope(
        message_id=envelope_new_id(),
        record_type=row.record_type,
        schema_version=row.schema_version,
        source=remote_code,
        destination="410600",
        record_key=row.record_key,
        version=row.version,
        classification=row.classification,
        tombstone=False,
        body=row.body,
    )
    return envelope_encode(envelope=envelope, signing_key=key or signing, recipient=None)


def test_a_remote_countys_signed_message_is_applied_and_a_forged_one_dead_lettered(orgs):
    _remote, signing, _ = _register()
    applied = inbox.message_receive(receiver=orgs["city"], raw=_statistics_from(REMOTE_COUNTY, signing, orgs))
    assert applied.outcome == inbox.APPLIED
    with schema_context(orgs["city"].schema_name):
        assert Replica.objects.get(source=REMOTE_COUNTY, record_type="statistics.report").body["findings"] == 7
    forged = inbox.message_receive(
        receiver=orgs["city"], raw=_statistics_from(REMOTE_COUNTY, signing, orgs, key=Ed25519PrivateKey.generate())
    )
    assert (forged.outcome, forged.reason) == (inbox.DEAD, "forged")
    connection.set_schema_to_public()
