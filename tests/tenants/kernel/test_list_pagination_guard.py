"""Guard: every list is paginated. No API GET answers a bare array (read from the OpenAPI schema), each API list an
organisation serves answers one page (`count`, `next`, `previous`, `results`), and each HTML list page shows the
Chinese pager (上一页 / 第 N 页 / 下一页), once there are more rows than a page holds. The page is shrunk to 2 rows
(XUNCHA_PAGE_SIZE, the one size of the pages and the API) so a few rows made by the services overflow it."""

from __future__ import annotations

import datetime
import json as json_text

from django.core.management import call_command
from django.test import Client

from tests.tenants.kernel.test_list_query_guard import ADMINISTERED, QUERY, _get_lists, _grow
from tests.tenants.workflow import WEB

PAGE = 2
# The API lists with a cursor of their own instead of `limit`/`offset`: the audit log pages by `before_seq` (at
# most `limit` rows, newest first: an offset into a chain that grows while it is read would skip rows).
KEYSET_PAGED = {"api/audit-events/"}
# The HTML lists that must show the pager with the rows `_grow_more` made, by route: how many pagers at least.
PAGED_PAGES = {
    "rounds/": 1,
    "targets/": 1,
    "targets/coverage/": 1,
    "experts/": 1,
    "plans/": 1,
    "findings/": 2,  # findings and clues
    "inround/": 3,  # interviews, petitions, working papers
    "rectification/": 2,  # feedbacks and items
    "transfers/": 1,
    "reminders/": 1,
    "reports/hearings/": 1,
    "users/": 1,
    "memberships/": 1,
    "guidance/": 1,  # the documents this office issued (those received from above: paged too, none at the city)
}
# The organisation's pages without a pager, and why none is needed.
NOT_PAGED = {
    "": "the home page: one card per section",
    "audit/": "the audit log search: paged (Django's Paginator) once a filter is given",
    "crossorg/": "one row per elevated, cross or joint round this city runs or joined, and per county",
    "crossorg/registries/": "the registries shared for one joint round",
    "findings/leadership/": "the office's own leadership register (a dozen people)",
    "office/categories/": "the office's finding categories (a fixed, short catalogue)",
    "office/holidays/": "the local holiday overrides of one year",
    "office/bundles/": "one row per organisation reached by bundles (none here); its bundle log is paged "
    "(tests/tenants/office/test_bundles_page.py shows the pager)",
    "office/holidays/import/": "the holiday table's import form",
    "experts/import/": "the pool's import form",
    "tokens/": "a person's API tokens: paged (their own, and everyone's for the security administrator); none here",
    "office/settings/": "one settings form",
    "office/settings/preset/": "the presets' form",
    "targets/export/": "the export's form (the file holds every target)",
    "reports/filings/": "a city's filings with the province: paged, none made here (a city fixture has no filing)",
    "reports/oversight/": "one row per county of the city; the major findings below are paged",
    "reports/summary/": "one statistics report",
    "search/": "the search form; its results are capped by the search",
    "sync/": "the bus's status: one row per peer organisation",
    "rectification/supervised/": "the county ledger: paged, empty at the city (a county receives)",
    "transfers/received/": "the county ledger: paged, empty at the city (a county receives)",
}


def _api_schema(tmp_path) -> dict:
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    return json_text.loads(target.read_text(encoding="utf-8"))


def _answer_schema(schema: dict, operation: dict) -> dict:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    answer = content.get("application/json", {}).get("schema", {})
    if "$ref" in answer:
        answer = schema["components"]["schemas"][answer["$ref"].rsplit("/", 1)[1]]
    return answer


def test_no_api_get_answers_a_bare_array(tmp_path):
    schema = _api_schema(tmp_path)
    bare, paged = [], []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        answer = _answer_schema(schema, operations["get"])
        if answer.get("type") == "array" and path.removeprefix("/") not in KEYSET_PAGED:
            bare.append(path)
        elif {"count", "next", "previous", "results"} <= set(answer.get("properties", {})):
            paged.append(path)
    assert not bare, bare
    # positive control: the lists are there, documented as pages with `limit` and `offset`
    assert {"/api/findings/findings/", "/api/rectification/items/", "/api/rounds/", "/api/targets/"} <= set(paged)
    parameters = {p["name"] for p in schema["paths"]["/api/rounds/"]["get"]["parameters"]}
    assert {"limit", "offset"} <= parameters


def _grow_more(flow, system_admin):
    """Beyond the list-cost guard's rows: plans, notifications, hearing records and accounts, the kinds it does not
    make."""
    from tenants.administration.services import account_create
    from tenants.guidance.services import guidance_document_issue
    from tenants.planning.services import plan_create
    from tenants.reminders.services import notification_create
    from tenants.reports.services import hearing_record_create

    admin = flow.users["admin"]
    for number in range(3):
        account_create(
            actor=system_admin,
            organization=flow.org,
            username=f"zhang{number}",
            display_name=f"账号{number}",
            password="Qiu-shui-43-lan!",
        )
    for number in range(3):
        guidance_document_issue(
            title=f"工作指引{number}", doc_type="guidance", issued_on=datetime.date(2026, 3, 1 + number), actor=admin
        )
    for year in (2031, 2032, 2033):
        plan_create(kind="annual", actor=admin, title=f"{year}年度巡察计划", content="计划内容", year=year)
    for number in range(3):
        notification_create(kind="deadline", title=f"整改期限将至{number}", item_key=f"guard-{number}")
        hearing_record_create(
            round_id=flow.round.pk,
            heard_on=datetime.date(2025, 6, 2 + number),
            chaired_by="领导小组组长",
            attendees="领导小组成员",
            decisions=f"同意第{number + 1}次汇报",
            actor=flow.users["viewer"],
        )


def _readers(client, flow, make_member, routes):
    """The office admin for the office's lists, each administrator (三员分立) for theirs; and the system admin."""
    client.force_login(flow.users["admin"])
    readers, administrators = {route: client for route in routes}, {}
    for role in set(ADMINISTERED.values()):
        administrators[role] = make_member(flow.org, role)
        reader = Client()
        reader.force_login(administrators[role])
        readers.update({route: reader for route, duty in ADMINISTERED.items() if duty == role})
    return readers, administrators["system_admin"]


def test_every_list_answers_one_page_and_shows_the_pager(client, flow, make_member, settings):
    settings.XUNCHA_PAGE_SIZE = PAGE
    routes = _get_lists()
    pages = [route for route in routes if not route.startswith("api/") and "." not in route]
    assert set(pages) == set(PAGED_PAGES) | set(NOT_PAGED), set(pages) ^ (set(PAGED_PAGES) | set(NOT_PAGED))
    readers, system_admin = _readers(client, flow, make_member, routes)
    with flow.schema():
        _grow(flow, count=3, start=1)
        _grow_more(flow, system_admin)

    overflowing = []
    for route in routes:
        if not route.startswith("api/") or route in KEYSET_PAGED:
            continue
        response = readers[route].get(f"{WEB}/{route}{QUERY.get(route, '')}")
        assert response.status_code in (200, 405), (route, response.status_code)
        json = response.status_code == 200 and response["Content-Type"] == "application/json"
        body = response.json() if json else None
        if not isinstance(body, dict) or "results" not in body:
            continue  # one object (settings, summary, the caller's own profile) or a download, not a list
        assert set(body) == {"count", "next", "previous", "results"}, route
        assert len(body["results"]) == min(PAGE, body["count"]), route
        if body["count"] > PAGE:
            assert body["next"] and "offset=2" in body["next"], (route, body["next"])
            following = readers[route].get(body["next"]).json()
            assert following["previous"] and following["results"] and following["results"] != body["results"]
            overflowing.append(route)
    # positive control: the lists the services filled overflowed a page and were paged
    assert {
        "api/findings/findings/",
        "api/findings/clues/",
        "api/rectification/feedbacks/",
        "api/rectification/items/",
        "api/transfers/",
        "api/targets/",
        "api/rounds/",
        "api/experts/",
        "api/inround/interviews/",
        "api/plans/annual/",
        "api/reminders/notifications/",
        "api/accounts/",
        "api/memberships/",
    } <= set(overflowing), overflowing

    for route, pagers in PAGED_PAGES.items():
        response = readers[route].get(f"{WEB}/{route}")
        text = response.content.decode()
        assert response.status_code == 200, route
        assert text.count('data-testid="pager"') >= pagers, route
        assert "下一页" in text and "第 1 / " in text, route
