"""The notifications' bell is drawn, not typed (issue 10): the office machines have no emoji font, so 🔔 showed
as a box on the home card and the notifications page. Neither page carries a character from the emoji planes;
the page draws an inline SVG bell beside its Chinese title."""

from __future__ import annotations

import re

EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u26ff]")  # pictographs, symbols, and the misc. symbols block


def test_the_home_card_and_the_notifications_page_draw_no_emoji(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    home = client.get("/org/410621/").content.decode()
    assert 'href="/org/410621/reminders/"' in home and "通知" in home  # the card is there
    page = client.get("/org/410621/reminders/").content.decode()
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "通知" in heading and '<svg class="icon" data-testid="bell"' in heading
    assert EMOJI.findall(home) == [] and EMOJI.findall(page) == []
