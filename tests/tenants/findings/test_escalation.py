"""A county's clue about its own leadership goes up to the city, sealed, and is never stored in the
county (docs/CONFIDENTIALITY.md): no trace of a planted marker in any table of the county schema,
its outbox or audit, or the logs; the city gets a 机密 clue with persons and its origin; tampered,
forged and misaddressed escalations are dead-lettered; bad input writes nothing; only cleared office
roles escalate or see it; a city's own clue about a county leader never goes down."""

from __future__ import annotations

import base64
import json
import logging
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from shared.accounts.models import Classification
from sync import inbox
from sync.envelope import FORMAT_VERSION, Envelope, canonical_json, envelope_encode, envelope_new_id
from sync.keys import private_keys, public_keys
from sync.models import DeadLetter, InboxMessage, OutboxMessage, Replica
from tenants.audit.models import AuditEvent
from tenants.findings.escalation import ESCALATION, leadership_member_add
from tenants.findings.models import Clue, ClueEscalation, CluePerson, LeadershipMember
from tenants.findings.services import clue_create

from .conftest import deliver, marker_hits


def _marker():
    return "MARKER-LEADER-" + uuid.uuid4().hex[:10]


def _escalate(county, marker, *, actor="office", **extra):
    with county.schema():
        return clue_create(
            actor=county.users[actor],
            access=county.access(actor),
            round=county.round,
            target=county.target,
            summary=f"{marker} 县领导收受礼金线索",
            persons=[{"name": f"{marker}-张某", "position": f"{marker}-副县长"}],
            **{"concerns_own_leadership": True, **extra},
        )


def _counts(county):
    with county.schema():
        return (
            Clue.objects.count(),
            CluePerson.objects.count(),
            ClueEscalation.objects.count(),
            OutboxMessage.objects.count(),
            AuditEvent.objects.count(),
        )


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_escalation_leaves_no_trace_in_the_county_schema_outbox_audit_or_logs(county, all_logs):
    marker = _marker()
    clues_before = _counts(county)[0]
    receipt = _escalate(county, marker)
    assert isinstance(receipt, ClueEscalation)
    assert receipt.destination_code == county.city.code and receipt.reference.startswith("SB-410621-")
    assert marker_hits(county.org.schema_name, marker) == []  # every text/JSON column of every table
    with county.schema():
        assert Clue.objects.count() == clues_before
        row = OutboxMessage.objects.get(message_id=receipt.message_id)
        assert (row.record_type, row.destination, row.classification, row.version) == (ESCALATION, "410600", 3, 1)
        assert row.body is None and set(row.sealed) == {"epk", "nonce", "ct"}
        assert marker not in json.dumps(row.sealed)
    for schema in ("public", county.city.schema_name, "org_410622", "org_410611", "org_410000"):
        assert marker_hits(schema, marker) == [], schema
    assert marker not in all_logs.text
    assert all(marker not in str(record.args) for record in all_logs.records)
    with county.schema():  # who escalated what reference where: in the tamper-evident chain, addressing only
        event = AuditEvent.objects.get(action="escalate", record_key=receipt.reference)
        assert event.user_id == county.users["office"].pk and json.loads(event.detail)["destination"] == "410600"


def test_the_register_makes_the_server_escalate_without_the_choice(county):
    marker = _marker()
    with county.schema():
        leadership_member_add(
            actor=county.users["office"],
            access=county.access("office"),
            name="李 某某",
            post="县委副书记",
            body="party_committee",
        )
        before = Clue.objects.count()
        receipt = clue_create(
            actor=county.users["office"],
            access=county.access("office"),
            round=county.round,
            target=county.target,
            summary=f"{marker} 线索",
            persons=[{"name": "李某某"}, {"name": "王某"}],
        )
        assert isinstance(receipt, ClueEscalation) and Clue.objects.count() == before
        kept = clue_create(
            actor=county.users["office"],
            access=county.access("office"),
            round=county.round,
            target=county.target,
            summary="关于某股长的线索",
            persons=[{"name": "赵某"}],
        )
        assert isinstance(kept, Clue)  # nobody on the register: an ordinary clue, kept here
    assert marker_hits(county.org.schema_name, marker) == []


def test_the_city_receives_it_as_its_own_confidential_clue_and_the_county_learns_it_arrived(county, orgs):
    marker = _marker()
    receipt = _escalate(county, marker)
    assert [v.outcome for v in deliver(county.org, orgs)] == [inbox.APPLIED]
    with schema_context(county.city.schema_name):
        clue = Clue.objects.get(origin_reference=receipt.reference)
        assert (clue.origin_org_code, clue.origin_org_name, clue.classification) == ("410621", county.org.name, 3)
        assert clue.round is None and clue.target is None
        assert (clue.origin_round_name, clue.origin_target_name) == ("县委第一轮巡察", "浚县财政局党组")
        assert marker in clue.summary and clue.created_by_id == county.users["office"].pk
        assert [(p.name, p.position) for p in clue.persons.all()] == [(f"{marker}-张某", f"{marker}-副县长")]
        replica = Replica.objects.get(record_type=ESCALATION, source="410621", record_key=receipt.reference)
        assert replica.body is None  # the body lives in the audited clue table only
        assert sorted(marker_hits(county.city.schema_name, marker)) == [
            "findings_clue.summary",
            "findings_clueperson.name",
            "findings_clueperson.position",
        ]
        assert not OutboxMessage.objects.filter(
            record_type__startswith="clues.escalation", sealed__isnull=False
        ).exists()
    assert [v.outcome for v in deliver(county.city, orgs, record_type="clues.escalation_receipt")] == [inbox.APPLIED]
    with county.schema():
        assert ClueEscalation.objects.get(pk=receipt.pk).received_at is not None
    assert marker_hits(county.org.schema_name, marker) == []
    # Delivered again (a redelivery): nothing twice.
    with county.schema():
        row = OutboxMessage.objects.get(message_id=receipt.message_id)
        from sync.relay import message_encode

        raw = message_encode(row=row, source_code="410621")
    assert inbox.message_receive(receiver=county.city, raw=raw).outcome == inbox.DUPLICATE
    with schema_context(county.city.schema_name):
        assert Clue.objects.filter(origin_reference=receipt.reference).count() == 1


def test_anti_entropy_leaves_a_delivered_escalation_alone(county, orgs):
    """The city's replica has no shared copy at the county by design: verify must not call it an orphan
    (which would send a tombstone the city refuses)."""
    from sync.verify import sync_verify

    receipt = _escalate(county, _marker())
    deliver(county.org, orgs)
    with county.schema():
        queued = OutboxMessage.objects.count()
    report = sync_verify(codes=["410621"])
    pair = next(pair for pair in report.pairs if pair.destination == "410600")
    assert ("clues.escalation", receipt.reference) not in pair.orphaned and pair.healthy
    with county.schema():
        assert OutboxMessage.objects.count() == queued


# --- what the city's consumer refuses -------------------------------------------------------------------


def _body(key, marker, **changes):
    """A well-formed escalation body whose summary and person carry `marker` (so an escalation that is
    wrongly applied, stored or echoed anywhere shows up in the marker scan)."""
    return {
        "reference": key,
        "escalated_at": "2026-03-01T09:00:00+08:00",
        "escalated_by_id": 1,
        "escalated_by_name": "x",
        "source_org_name": "浚县",
        "round_name": "r",
        "round_kind": "regular",
        "target_name": "t",
        "category_code": "",
        "category_name": "",
        "summary": f"{marker} 线索",
        "persons": [{"name": f"{marker}-张某", "position": f"{marker}-副县长"}],
        "classification": 3,
        **changes,
    }


def _wire(
    county,
    marker,
    *,
    source="410621",
    destination="410600",
    header_classification=3,
    sealed=True,
    signer=None,
    seal_to=None,
    **changes,
):
    """An escalation built by hand, well-formed (a real author of the county) unless `changes` say otherwise."""
    key = f"SB-{source}-20260301-{uuid.uuid4().hex[:8].upper()}"
    body = _body(key, marker, **{"escalated_by_id": county.users["office"].pk, **changes})
    envelope = Envelope(
        message_id=envelope_new_id(),
        record_type=ESCALATION,
        schema_version=1,
        source=source,
        destination=destination,
        record_key=key,
        version=1,
        classification=header_classification,
        tombstone=False,
        body=body,
    )
    if not sealed:  # a sender that skips sealing (envelope_encode would seal it: build the fields by hand)
        fields = {
            "format": FORMAT_VERSION,
            "id": envelope.message_id,
            "type": ESCALATION,
            "schema": 1,
            "source": source,
            "destination": destination,
            "key": key,
            "version": 1,
            "classification": header_classification,
            "tombstone": False,
            "body": body,
            "sealed": None,
        }
        signature = base64.b64encode(private_keys(signer or source).signing.sign(canonical_json(fields))).decode()
        return canonical_json({"envelope": fields, "signature": signature})
    return envelope_encode(
        envelope=envelope,
        signing_key=private_keys(signer or source).signing,
        recipient=public_keys(seal_to or destination).sealing,
    )


def _second_version(county, marker):
    """The county's escalation delivered, then the same reference again at version 2 (properly signed,
    carrying `marker`): an escalation arrives once."""
    from shared.orgs.models import Organization

    receipt = _escalate(county, _marker())  # another marker: this first one does reach the city
    deliver(county.org, {"410600": Organization.objects.get(code="410600")}, record_type=ESCALATION)
    key = receipt.reference
    envelope = Envelope(
        message_id=envelope_new_id(),
        record_type=ESCALATION,
        schema_version=1,
        source="410621",
        destination="410600",
        record_key=key,
        version=2,
        classification=3,
        tombstone=False,
        body=_body(key, marker, escalated_by_id=county.users["office"].pk),
    )
    return envelope_encode(
        envelope=envelope, signing_key=private_keys("410621").signing, recipient=public_keys("410600").sealing
    )


def _tamper_ciphertext(raw: bytes) -> bytes:
    wire = json.loads(raw)
    ct = wire["envelope"]["sealed"]["ct"]
    wire["envelope"]["sealed"]["ct"] = ("A" if ct[0] != "A" else "B") + ct[1:]
    return json.dumps(wire, ensure_ascii=False).encode()


def _forge_signature(raw: bytes) -> bytes:
    wire = json.loads(raw)
    wire["signature"] = base64.b64encode(bytes(64)).decode()
    return json.dumps(wire, ensure_ascii=False).encode()


def _escalation_wire_of(county, marker):
    receipt = _escalate(county, marker)
    from sync.relay import message_encode

    with county.schema():
        return message_encode(row=OutboxMessage.objects.get(message_id=receipt.message_id), source_code="410621")


def _scan_and_rows(receiver, marker, header):
    """What the receiver holds of one message: clues, replicas of its key, its inbox row, marker hits."""
    with schema_context(receiver.schema_name):
        return {
            "clues": Clue.objects.count(),
            "replicas of the key": sorted(
                (version, str(message_id))
                for version, message_id in Replica.objects.filter(
                    record_type=ESCALATION, record_key=header["key"]
                ).values_list("version", "message_id")
            ),
            "replica of the message": Replica.objects.filter(message_id=header["id"]).exists(),
            "inbox row": InboxMessage.objects.filter(message_id=header["id"]).exists(),
            "marker": sorted(marker_hits(receiver.schema_name, marker)),
        }


def test_a_well_formed_hand_built_escalation_is_applied_and_found_by_the_scan(county, orgs):
    """The control for the refusals below: the same builder, nothing wrong, is applied, and every check
    they rely on (clue count, replica of the key, inbox row, marker scan) sees it."""
    marker = _marker()
    raw = _wire(county, marker)
    header = json.loads(raw)["envelope"]
    before = _scan_and_rows(county.city, marker, header)
    assert inbox.message_receive(receiver=county.city, raw=raw).outcome == inbox.APPLIED
    after = _scan_and_rows(county.city, marker, header)
    assert before == {
        "clues": before["clues"],
        "replicas of the key": [],
        "replica of the message": False,
        "inbox row": False,
        "marker": [],
    }
    assert after == {
        "clues": before["clues"] + 1,
        "replicas of the key": [(1, header["id"])],
        "replica of the message": True,
        "inbox row": True,
        "marker": ["findings_clue.summary", "findings_clueperson.name", "findings_clueperson.position"],
    }


BAD = {  # every case carries the marker, and differs from the well-formed escalation in one respect only
    "tampered ciphertext": (lambda c, m: _tamper_ciphertext(_escalation_wire_of(c, m)), "410600", "forged"),
    "forged signature": (lambda c, m: _forge_signature(_escalation_wire_of(c, m)), "410600", "forged"),
    "misaddressed (to a sibling county)": (lambda c, m: _escalation_wire_of(c, m), "410622", "misaddressed"),
    "signed by another county": (lambda c, m: _wire(c, m, signer="410622"), "410600", "forged"),
    "sealed to another organisation": (lambda c, m: _wire(c, m, seal_to="410622"), "410600", "unsealable"),
    "sent in clear": (lambda c, m: _wire(c, m, sealed=False), "410600", "policy"),
    "sealed but not 机密": (lambda c, m: _wire(c, m, header_classification=2), "410600", "policy"),
    "body not 机密": (lambda c, m: _wire(c, m, classification=2), "410600", "policy"),
    "from the city down to a county": (
        lambda c, m: _wire(c, m, source="410600", destination="410621"),
        "410621",
        "policy",
    ),
    "reference not matching the key": (lambda c, m: _wire(c, m, reference="SB-410621-1-X"), "410600", "refused"),
    "no persons": (lambda c, m: _wire(c, m, persons=[]), "410600", "refused"),
    "unknown author": (lambda c, m: _wire(c, m, escalated_by_id=2_000_000_000), "410600", "refused"),
    "an extra field": (lambda c, m: _wire(c, m, informant=f"{m}-举报人张三"), "410600", "policy"),
    "a second version of the same escalation": (lambda c, m: _second_version(c, m), "410600", "refused"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_escalations_are_dead_lettered_and_never_applied(county, orgs, case, all_logs):
    import hashlib

    marker = _marker()
    build, receiver_code, reason = BAD[case]
    raw = build(county, marker)
    header = json.loads(raw)["envelope"]
    receiver = orgs[receiver_code]
    before = _scan_and_rows(receiver, marker, header)
    verdict = inbox.message_receive(receiver=receiver, raw=raw)
    assert (verdict.outcome, verdict.reason, verdict.message_id) == (inbox.DEAD, reason, header["id"])
    assert _scan_and_rows(receiver, marker, header) == before  # nothing applied, stored or echoed
    assert before["inbox row"] is False and before["replica of the message"] is False and before["marker"] == []
    with schema_context(receiver.schema_name):  # this very message is the dead letter, by addressing only
        dead = DeadLetter.objects.get(fingerprint=hashlib.sha256(raw).hexdigest())
        assert (dead.reason, dead.message_id, dead.record_key, dead.size) == (
            reason,
            header["id"],
            header["key"],
            len(raw),
        )
    assert marker not in all_logs.text and all(marker not in str(record.args) for record in all_logs.records)


# --- bad input writes nothing ---------------------------------------------------------------------------

BAD_INPUT = {
    "no summary": dict(summary="  "),
    "no persons": dict(persons=[]),
    "a person without a name": dict(persons=[{"name": "", "position": "副县长"}]),
    "a name too long": dict(persons=[{"name": "张" * 101}]),
    "a unit outside the round": dict(target="other"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_input_writes_nothing_and_echoes_nothing(county, case, all_logs):
    marker = _marker()
    values = {"summary": f"{marker} 线索", "persons": [{"name": f"{marker}-张某"}], "target": county.target}
    values.update(BAD_INPUT[case])
    if values["target"] == "other":
        values["target"] = county.other_target
    before = _counts(county)
    with county.schema(), pytest.raises(ValidationError) as error:
        clue_create(
            actor=county.users["office"],
            access=county.access("office"),
            round=county.round,
            concerns_own_leadership=True,
            **values,
        )
    assert marker not in str(error.value.messages) and marker not in all_logs.text
    assert _counts(county) == before
    assert marker_hits(county.org.schema_name, marker) == []


# --- who may escalate -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, refusal",
    [
        ("staff_secret", ValidationError),
        ("team_leader", ValidationError),
        # Who may not write clues in the round is refused before anything about the clue is looked at.
        ("leading", PermissionDenied),
    ],
)
def test_only_office_roles_cleared_for_confidential_escalate(county, who, refusal):
    marker = _marker()
    before = _counts(county)
    with pytest.raises(refusal):
        _escalate(county, marker, actor=who)
    assert _counts(county) == before


def test_a_team_member_naming_a_registered_leader_cannot_store_the_clue_here(county):
    marker = _marker()
    with county.schema():
        leadership_member_add(
            actor=county.users["office"],
            access=county.access("office"),
            name=f"{marker}-张某",
            post="县长",
            body="government",
        )
    before = _counts(county)
    with pytest.raises(ValidationError):
        _escalate(county, marker, actor="team_leader", concerns_own_leadership=False)
    assert _counts(county) == before
    assert marker_hits(county.org.schema_name, marker, {"findings_clue", "findings_clueperson"}) == []


def _city_round(county):
    """A regular round of the city, through its services: a team led by the city's team leader on one
    unit of the city."""
    from tenants.experts.services import expert_create
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    office = county.users["city_office"]
    with schema_context(county.city.schema_name):
        round = round_create(name="市委某轮", kind="regular", actor=office)
        team = team_create(round=round, name="市委第一巡察组")
        leader = expert_create(name="市组长", home_region_code="410600", user=county.users["city_team"])
        round_expert_authorise(round=round, expert=leader, actor=office)
        team_member_add(team=team, expert=leader, role="leader", actor=office)
        target = target_create(name="市某局党组", level="city", managing_org_code="410600")
        team_target_add(team=team, target=target)
    return round, target


def test_a_city_does_not_escalate(county, orgs):
    marker = _marker()
    round, target = _city_round(county)
    with schema_context(county.city.schema_name):
        before = (Clue.objects.count(), OutboxMessage.objects.filter(record_type=ESCALATION).count())
        with pytest.raises(ValidationError, match="Only a county office escalates"):
            clue_create(
                actor=county.users["city_office"],
                access=county.access("city_office", county.city),
                round=round,
                target=target,
                summary=f"{marker} 线索",
                persons=[{"name": "n"}],
                concerns_own_leadership=True,
            )
        assert (Clue.objects.count(), OutboxMessage.objects.filter(record_type=ESCALATION).count()) == before
    assert marker_hits(county.city.schema_name, marker) == []


def test_a_city_round_keeps_its_clue_about_a_county_leader_and_sends_nothing_down(county, orgs):
    """An elevated round of the city finds a clue about a 浚县 leader (on 浚县's register): it lives in
    the city, like every clue of the city, and nothing of it reaches 浚县."""
    from datetime import timedelta

    from django.utils import timezone

    from tenants.crossorg.services import elevated_round_create
    from tenants.rounds.services import team_create, team_target_add
    from tenants.targets.services import target_create

    marker = _marker()
    with county.schema():
        leadership_member_add(
            actor=county.users["office"],
            access=county.access("office"),
            name=f"{marker}-县长",
            post="县长",
            body="government",
        )
    city_user = county.users["city_office"]
    with schema_context(county.city.schema_name):
        elevated = elevated_round_create(
            name=f"提级-{marker[-6:]}",
            host_org_code="410621",
            actor=city_user,
            cooperation="请配合",
            onsite_start=timezone.localdate(),
            onsite_end=timezone.localdate() + timedelta(days=9),
        )
        target = target_create(name=f"浚县单位-{marker[-6:]}", level="county", managing_org_code="410621")
        team_target_add(team=team_create(round=elevated, name="提级组"), target=target)
        clue = clue_create(
            actor=city_user,
            access=county.access("city_office", county.city),
            round=elevated,
            target=target,
            summary=f"{marker} 关于县长的线索",
            persons=[{"name": f"{marker}-县长"}],
        )
        assert isinstance(clue, Clue) and clue.origin_org_code == ""
        assert not OutboxMessage.objects.filter(record_type__startswith="clues.").exists()
    deliver(county.city, orgs)
    assert marker_hits(county.org.schema_name, marker) == [
        "findings_leadershipmember.name"
    ]  # the county's own register entry, nothing of the clue


# --- pages and API --------------------------------------------------------------------------------------


def test_the_county_form_gives_the_receipt_not_the_content_and_the_city_list_shows_the_origin(county, orgs, client):
    marker = _marker()
    client.force_login(county.users["office"])
    page = client.get("/org/410621/findings/").content.decode()
    assert 'name="own_leadership"' in page
    response = client.post(
        "/org/410621/findings/clues/new/",
        {
            "round": county.round.pk,
            "target": county.target.pk,
            "summary": f"{marker} 线索",
            "persons": f"{marker}-张某；{marker}-李某",
            "own_leadership": "on",
        },
    )
    assert response.status_code == 302
    from django.views.debug import SafeExceptionReporterFilter

    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert marker in response.wsgi_request.POST["summary"]
    assert marker not in json.dumps(dict(reported), ensure_ascii=False)  # error reports would mask the clue
    text = client.get(response["Location"]).content.decode()
    with county.schema():
        receipt = ClueEscalation.objects.latest("id")
    assert receipt.reference in text and marker not in text
    assert marker_hits(county.org.schema_name, marker) == []
    api = client.get("/org/410621/api/findings/escalations/").json()["results"]
    assert receipt.reference in [row["reference"] for row in api] and marker not in json.dumps(api)
    deliver(county.org, orgs)

    client.force_login(county.users["city_office"])
    page = client.get("/org/410600/findings/").content.decode()
    assert marker in page and receipt.reference in page
    clues = client.get("/org/410600/api/findings/clues/").json()["results"]
    mine = [row for row in clues if row["origin_reference"] == receipt.reference]
    assert len(mine) == 1 and mine[0]["origin_org_code"] == "410621" and len(mine[0]["persons"]) == 2
    with schema_context(county.city.schema_name):
        clue = Clue.objects.get(origin_reference=receipt.reference)
        assert AuditEvent.objects.filter(
            record_type="findings.clue", record_key=str(clue.pk), username=county.users["city_office"].username
        ).exists()
    ledger = client.get("/org/410600/findings/clues/ledger.xlsx")  # in the city's clue ledger, with its origin
    assert ledger.status_code == 200
    import io

    from openpyxl import load_workbook

    rows = [
        [str(cell or "") for cell in row]
        for row in load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True)
    ]
    assert any(marker in " ".join(row) and "县委第一轮巡察" in row for row in rows)


CITY_SEES = {  # who at the city -> which of the three clues they see, on the page and in the API
    "city_office": {"escalated", "own_confidential", "own_secret"},
    "city_leading": {"own_confidential", "own_secret"},
    "city_team": {"own_confidential", "own_secret"},  # leads the team on the city round's unit
    "city_staff_secret": {"own_secret"},
}


@pytest.mark.parametrize("who", sorted(CITY_SEES))
def test_of_the_city_roles_only_the_office_sees_the_escalated_clue(county, orgs, client, who):
    """Beside the escalated clue, the city's own 机密 and 秘密 clues on its own round: each role sees
    exactly what it is cleared and placed for, so an empty or broken page cannot pass."""
    markers = {name: _marker() for name in CITY_SEES["city_office"]}
    _escalate(county, markers["escalated"])
    deliver(county.org, orgs)
    round, target = _city_round(county)
    with schema_context(county.city.schema_name):
        for name, level in (("own_confidential", Classification.CONFIDENTIAL), ("own_secret", Classification.SECRET)):
            clue_create(
                actor=county.users["city_office"],
                access=county.access("city_office", county.city),
                round=round,
                target=target,
                summary=f"{markers[name]} 市本级线索",
                classification=level,
            )
    client.force_login(county.users[who])
    page = client.get("/org/410600/findings/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="clues"' in text
    assert {name for name, marker in markers.items() if marker in text} == CITY_SEES[who]
    api = client.get("/org/410600/api/findings/clues/")
    assert api.status_code == 200
    summaries = " ".join(row["summary"] for row in api.json()["results"])
    assert {name for name, marker in markers.items() if marker in summaries} == CITY_SEES[who]
    assert {name for name, marker in markers.items() if marker in api.content.decode()} == CITY_SEES[who]


def test_the_api_escalates_and_answers_with_the_receipt(county, client):
    marker = _marker()
    client.force_login(county.users["office"])
    response = client.post(
        "/org/410621/api/findings/clues/",
        {
            "round": county.round.pk,
            "target": county.target.pk,
            "summary": f"{marker} 线索",
            "persons": [{"name": f"{marker}-张某", "position": "副县长"}],
            "concerns_own_leadership": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["escalated"] is True and body["status"] == "queued" and marker not in response.content.decode()
    assert marker_hits(county.org.schema_name, marker) == []
    client.force_login(county.users["team_leader"])
    assert client.get("/org/410621/api/findings/escalations/").status_code == 403


def test_the_register_page_and_api(county, client):
    client.force_login(county.users["office"])
    client.post("/org/410621/findings/leadership/", {"name": "周某", "post": "县政协主席", "body": "cppcc"})
    with county.schema():
        member = LeadershipMember.objects.get(name="周某")
    assert "周某" in client.get("/org/410621/findings/leadership/").content.decode()
    assert (
        client.post(
            "/org/410621/api/findings/leadership/",
            {"name": "", "post": "x", "body": "cppcc"},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert client.delete(f"/org/410621/api/findings/leadership/{member.pk}/").status_code == 204
    with county.schema():
        assert not LeadershipMember.objects.get(pk=member.pk).is_active
    client.force_login(county.users["team_leader"])
    assert client.get("/org/410621/findings/leadership/").status_code == 403
    assert client.get("/org/410621/api/findings/leadership/").status_code == 403


# --- over the real RabbitMQ -----------------------------------------------------------------------------


@pytest.mark.bus
def test_over_the_real_broker_the_marker_is_in_no_queue_or_dead_letter(county, orgs):
    """The county's relay publishes the sealed escalation with confirms; the raw message in the city's
    queue, a tampered copy dead-lettered, and the dead-letter queue hold no marker; the city applies
    it, its receipt travels back through the county's consumer."""
    import os
    import threading

    from sync.relay import outbox_relay_batch
    from sync.transport import AmqpBus

    marker = _marker()
    receipt = _escalate(county, marker)
    codes = ["410621", "410600"]
    bus = AmqpBus(
        os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
        prefix=f"xuncha.test.escalate.{uuid.uuid4().hex[:8]}",
    )
    try:
        bus.declare(codes)
        assert outbox_relay_batch(organization=county.org, bus=bus) >= 1
        with county.schema():
            assert OutboxMessage.objects.get(message_id=receipt.message_id).sent_at is not None
        channel = bus._raw().channel()
        seen = []
        while (message := channel.basic_get(bus.queue_name("410600"), no_ack=True)) is not None:
            seen.append(bytes(message.body))
        mine = [raw for raw in seen if str(receipt.message_id).encode() in raw]
        assert len(mine) == 1
        for raw in seen:
            assert inbox.message_receive(receiver=county.city, raw=raw).outcome == inbox.APPLIED
        tampered = _tamper_ciphertext(mine[0])
        verdict = inbox.message_receive(receiver=county.city, raw=tampered)
        assert verdict.outcome == inbox.DEAD
        bus.dead_letter(receiver_code="410600", body=tampered, reason=verdict.reason, detail=verdict.detail)
        dead = []
        while (message := channel.basic_get(bus.dead_queue, no_ack=True)) is not None:
            # py-amqp hands an empty body (a classified dead letter keeps none) over as the text ''.
            body = message.body if isinstance(message.body, bytes) else message.body.encode()
            dead.append(body + repr(message.headers).encode())
        assert dead
        assert all(marker.encode() not in blob for blob in seen + dead)
        channel.close()
        with schema_context(county.city.schema_name):
            assert Clue.objects.get(origin_reference=receipt.reference).persons.count() == 1

        assert outbox_relay_batch(organization=county.city, bus=bus) >= 1  # the receipt goes back down
        stop, outcomes = threading.Event(), []
        timer = threading.Timer(30, stop.set)

        def handle(organization, raw):
            outcomes.append(inbox.message_receive(receiver=organization, raw=raw).outcome)
            with county.schema():
                if ClueEscalation.objects.get(pk=receipt.pk).received_at is not None:
                    stop.set()

        consumer = AmqpBus(bus.url, prefix=bus.prefix)
        timer.start()
        try:
            consumer.consume(receivers={"410621": county.org}, handle=handle, stop=stop)
        finally:
            timer.cancel()
            consumer.close()
        with county.schema():
            assert ClueEscalation.objects.get(pk=receipt.pk).received_at is not None
        assert marker_hits(county.org.schema_name, marker) == []
    finally:
        bus.delete_everything(codes)
        bus.close()


def test_a_whole_request_refusal_from_a_work_api_has_the_same_body_as_the_core_apis(county, client):
    """One exception handler for every API: a service's ValidationError that names no field is
    `{"detail": [...], "code": ...}` here too, as in the rounds API (it was `{"non_field_errors": [...]}`)."""
    marker = _marker()
    client.force_login(county.users["team_leader"])
    response = client.post(
        "/org/410621/api/findings/clues/",
        {
            "round": county.round.pk,
            "target": county.target.pk,
            "summary": f"{marker} 线索",
            "persons": [{"name": f"{marker}-张某", "position": "副县长"}],
            "concerns_own_leadership": True,
        },
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": [
                "该线索涉及本级党委管理的领导干部：只有具有机密级权限的巡察办人员可以录入，线索将报送市级，不在本单位留存。"
            ],
            "code": "invalid",
        },
    )
    assert marker_hits(county.org.schema_name, marker) == []
