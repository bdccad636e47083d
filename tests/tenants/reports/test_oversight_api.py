"""The city's 县区督导 through the API (issue 15 point 2): the page's figures per county and its drill-down, read-only,
for the city's office only, paged, at a fixed number of statements whatever the counties and rounds."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tenants.reports.helpers import deliver_all
from tests.tenants.reports.test_live_oversight_pages import LIVE, ROUNDS, _county_rounds, _live, figures_moved

API = "api/reports/oversight/"


def _county(answer: dict, code: str) -> dict:
    return next(row for row in answer["results"] if row["code"] == code)


def test_the_api_gives_the_figures_the_page_shows(
    client, county_flow, orgs, city_admin, django_capture_on_commit_callbacks
):
    city, today = orgs["city"], timezone.localdate()
    figures_moved(county_flow, orgs, django_capture_on_commit_callbacks)
    client.force_login(city_admin)
    answer = client.get(f"{city.route}{API}").json()
    assert answer["count"] == 3 and {"next", "previous"} <= set(answer)
    row = _county(answer, "410621")
    assert row["name"] == "浚县"
    assert (row["coverage_percent"], row["targets_covered"], row["targets_total"]) == (50.0, 1, 2)
    assert row["lights"] == {"red": 1, "yellow": 1, "green": 1}
    assert row["overdue"] == 1
    assert {(s["stage"], s["label"], s["count"]) for s in row["rounds_by_stage"]} == {
        ("on_site", "进驻巡察", 1),
        ("feedback", "反馈", 1),
    }
    assert {"month": today.strftime("%Y-%m"), "findings": 2, "closed": 0} in row["trend"]
    assert row["updated_at"] is not None
    quiet = _county(answer, "410622")  # sent nothing yet: no figures, not zeros
    assert quiet["lights"] is None and quiet["coverage_percent"] is None and quiet["updated_at"] is None
    detail = client.get(f"{city.route}{API}410621/").json()
    assert detail["code"] == "410621" and detail["lights"] == row["lights"]
    assert "overdue_count" in detail and isinstance(detail["overdue_earliest"], list)
    rounds = client.get(f"{city.route}{API}410621/rounds/").json()
    assert rounds["count"] == 2
    stages = sorted(r["stage_label"] for r in rounds["results"])
    assert stages == ["反馈", "进驻巡察"]
    first = next(r for r in rounds["results"] if r["name"] == "市委第一轮巡察")
    assert (first["rectification_items"], first["rectification_closed"], first["past_due"]) == (3, 0, 1)


def test_only_the_city_s_office_reads_it(client, orgs, city_admin, make_member):
    city, county = orgs["city"], orgs["county_a"]
    client.force_login(city_admin)
    assert client.get(f"{city.route}{API}").status_code == 200  # positive control
    assert client.get(f"{city.route}{API}410621/").status_code == 200
    assert client.get(f"{city.route}{API}410621/rounds/").status_code == 200
    for code in ("410000", "419999", "x"):  # not one of its counties
        assert client.get(f"{city.route}{API}{code}/").status_code == 404, code
        assert client.get(f"{city.route}{API}{code}/rounds/").status_code == 404, code
    assert client.post(f"{city.route}{API}", {}, content_type="application/json").status_code == 405  # read-only
    for role in ("unit_liaison", "team_member", "agency_receiver"):
        client.force_login(make_member(city, role))
        refused = client.get(f"{city.route}{API}")
        assert refused.status_code == 403, role
        assert any("\u4e00" <= char <= "\u9fff" for char in refused.content.decode()), refused.content  # Chinese
        assert client.get(f"{city.route}{API}410621/").status_code == 403, role
    client.force_login(make_member(county, "office_admin"))
    assert client.get(f"{county.route}{API}").status_code == 403  # a county has no counties to oversee
    assert client.get(f"{county.route}{API}410621/rounds/").status_code == 403
    assert client.get(f"{city.route}{API}").status_code == 403  # nor is it the city's member


def test_the_answers_are_paged(client, orgs, city_admin, make_member):
    city, a = orgs["city"], orgs["county_a"]
    _county_rounds(a, make_member(a, "office_admin"), [f"浚县第{n}轮巡察" for n in range(1, 4)])
    deliver_all(a, city, record_type=ROUNDS)
    client.force_login(city_admin)
    counties = client.get(f"{city.route}{API}?limit=2").json()
    assert counties["count"] == 3 and len(counties["results"]) == 2 and counties["next"]
    rest = client.get(f"{city.route}{API}?limit=2&offset=2").json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    assert {row["code"] for row in counties["results"] + rest["results"]} == {"410611", "410621", "410622"}
    rounds = client.get(f"{city.route}{API}410621/rounds/?limit=2").json()
    assert rounds["count"] == 3 and len(rounds["results"]) == 2 and rounds["next"]


def _statements(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_api_costs_the_same_whatever_the_counties_and_rounds(client, orgs, city_admin, make_member):
    city, a = orgs["city"], orgs["county_a"]
    _county_rounds(a, make_member(a, "office_admin"), ["浚县第一轮巡察", "浚县第二轮巡察"])
    _live(a)
    deliver_all(a, city, record_type=ROUNDS)
    deliver_all(a, city, record_type=LIVE)
    client.force_login(city_admin)
    urls = [f"{city.route}{API}", f"{city.route}{API}410621/", f"{city.route}{API}410621/rounds/"]
    client.get(urls[0])  # the session's and the catalog's first reads
    few = [_statements(client, url) for url in urls]
    for county in (orgs["county_b"], orgs["county_c"]):
        _county_rounds(county, make_member(county, "office_admin"), [f"{county.name}第一轮巡察"])
        _live(county)
        deliver_all(county, city, record_type=LIVE)
    _county_rounds(a, make_member(a, "office_admin"), [f"浚县第{n}轮巡察" for n in range(3, 11)])
    deliver_all(a, city, record_type=ROUNDS)
    assert client.get(urls[2]).json()["count"] == 10  # the positive control: all ten rounds there
    assert all(row["updated_at"] for row in client.get(urls[0]).json()["results"])  # every county's figures
    assert [_statements(client, url) for url in urls] == few
