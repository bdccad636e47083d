"""Guard: every list an organisation serves (each API list endpoint, found in the URL patterns, and each HTML
page without a parameter) costs the office admin the same number of SQL statements with 5 rows of each kind
as with 50, a full page (XUNCHA_PAGE_SIZE). A statement per row (an N+1) makes the second count larger."""

from __future__ import annotations

import datetime
import re
import time
from collections import Counter

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver

from tests.tenants.walk import round_walk
from tests.tenants.workflow import CODE, WEB, make_clue, make_finding, staffed_round
from xuncha.middleware import SessionTimeoutMiddleware

# Not lists of the organisation's rows: the OpenAPI schema and its viewer, the forms for a new record, and the
# pages whose GET is a download of one fixed file.
NOT_LISTS = (
    "api/schema/",
    "api/docs/",
    "api/targets/import/",
    "targets/import/",
    "api/targets/import/template/",
    "targets/import/template.xlsx",
    "reports/inbox/",
    "api/reports/inbox/",
)  # the province's inbox: the city is refused (403)
# The lists of the administrators (三员分立): read by the administrator whose duty they are, since the office admin
# is refused them (and they are refused the office's lists).
ADMINISTERED = {
    "users/": "system_admin",
    "api/accounts/": "system_admin",
    "memberships/": "security_admin",
    "api/memberships/": "security_admin",
    "audit/": "audit_admin",
    "api/audit-events/": "audit_admin",
}
# The query a GET needs to answer at all.
QUERY = {
    "api/reports/summary/": "?period=2025",
    "reports/summary/": "?period=2025",
    "api/office/deadline/": "?start=2025-09-26&months=2",
}


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _get_lists() -> list[str]:
    """The paths without a parameter whose view answers GET: API routers' list actions, API views with a
    get handler, and the HTML pages (function views), minus the forms for a new record."""
    from xuncha import urls

    found = []
    for route, callback in _routes(urls.urlpatterns):
        if "<" in route or "(?P" in route or route.startswith("^") or route in NOT_LISTS:
            continue
        actions = getattr(callback, "actions", None)
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if actions is not None:
            if "get" not in actions:  # the list, and the collection's GET actions (the ledger workbook)
                continue
        elif view_class is not None:
            if not hasattr(view_class, "get"):
                continue
        elif route.endswith("/new/") or route.endswith("/read/"):
            continue
        found.append(route)
    return sorted(set(found))


def test_the_guard_finds_the_api_lists_and_the_pages():
    routes = _get_lists()
    for expected in (
        "api/findings/findings/",
        "api/rectification/items/",
        "api/transfers/",
        "api/targets/",
        "api/rounds/",
        "api/inround/interviews/",
        "rectification/",
        "findings/",
        "reports/oversight/",
        "",
    ):
        assert expected in routes, routes
    assert "findings/new/" not in routes and "api/schema/" not in routes


ITEM = {
    "problem": "三重一大决策不规范",
    "task": "修订议事规则",
    "responsible_unit": "办公室",
    "responsible_person": "李书记",
}


def _grow(flow, *, count: int, start: int):
    """`count` more of each kind, made by the services as the office and the teams would."""
    from tenants.agencies.services import unit_liaison_assign
    from tenants.experts.services import expert_create
    from tenants.inround.services import interview_record, petition_record, working_paper_create
    from tenants.rectification.models import ReceiptParty
    from tenants.rectification.services import (
        feedback_create,
        item_submit_evidence,
        item_verify,
        receipt_sign,
        rectification_items_add,
    )
    from tenants.rounds.models import MemberRole
    from tenants.targets.models import TargetLevel
    from tenants.targets.services import target_create
    from tenants.transfers.models import Party, TransferType
    from tenants.transfers.services import transfer_create, transfer_sign

    admin, access = flow.users["admin"], flow.access("admin")
    for n in range(start, start + count):
        target = target_create(name=f"市第{n}局党组", level=TargetLevel.CITY, managing_org_code=CODE)
        unit_liaison_assign(access=access, person=flow.users["liaison"], target=target)
        leader = expert_create(name=f"组长{n}")
        round, _team = staffed_round(
            name=f"市委专项巡察{n}",
            team_name=f"专项组{n}",
            target=target,
            office=admin,
            office_access=access,
            people={MemberRole.LEADER: leader},
        )
        round = round_walk(round, "feedback", **flow.walkers())
        feedback = feedback_create(
            actor=admin,
            access=access,
            round=round,
            target=target,
            leadership_content="班子问题",
            principal_content="主要负责人问题",
        )
        for party, name in (
            (ReceiptParty.TEAM_LEADER, "张组长"),
            (ReceiptParty.UNIT_PRINCIPAL, "李书记"),
            (ReceiptParty.OFFICE_HEAD, "赵主任"),
        ):
            feedback = receipt_sign(
                actor=admin,
                access=access,
                feedback=feedback,
                party=party,
                signer_name=name,
                signed_on=datetime.date(2025, 9, 26),
            )
        first, _second = rectification_items_add(
            actor=admin, access=access, feedback=feedback, items=[ITEM, {**ITEM, "task": f"整改第{n}项"}]
        )
        first = item_submit_evidence(
            actor=flow.users["liaison"], access=flow.access("liaison"), item=first, evidence="修订后的议事规则（附件）"
        )
        item_verify(actor=admin, access=access, item=first, accept=True, note="核验属实")

        finding = make_finding(flow, title=f"会议纪要不规范{n}")
        make_finding(flow, title=f"当场整改{n}", fixed=True)
        clue = make_clue(flow, summary=f"某副局长收受礼金线索{n}")
        transfer = transfer_create(actor=admin, access=access, transfer_type=TransferType.OTHER, finding=finding)
        transfer_create(actor=admin, access=access, transfer_type=TransferType.DISCIPLINE_CLUE, clue=clue)
        transfer_sign(
            actor=flow.users["member"],
            access=flow.access("member"),
            transfer=transfer,
            party=Party.TEAM,
            today=datetime.date(2025, 6, 2),
        )
        member = flow.users["member"]
        interview_record(
            actor=member,
            access=flow.access("member"),
            round=flow.round,
            target=flow.target,
            held_on=datetime.date(2025, 5, 6),
            summary=f"反映工程招标问题{n}",
            informant={"name": f"举报人{n}", "position": "科员", "contact": "13800000000"},
        )
        petition_record(
            actor=member,
            access=flow.access("member"),
            round=flow.round,
            target=flow.target,
            channel="letter",
            received_on=datetime.date(2025, 5, 2),
            summary=f"匿名来信{n}",
        )
        working_paper_create(
            actor=member,
            access=flow.access("member"),
            round=flow.round,
            target=flow.target,
            title=f"财务抽查底稿{n}",
            content="抽查凭证50张",
        )


def _statements(client, route: str):
    """The number of statements of a GET, or None for a view that answers GET with 405 (a POST-only action)."""
    # The sign-in's last-seen mark is written once a minute (SessionTimeoutMiddleware): growing 50 rows of each
    # kind takes longer, and that write is no cost of the list measured after it.
    session, now = client.session, int(time.time())
    session.setdefault(SessionTimeoutMiddleware.STARTED, now)
    session[SessionTimeoutMiddleware.SEEN] = now
    session.save()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{WEB}/{route}{QUERY.get(route, '')}")
    if response.status_code == 405:
        return None
    assert response.status_code == 200, (route, response.status_code, response.content[:300])
    return [query["sql"] for query in queries.captured_queries]


def _shape(sql: str) -> str:
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:300]


def _pager_counts(few: list[str], more: list[str]) -> int:
    """The pagers' COUNT(*)s that came with the rows: a first page holding every row is read without one
    (tenants.kernel.views.paginated), a list that overflowed it is counted once. Each such COUNT is one statement of
    a shape the few rows did not have; a COUNT per row would repeat its shape and still be caught."""
    whole = lambda sql: re.sub(r"\b\d+\b|'[^']*'", "?", sql)  # noqa: E731  (the shape, not cut at 300 characters)
    before, after = Counter(map(whole, few)), Counter(map(whole, more))
    return sum(1 for shape, n in after.items() if shape.startswith("SELECT COUNT(*)") and n == 1 and not before[shape])


def test_every_list_costs_the_same_statements_with_more_rows(client, flow, make_member):
    routes = _get_lists()
    assert set(ADMINISTERED) <= set(routes)  # the administrators' lists are measured too
    client.force_login(flow.users["admin"])
    readers = {route: client for route in routes}
    for role in set(ADMINISTERED.values()):
        administrator = Client()
        administrator.force_login(make_member(flow.org, role))
        readers.update({route: administrator for route, duty in ADMINISTERED.items() if duty == role})
    with flow.schema():
        _grow(flow, count=5, start=1)
    for route in routes:  # warm up: first reads create default rows (thresholds, settings) once
        readers[route].get(f"{WEB}/{route}{QUERY.get(route, '')}")
    few = {route: _statements(readers[route], route) for route in routes}
    with flow.schema():
        _grow(flow, count=45, start=6)
    more = {route: _statements(readers[route], route) for route in routes}
    grown = {
        route: (len(few[route]), len(more[route]), Counter(map(_shape, more[route])).most_common(2))
        for route in routes
        if few[route] is not None
        and len(more[route]) != len(few[route])
        and len(more[route]) - _pager_counts(few[route], more[route]) != len(few[route])
    }
    assert not grown, grown
    assert len([route for route in routes if few[route] is not None]) >= 50, few.keys()  # the guard measured the lists


def test_a_measure_leaves_out_the_once_a_minute_last_seen_write(client, flow):
    """The home page counted 11 statements, then 14, by how long growing the rows took (more or less than a
    minute): the sign-in's last-seen mark is written at most once a minute (SessionTimeoutMiddleware), and that
    write fell into whichever measure came first after the minute. A measure now starts from a just-seen session,
    so a session last seen two minutes ago costs the same."""
    client.force_login(flow.users["admin"])
    client.get(f"{WEB}/")  # the session's first marks
    fresh = _statements(client, "")

    def seen_long_ago():
        session = client.session
        session[SessionTimeoutMiddleware.SEEN] = int(time.time()) - 120
        session.save()

    seen_long_ago()
    with CaptureQueriesContext(connection) as raw:  # positive control: unguarded, the write is counted
        assert client.get(f"{WEB}/").status_code == 200
    assert len(raw.captured_queries) > len(fresh)
    assert any('UPDATE "django_session"' in query["sql"] for query in raw.captured_queries)
    seen_long_ago()
    assert len(_statements(client, "")) == len(fresh)
