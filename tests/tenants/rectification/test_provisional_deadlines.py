"""暂定 travels with every deadline derived from a year without a published holiday table (issue 10,
point 8): an item's inherited due date, a transfer's handling deadline and the reminders about them,
on the pages and in the API. The receipt is signed on Fri 20 Nov 2026, so the report is due Wed
20 Jan 2027 (two months on, in 2027: provisional) and the plan Fri 4 Dec 2026 (published: not)."""

from __future__ import annotations

import datetime
import io

from django.utils import translation
from openpyxl import load_workbook

from tenants.rectification.models import RectificationItem
from tests.tenants.workflow import API, WEB, handed_over_transfer, signed_feedback

D = datetime.date
SIGNED = D(2026, 11, 20)
ITEM = {
    "problem": "三重一大决策不规范",
    "task": "修订议事规则",
    "responsible_unit": "办公室",
    "responsible_person": "李书记",
}


def test_an_item_added_on_the_page_inherits_the_provisional_report_deadline(client, flow):
    with flow.schema():
        feedback = signed_feedback(flow, signed_on=SIGNED)
    assert (feedback.report_due, feedback.report_due_provisional) == (D(2027, 1, 20), True)
    assert (feedback.plan_due, feedback.plan_due_provisional) == (D(2026, 12, 4), False)
    client.force_login(flow.users["leader"])  # the round's team leader writes the lists
    client.post(f"{WEB}/rectification/feedback/{feedback.pk}/items/", {**ITEM, "due_date": ""})
    client.post(
        f"{WEB}/rectification/feedback/{feedback.pk}/items/", {**ITEM, "task": "建立台账", "due_date": "2027-01-15"}
    )  # a date the office chose itself
    with flow.schema():
        inherited, chosen = RectificationItem.objects.filter(feedback=feedback).order_by("id")
    assert (inherited.due_date, inherited.due_provisional) == (D(2027, 1, 20), True)
    assert (chosen.due_date, chosen.due_provisional) == (D(2027, 1, 15), False)

    page = client.get(f"{WEB}/rectification/feedback/{feedback.pk}/").content.decode()
    items = page.split('data-testid="items"', 1)[1].split("</table>", 1)[0]
    assert items.count('data-testid="item-provisional"') == 1 and "暂定" in items
    assert "修订议事规则" in items and "建立台账" in items  # both rows are there
    inherited_row = items.split("修订议事规则", 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="item-provisional"' in inherited_row

    api = {
        row["id"]: row for row in client.get(f"{API}/rectification/items/", {"feedback": feedback.pk}).json()["results"]
    }
    assert api[inherited.pk]["due_provisional"] is True and api[chosen.pk]["due_provisional"] is False

    office_index = client.get(f"{WEB}/rectification/").content.decode()
    assert 'data-testid="item-provisional"' in office_index

    ledger = load_workbook(io.BytesIO(client.get(f"{WEB}/rectification/ledger.xlsx").content)).active
    due = {row[4].value: (row[7].value, row[7].number_format) for row in ledger.iter_rows(min_row=2)}  # 完成时限
    assert due == {  # date cells (they sort), the provisional one marked in its format
        "修订议事规则": (datetime.datetime(2027, 1, 20), 'yyyy"年"m"月"d"日（暂定）"'),
        "建立台账": (datetime.datetime(2027, 1, 15), 'yyyy"年"m"月"d"日"'),
    }


def test_a_transfer_handed_over_in_november_has_a_provisional_2027_deadline_on_its_page(client, flow):
    with flow.schema():
        transfer = handed_over_transfer(flow, today=SIGNED)
    # 20 Feb 2027 is a Saturday: the next working day
    assert (transfer.feedback_due, transfer.feedback_due_provisional) == (D(2027, 2, 22), True)
    client.force_login(flow.users["admin"])
    page = client.get(f"{WEB}/transfers/").content.decode()
    row = page.split(f"YJ-{transfer.pk}<", 1)[1].split("</tr>", 1)[0]
    assert "暂定" in row
    assert client.get(f"{API}/transfers/{transfer.pk}/").json()["feedback_due_provisional"] is True


def test_reminders_about_a_provisional_deadline_say_so(client, flow):
    from tenants.reminders.models import Notification
    from tenants.reminders.services import reminders_run

    with flow.schema():
        signed_feedback(flow, signed_on=SIGNED)
        with translation.override("zh-hans"):
            reminders_run(today=D(2027, 1, 19), organization=flow.org)
        titles = dict(Notification.objects.values_list("kind", "title"))
    assert "2027年1月20日（暂定）" in titles["due_soon:rectification_report"]
    assert "2026年12月4日" in titles["overdue:rectification_plan"]
    assert "暂定" not in titles["overdue:rectification_plan"]  # a published year's deadline is not marked
    client.force_login(flow.users["admin"])
    page = client.get(f"{WEB}/reminders/").content.decode()
    assert "2027年1月20日（暂定）" in page


def test_the_county_s_ledgers_keep_the_provisional_mark_of_the_city_s_deadlines(client, orgs, flow, make_member):
    """The city's item and transfer go down to the county managing the unit (督办): its ledger rows
    carry the 暂定 mark on the county's pages and API."""
    from tenants.rectification.models import SupervisedItem
    from tenants.rectification.services import rectification_items_add
    from tenants.targets.services import target_update
    from tenants.transfers.models import Party, ReceivedTransfer, TransferType
    from tenants.transfers.services import transfer_create, transfer_sign
    from tests.tenants.crossorg.conftest import deliver_all

    with flow.schema():
        target_update(target=flow.target, managing_org_code="410621")  # the unit is managed by 浚县 (督办)
        feedback = signed_feedback(flow, signed_on=SIGNED)
        rectification_items_add(actor=flow.users["admin"], access=flow.access("admin"), feedback=feedback, items=[ITEM])
        transfer = transfer_create(
            actor=flow.users["admin"],
            access=flow.access("admin"),
            transfer_type=TransferType.CONDUCT_ISSUE,
            finding=_finding(flow),
        )
        for party, user in ((Party.TEAM, "member"), (Party.OFFICE, "admin"), (Party.AGENCY, "discipline_receiver")):
            transfer = transfer_sign(
                actor=flow.users[user], access=flow.access(user), transfer=transfer, party=party, today=SIGNED
            )
    deliver_all(orgs["city"], orgs)
    from django_tenants.utils import schema_context

    with schema_context(orgs["county_a"].schema_name):
        [ledger] = SupervisedItem.objects.all()
        [received] = ReceivedTransfer.objects.all()
    assert (ledger.deadline, ledger.deadline_provisional) == (D(2027, 1, 20), True)
    assert (received.deadline, received.deadline_provisional) == (D(2027, 2, 22), True)

    client.force_login(make_member(orgs["county_a"], "office_staff", clearance=2, username="a-provisional"))
    supervised = client.get("/org/410621/rectification/supervised/").content.decode()
    assert ITEM["problem"] in supervised and 'data-testid="deadline-provisional"' in supervised
    received_page = client.get("/org/410621/transfers/received/").content.decode()
    assert f"YJ-{transfer.pk}" in received_page and 'data-testid="deadline-provisional"' in received_page
    assert client.get("/org/410621/api/rectification/supervised/").json()["results"][0]["deadline_provisional"] is True
    overview = client.get("/org/410621/crossorg/").content.decode()
    received = overview.split('data-testid="rectification-received"', 1)[1].split("</table>", 1)[0]
    assert ITEM["problem"] in received and 'data-testid="deadline-provisional"' in received
    [listed] = client.get("/org/410621/api/crossorg/").json()["rectification_received"]
    assert (listed["deadline"], listed["deadline_provisional"]) == ("2027-01-20", True)


def _finding(flow):
    from tests.tenants.workflow import make_finding

    return make_finding(flow)
