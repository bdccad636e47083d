"""The home-panel providers run once a request: the home page shows them as cards and every page's sidebar as its
navigation, and both used to ask each provider (the notifications panel counted the unread twice)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

NOTIFICATIONS = 'FROM "reminders_notification"'


def test_the_home_page_asks_each_panel_provider_once(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_staff"))
    home = orgs["county_a"].route
    client.get(home)  # warm: the session's first marks are written once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(home)
    text = response.content.decode()
    # positive control: the notifications panel is a card and a sidebar entry on this page, and the header's bell
    assert response.status_code == 200 and text.count(f'href="{home}reminders/"') == 3 and "通知" in text
    # One unread COUNT (the card, the sidebar and the bell share it) and the 工作台's list of the unread notices.
    notification_queries = [query["sql"] for query in queries.captured_queries if NOTIFICATIONS in query["sql"]]
    assert [sql.startswith("SELECT COUNT(*)") for sql in notification_queries] == [True, False], notification_queries
