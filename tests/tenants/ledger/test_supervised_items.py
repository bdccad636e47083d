"""The city's rectification items assigned to a county (督办), the county's own ledger opened from
them, its progress back up, and the city's view of it: through the real services, outbox, envelope,
policy and inbox (deliver_all = the relay + consumers minus the transport)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from shared.accounts.selectors import organization_access
from sync import inbox
from sync.models import OutboxMessage, Replica
from sync.outbox import record_state_publish
from tenants.rectification.models import RectificationItem, SupervisedItem
from tenants.rectification.sharing import ITEM, PROGRESS
from tests.tenants.crossorg.conftest import TODAY, deliver_all
from tests.tenants.findings.conftest import deliver, marker_hits
from tests.tenants.walk import round_walk

ITEM_FIELDS = {
    "problem": "三重一大决策不规范",
    "task": "修订议事规则并报备",
    "responsible_unit": "办公室",
    "responsible_person": "李书记",
}


def _round_with_feedback(
    orgs,
    city_admin,
    city_access,
    *,
    kind="regular",
    target_county="410621",
    name=None,
    leadership_content="领导班子问题",
):
    """A city round on one unit managed by `target_county` (or the city), made by the services and walked
    by round_transition to the leading group's hearing, with feedback recorded but not yet delivered;
    returns (round, feedback)."""
    from tenants.crossorg.services import elevated_round_create
    from tenants.experts.services import expert_create
    from tenants.rectification.services import feedback_create
    from tenants.rounds.services import (
        round_create,
        round_expert_authorise,
        team_create,
        team_member_add,
        team_target_add,
    )
    from tenants.targets.services import target_create

    name = name or f"{kind}-整改督办"
    if kind == "elevated":
        round = elevated_round_create(
            name=name,
            host_org_code=target_county,
            actor=city_admin,
            onsite_start=TODAY() - timedelta(days=40),
            onsite_end=TODAY() - timedelta(days=10),
        )
    else:  # a regular round stays on site at least 20 working days: 22 here
        round = round_create(
            name=name, kind=kind, actor=city_admin, onsite_start=date(2026, 3, 2), onsite_end=date(2026, 3, 31)
        )
    target = target_create(
        name=f"{name}单位", level="county" if target_county != "410600" else "city", managing_org_code=target_county
    )
    team = team_create(round=round, name=f"{name}组")
    team_target_add(team=team, target=target)
    leader = expert_create(name=f"{name}组长")
    round_expert_authorise(round=round, expert=leader, actor=city_admin)
    team_member_add(team=team, expert=leader, role="leader", actor=city_admin)
    round = round_walk(round, "hearing", office=city_admin, office_access=city_access)
    feedback = feedback_create(
        actor=city_admin,
        access=city_access,
        round=round,
        target=target,
        leadership_content=leadership_content,
        principal_content="主要负责人问题",
    )
    return round, feedback


def _add_item(city_admin, city_access, feedback, **extra):
    from tenants.rectification.services import rectification_items_add

    return rectification_items_add(
        actor=city_admin,
        access=city_access,
        feedback=feedback,
        items=[{**ITEM_FIELDS, "due_date": TODAY() + timedelta(days=30), **extra}],
    )[0]


def _rows(org, record_type, key=None, *, pending=False):
    """`org`'s outbox rows of that type (and key); only those not relayed yet if `pending`."""
    with schema_context(org.schema_name):
        rows = OutboxMessage.objects.filter(record_type=record_type)
        if key is not None:
            rows = rows.filter(record_key=str(key))
        if pending:
            rows = rows.filter(sent_at__isnull=True)
        return list(rows.order_by("id"))


def _supervised(org, **filters):
    with schema_context(org.schema_name):
        return list(SupervisedItem.objects.filter(**filters))


def _give_feedback(round, city_leading, orgs):
    from tenants.rounds.services import round_transition

    access = organization_access(person=city_leading, organization_id=orgs["city"].pk)
    round_transition(round=round, to_state="feedback", actor=city_leading, access=access, note="领导小组同意反馈")


def _delivered_item(orgs, city_admin, city_access, **extra):
    """A regular round's item on a 浚县 unit, delivered: (feedback, item, county A's ledger row)."""
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(orgs, city_admin, city_access)
        item = _add_item(city_admin, city_access, feedback, **extra)
    deliver(orgs["city"], orgs)
    [ledger] = _supervised(orgs["county_a"])
    return feedback, item, ledger


@pytest.fixture
def county_a_office(orgs, make_member):
    return make_member(orgs["county_a"], "office_staff", clearance=2, username="a-office")


def _report(orgs, user, item, **values):
    from tenants.ledger.services import ledger_progress_report

    with schema_context(orgs["county_a"].schema_name):
        access = organization_access(person=user, organization_id=orgs["county_a"].pk)
        return ledger_progress_report(actor=user, access=access, record=item, **values)


def test_a_regular_rounds_item_goes_to_the_county_managing_the_unit_and_opens_its_ledger(orgs, city_admin, city_access):
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(orgs, city_admin, city_access)
        item = _add_item(city_admin, city_access, feedback)
    rows = _rows(orgs["city"], "rectification.item", item.pk)
    assert [row.destination for row in rows] == ["410621"]
    # Only the list's own fields: never the responsible person, the finding or the feedback texts.
    assert rows[0].body == {
        "title": "三重一大决策不规范",
        "category": "",
        "description": "修订议事规则并报备",
        "target_name": "regular-整改督办单位",
        "deadline": (TODAY() + timedelta(days=30)).isoformat(),
        "deadline_provisional": False,
        "status": "open",
        "assignee_org_code": "410621",
        "origin_round_kind": "regular",
        "feedback_given": False,  # true to the record; a regular round's list goes anyway
        "classification": 1,
    }
    assert {verdict.outcome for verdict in deliver_all(orgs["city"], orgs)} == {inbox.APPLIED}
    [ledger] = _supervised(orgs["county_a"], record_key=str(item.pk))
    assert (ledger.source, ledger.title, ledger.description, ledger.target_name, ledger.deadline) == (
        "410600",
        ITEM_FIELDS["problem"],
        ITEM_FIELDS["task"],
        feedback.target.name,
        item.due_date,
    )
    assert (ledger.status, ledger.superior_status, ledger.withdrawn_at) == ("not_started", "open", None)
    for other in ("county_b", "county_c", "province"):  # items of county A never reach county B
        assert _supervised(orgs[other]) == []
        with schema_context(orgs[other].schema_name):
            assert not Replica.objects.filter(record_type="rectification.item").exists()


def test_an_item_on_a_city_unit_stays_unless_a_county_is_named_and_the_name_is_checked(orgs, city_admin, city_access):
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(orgs, city_admin, city_access, target_county="410600")
        kept = _add_item(city_admin, city_access, feedback)
        named = _add_item(city_admin, city_access, feedback, assignee_org_code="410622")
        for wrong in ("410000", "410600", "419999"):
            with pytest.raises(ValidationError):
                _add_item(city_admin, city_access, feedback, assignee_org_code=wrong)
    assert _rows(orgs["city"], "rectification.item", kept.pk) == []
    assert [row.destination for row in _rows(orgs["city"], "rectification.item", named.pk)] == ["410622"]


def test_an_elevated_rounds_list_reaches_the_county_only_after_feedback(orgs, city_admin, city_access, city_leading):
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(orgs, city_admin, city_access, kind="elevated")
        item = _add_item(city_admin, city_access, feedback)
        assert _rows(orgs["city"], "rectification.item") == []  # before feedback: nothing queued
        deliver_all(orgs["city"], orgs)
        assert _supervised(orgs["county_a"]) == []
        _give_feedback(round, city_leading, orgs)
    [row] = _rows(orgs["city"], "rectification.item", item.pk)
    assert row.destination == "410621"
    assert row.body == {
        "title": "三重一大决策不规范",
        "category": "",
        "description": "修订议事规则并报备",
        "target_name": "elevated-整改督办单位",
        "deadline": (TODAY() + timedelta(days=30)).isoformat(),
        "deadline_provisional": False,
        "status": "open",
        "assignee_org_code": "410621",
        "origin_round_kind": "elevated",
        "feedback_given": True,
        "classification": 1,
    }
    deliver_all(orgs["city"], orgs, record_type="rectification.item")
    [ledger] = _supervised(orgs["county_a"])
    assert ledger.origin_round_kind == "elevated" and ledger.record_key == str(item.pk)
    assert _supervised(orgs["county_b"]) == [] and _supervised(orgs["county_c"]) == []


def test_a_cross_county_rounds_list_goes_to_the_inspected_county_only_after_feedback(
    orgs, cross_round, city_admin, city_access, city_leading
):
    from tenants.rectification.services import feedback_create

    with schema_context(orgs["city"].schema_name):
        round = round_walk(cross_round["round"], "hearing", office=city_admin, office_access=city_access)
        feedback = feedback_create(
            actor=city_admin,
            access=city_access,
            round=round,
            target=cross_round["targets"][0],
            leadership_content="班子问题",
            principal_content="负责人问题",
        )
        item = _add_item(city_admin, city_access, feedback)
        assert _rows(orgs["city"], "rectification.item") == []
        _give_feedback(round, city_leading, orgs)
    assert [row.destination for row in _rows(orgs["city"], "rectification.item", item.pk)] == ["410622"]
    deliver_all(orgs["city"], orgs)
    assert len(_supervised(orgs["county_b"])) == 1
    assert _supervised(orgs["county_a"]) == []  # the team's home county hears nothing


def test_progress_goes_up_to_the_city_only_and_the_city_sees_it_without_closing_the_item(
    orgs, city_admin, city_access, county_a_office, client
):
    feedback, item, ledger = _delivered_item(orgs, city_admin, city_access)
    ledger = _report(
        orgs,
        county_a_office,
        ledger,
        status="in_progress",
        progress_note="已修订议事规则初稿",
        responsible_person="王主任",
    )
    [row] = _rows(orgs["county_a"], "rectification.progress")
    assert row.destination == "410600" and row.record_key == str(ledger.pk)
    assert row.body == {
        "item_key": str(item.pk),
        "item_source": "410600",
        "status": "in_progress",
        "progress_note": "已修订议事规则初稿",
        "completed_on": None,
        "reported_on": TODAY().isoformat(),
        "classification": 1,
    }
    assert {v.outcome for v in deliver_all(orgs["county_a"], orgs)} == {inbox.APPLIED}
    with schema_context(orgs["city"].schema_name):
        assert RectificationItem.objects.get(pk=item.pk).status == "open"  # closing stays the city's (对账销号)
    client.force_login(city_admin)
    api = client.get(f"/org/410600/api/rectification/items/{item.pk}/").json()
    assert api["county_progress"]["status"] == "in_progress" and api["county_progress"]["county"] == "410621"
    page = client.get(f"/org/410600/rectification/feedback/{feedback.pk}/").content.decode()
    assert "已修订议事规则初稿" in page


def test_only_the_county_office_reports_and_not_on_a_withdrawn_or_foreign_item(
    orgs, make_member, city_admin, city_access, county_a_office
):
    feedback, item, ledger = _delivered_item(orgs, city_admin, city_access)
    reader = make_member(orgs["county_a"], "leading_group", clearance=3)
    with pytest.raises(PermissionDenied):
        _report(orgs, reader, ledger, status="in_progress", progress_note="x")
    for bad in (
        {"status": "closed", "progress_note": "x"},
        {"status": "in_progress", "progress_note": " "},
        {"status": "completed", "progress_note": "x", "completed_on": TODAY() + timedelta(days=1)},
        {"status": "in_progress", "progress_note": "x", "completed_on": TODAY()},
    ):
        with pytest.raises(ValidationError):
            _report(orgs, county_a_office, ledger, **bad)
    assert _rows(orgs["county_a"], "rectification.progress") == []


def test_the_city_refuses_progress_on_an_item_it_did_not_send_to_that_county(orgs, city_admin, city_access):
    """County B forges a progress record about county A's item: the city's on_receive refuses it."""
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(orgs, city_admin, city_access)
        item = _add_item(city_admin, city_access, feedback)
    with schema_context(orgs["county_b"].schema_name):
        record_state_publish(
            spec=PROGRESS,
            owner=orgs["county_b"],
            record_key="forged-1",
            audience={"410600"},
            snapshot={
                "item_key": str(item.pk),
                "item_source": "410600",
                "status": "completed",
                "progress_note": "已完成",
                "completed_on": TODAY().isoformat(),
                "reported_on": TODAY().isoformat(),
                "classification": 1,
            },
        )
    [verdict] = deliver_all(orgs["county_b"], orgs)
    assert (verdict.outcome, verdict.reason) == (inbox.DEAD, "refused")
    with schema_context(orgs["city"].schema_name):
        assert not Replica.objects.filter(record_type="rectification.progress", source="410622").exists()


def test_malformed_items_are_refused_by_the_county(orgs):
    with schema_context(orgs["city"].schema_name):
        record_state_publish(
            spec=ITEM,
            owner=orgs["city"],
            record_key="bad-1",
            audience={"410621"},
            snapshot={
                "title": "问题",
                "deadline": "not-a-date",
                "assignee_org_code": "410621",
                "origin_round_kind": "regular",
                "feedback_given": True,
                "classification": 1,
            },
        )
        record_state_publish(
            spec=ITEM,
            owner=orgs["city"],
            record_key="bad-2",
            audience={"410621"},
            snapshot={"title": "", "deadline": "2030-01-01", "assignee_org_code": "410621", "classification": 1},
        )
    assert [(v.outcome, v.reason) for v in deliver_all(orgs["city"], orgs, record_type="rectification.item")] == [
        (inbox.DEAD, "refused")
    ] * 2
    assert _supervised(orgs["county_a"]) == []


def test_replayed_delivery_changes_nothing_twice(orgs, city_admin, city_access, county_a_office):
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(orgs, city_admin, city_access)
        _add_item(city_admin, city_access, feedback)

    def deliver(org, kind):
        return [v.outcome for v in deliver_all(orgs[org], orgs, record_type=f"rectification.{kind}")]

    assert deliver("city", "item") == [inbox.APPLIED]
    assert deliver("city", "item") == [inbox.DUPLICATE]
    [ledger] = _supervised(orgs["county_a"])
    _report(orgs, county_a_office, ledger, status="completed", progress_note="整改完成")
    assert deliver("county_a", "progress") == [inbox.APPLIED]
    assert deliver("county_a", "progress") == [inbox.DUPLICATE]
    assert len(_supervised(orgs["county_a"])) == 1
    with schema_context(orgs["city"].schema_name):
        assert Replica.objects.filter(record_type="rectification.progress", source="410621").count() == 1


def test_the_city_s_changes_update_the_ledger_and_a_reassignment_withdraws_it_keeping_the_notes(
    orgs, city_admin, city_access, county_a_office, client, make_member
):
    from tenants.rectification.services import item_assign, item_submit_evidence, item_verify

    feedback, item, ledger = _delivered_item(orgs, city_admin, city_access)
    _report(orgs, county_a_office, ledger, status="completed", progress_note="县里已督促完成")
    city_staff = make_member(orgs["city"], "office_staff", clearance=3, username="city-staff")
    with schema_context(orgs["city"].schema_name):
        item_submit_evidence(
            actor=city_staff,
            access=organization_access(person=city_staff, organization_id=orgs["city"].pk),
            item=item,
            evidence="议事规则文本",
        )
        # separation of duties: another person verifies the evidence
        item = item_verify(actor=city_admin, access=city_access, item=item, accept=True)
    # Relayed once each (evidence submitted, then verified): both reach the county, the last one closes it.
    assert [v.outcome for v in deliver(orgs["city"], orgs, record_type="rectification.item")] == [
        inbox.APPLIED,
        inbox.APPLIED,
    ]
    [ledger] = _supervised(orgs["county_a"])
    assert ledger.superior_status == "closed"
    with schema_context(orgs["city"].schema_name):
        item_assign(actor=city_admin, access=city_access, item=item, assignee_org_code="410622")
    assert sorted(
        (row.destination, row.tombstone) for row in _rows(orgs["city"], "rectification.item", pending=True)
    ) == [("410621", True), ("410622", False)]
    deliver(orgs["city"], orgs)
    [ledger] = _supervised(orgs["county_a"])
    assert ledger.withdrawn_at is not None and ledger.progress_note == "县里已督促完成"
    assert len(_supervised(orgs["county_b"], withdrawn_at__isnull=True)) == 1
    client.force_login(county_a_office)
    page = client.get("/org/410621/rectification/supervised/").content.decode()
    assert 'data-testid="supervised-withdrawn"' in page
    assert 'data-testid="supervised-items"' in page and f'data-item="{ledger.pk}"' not in page
    with pytest.raises(ValidationError):
        _report(orgs, county_a_office, ledger, status="in_progress", progress_note="再次推进")


def test_county_pages_and_api_list_the_item_with_its_colour_and_take_progress(
    orgs, city_admin, city_access, county_a_office, client
):
    feedback, item, ledger = _delivered_item(orgs, city_admin, city_access, due_date=TODAY() - timedelta(days=1))
    client.force_login(county_a_office)
    page = client.get("/org/410621/rectification/supervised/").content.decode()
    assert ITEM_FIELDS["problem"] in page and 'data-colour="red"' in page
    assert ITEM_FIELDS["problem"] in client.get("/org/410621/crossorg/").content.decode()
    [api_item] = client.get("/org/410621/api/rectification/supervised/").json()["results"]
    assert api_item["colour"] == "red" and api_item["id"] == ledger.pk
    response = client.post(
        f"/org/410621/rectification/supervised/{ledger.pk}/progress/",
        {"status": "in_progress", "progress_note": "正在推进", "responsible_person": "赵科长"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/org/410621/api/rectification/supervised/{ledger.pk}/progress/",
        {"status": "completed", "progress_note": "完成"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert response.json()["colour"] == "green" and response.json()["responsible_person"] == "赵科长"
    assert len(_rows(orgs["county_a"], "rectification.progress")) == 2
    home = client.get("/org/410621/").content.decode()
    assert "/org/410621/rectification/supervised/" in home


def test_only_the_lists_own_fields_leave_a_marker_in_the_finding_and_feedback_reaches_no_county(
    orgs, city_admin, city_access, city_leading
):
    """An elevated round after feedback: the finding's text and the feedback texts carry a marker; the
    item goes to the county, the marker to no other schema (the matrix test's scan)."""
    import uuid

    from tenants.findings.services import clue_create, finding_create
    from tenants.office.models import FindingCategory

    marker = "MARKER-LIST-" + uuid.uuid4().hex[:10]
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(
            orgs, city_admin, city_access, kind="elevated", name="提级-标记", leadership_content=f"{marker} 反馈内容"
        )
        category = FindingCategory.objects.first()
        finding = finding_create(
            actor=city_admin,
            access=city_access,
            round=round,
            target=feedback.target,
            category=category,
            title=f"{marker} 问题",
            description=f"{marker} 描述",
            evidence=f"{marker} 证据",
        )
        clue_create(actor=city_admin, access=city_access, round=round, target=feedback.target, summary=f"{marker} 线索")
        _add_item(city_admin, city_access, feedback, finding=finding)
        _give_feedback(round, city_leading, orgs)
    deliver(orgs["city"], orgs)
    [ledger] = _supervised(orgs["county_a"])  # the list itself arrived
    assert (ledger.title, ledger.category) == ("三重一大决策不规范", category.name)
    # The scan finds the marker where it is (the city's feedback, finding and clue) ...
    assert {"rectification_feedback.leadership_content", "findings_finding.title"} <= set(
        marker_hits(orgs["city"].schema_name, marker)
    )
    # ... and in no other organisation.
    assert {
        code: marker_hits(orgs[code].schema_name, marker) for code in ("county_a", "county_b", "county_c", "province")
    } == {"county_a": [], "county_b": [], "county_c": [], "province": []}


def test_the_city_names_the_supervising_county_on_the_page_and_through_the_api(orgs, city_admin, city_access, client):
    with schema_context(orgs["city"].schema_name):
        round, feedback = _round_with_feedback(orgs, city_admin, city_access, target_county="410600")
    client.force_login(city_admin)
    page = client.get(f"/org/410600/rectification/feedback/{feedback.pk}/").content.decode()
    assert 'name="assignee_org_code"' in page and 'value="410622"' in page
    client.post(
        f"/org/410600/rectification/feedback/{feedback.pk}/items/",
        {**ITEM_FIELDS, "due_date": (TODAY() + timedelta(days=9)).isoformat(), "assignee_org_code": "410622"},
    )
    with schema_context(orgs["city"].schema_name):
        item = RectificationItem.objects.get(feedback=feedback)
    assert item.assignee_org_code == "410622"
    assert [row.destination for row in _rows(orgs["city"], "rectification.item", item.pk)] == ["410622"]
    response = client.post(
        f"/org/410600/api/rectification/items/{item.pk}/assign/",
        {"assignee_org_code": "410611"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["assignee_org_code"] == "410611"
    assert (
        client.post(
            f"/org/410600/api/rectification/items/{item.pk}/assign/",
            {"assignee_org_code": "410000"},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert sorted((r.destination, r.tombstone) for r in _rows(orgs["city"], "rectification.item", item.pk)) == [
        ("410611", False),
        ("410622", False),
        ("410622", True),
    ]
    assert "/rectification/supervised/" not in client.get("/org/410600/").content.decode()  # the panel is a county's


def test_a_refused_report_shows_its_reason_in_the_rows_form_with_what_was_typed(
    orgs, city_admin, city_access, county_a_office, client
):
    from tests.tenants.attachments.test_evidence_files import ELF, upload

    _feedback, _item, ledger = _delivered_item(orgs, city_admin, city_access)
    client.force_login(county_a_office)
    response = client.post(
        f"/org/410621/rectification/supervised/{ledger.pk}/progress/",
        {"status": "in_progress", "progress_note": "已整改，附报告", "files": [upload("报告.pdf", ELF)]},
    )
    assert response.status_code == 200  # the page again, not a redirect to it
    text = response.content.decode()
    row = text[text.index(f'data-item="{ledger.pk}"') :]
    form = row[row.index("<form") : row.index("</form>")]
    assert 'data-testid="report-refusal"' in form and "“报告.pdf”不是 PDF、图片或 Word、Excel、演示文稿" in form
    assert "已整改，附报告" in form  # what was typed, kept in the form
    assert "已整改，附报告" not in row[: row.index("<form")]  # and not shown as the progress reported
    with schema_context(orgs["county_a"].schema_name):
        assert SupervisedItem.objects.get(pk=ledger.pk).progress_note == ""  # nothing of it saved
    done = client.post(
        f"/org/410621/rectification/supervised/{ledger.pk}/progress/",
        {"status": "in_progress", "progress_note": "已整改"},
    )
    assert done.status_code == 302 and 'data-testid="report-refusal"' not in client.get(done.url).content.decode()


def _arrivals(client, user):
    client.force_login(user)
    items = client.get("/org/410600/api/workbench/").json()["items"]
    return [item for item in items if item["section"] == "arrived"]


def test_a_county_s_progress_leaves_the_new_arrivals_of_whoever_opened_its_page_or_followed_the_notice(
    orgs, city_admin, city_access, city_leading, county_a_office, make_member, client
):
    """The city's office sees 浚县's report among its new arrivals until each person has seen it: by opening the
    item's page (where it is verified) or by following the notice (then its page). Another person's stays."""
    feedback, item, ledger = _delivered_item(orgs, city_admin, city_access)
    _report(orgs, county_a_office, ledger, status="in_progress", progress_note="已修订议事规则初稿")
    deliver_all(orgs["county_a"], orgs)
    city_staff = make_member(orgs["city"], "office_staff", clearance=2, username="city-staff")
    [arrival] = _arrivals(client, city_admin)
    assert arrival["title"] == f"浚县报告了督办整改事项（第 {item.pk} 号）的进展：推进中"
    assert len(_arrivals(client, city_staff)) == 1

    client.force_login(city_admin)
    assert client.get(f"/org/410600/rectification/feedback/{feedback.pk}/").status_code == 200
    assert _arrivals(client, city_admin) == []
    [still] = _arrivals(client, city_staff)  # not seen by the other office person yet
    assert still["title"] == arrival["title"]

    client.force_login(city_staff)
    followed = client.get(still["url"])
    assert followed.status_code == 302 and followed["Location"] == f"/org/410600/rectification/feedback/{feedback.pk}/"
    assert _arrivals(client, city_staff) == []
    notices = client.get("/org/410600/reminders/").content.decode()
    assert arrival["title"] in notices and "未读" not in notices.split('data-testid="notifications"')[1]

    client.force_login(city_leading)  # the leading group is not among the notice's roles: it opens nothing
    assert client.get(still["url"]).status_code == 404
