"""In production (DEBUG off, as the tests run) the API answers JSON even to a browser: DRF's browsable pages are
off (issue 10). They showed English field names and forms, and their inline styles broke under the CSP."""

from __future__ import annotations

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_browser_opening_an_api_address_gets_json(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    response = client.get("/org/410621/api/me/", **BROWSER)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response.json()["organization"]["code"] == "410621"
    assert client.get("/org/410621/api/me/", {"format": "api"}).status_code == 404  # no browsable renderer
