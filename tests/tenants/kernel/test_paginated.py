"""tenants.kernel.views.paginated: the pages' one pager. A first page that holds every row costs no COUNT(*)."""

from __future__ import annotations

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from shared.accounts.models import User
from tenants.kernel.views import paginated


def _page(query: str, rows):
    with CaptureQueriesContext(connection) as captured:
        page = paginated(RequestFactory().get(f"/x/{query}"), rows, per_page=2)
        names = [user.username for user in page]
    return page, names, [statement["sql"] for statement in captured]


def test_a_first_page_holding_every_row_is_read_in_one_statement_without_a_count(orgs, make_member):
    for name in ("p-1", "p-2"):
        make_member(orgs["city"], "office_staff", username=name)
    page, names, statements = _page("", User.objects.filter(username__startswith="p-").order_by("username"))
    assert names == ["p-1", "p-2"] and page.paginator.count == 2 and page.paginator.num_pages == 1
    assert page.next_link == "" and page.previous_link == ""
    assert len(statements) == 1 and "COUNT(" not in statements[0]


def test_a_list_overflowing_the_first_page_is_counted_and_paged_as_before(orgs, make_member):
    for name in ("p-1", "p-2", "p-3"):
        make_member(orgs["city"], "office_staff", username=name)
    rows = User.objects.filter(username__startswith="p-").order_by("username")
    page, names, statements = _page("?page=1", rows)
    assert names == ["p-1", "p-2"] and page.paginator.count == 3 and page.next_link == "?page=2"
    assert len(statements) == 2 and "COUNT(" in statements[1]
    page, names, _ = _page("?page=2", rows)
    assert names == ["p-3"] and page.previous_link == "?page=1" and page.next_link == ""
    page, names, _ = _page("?page=9", rows)  # too large: the last page, as Django's get_page gives it
    assert names == ["p-3"]
