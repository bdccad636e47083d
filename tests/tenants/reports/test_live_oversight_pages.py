"""The city's 县区督导 from the counties' live figures: per county coverage of the term, items by light, overdue,
rounds by stage in Chinese, the trend by month and when the figures changed; a county opens to its rounds and
overdue items as the city holds them; charts by the vendored Chart.js with their figures in tables."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.tenants.reports.helpers import deliver_all
from tests.tenants.workflow import items_due, make_finding, signed_feedback

LIVE, ROUNDS = "reports.live_statistics", "rounds.round"


def _charts(html: str) -> dict[str, dict]:
    """{data-testid: the chart's spec} of every canvas on the page."""
    found = re.findall(r'<canvas data-testid="([^"]+)"[^>]*data-chart="([^"]*)"', html)
    return {name: json.loads(unescape(spec)) for name, spec in found}


def _cell(html: str, county: str, testid: str) -> str:
    row = re.search(rf'<tr data-county="{county}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(rf'<td data-testid="{testid}"[^>]*>(.*?)</td>', row, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


def figures_moved(flow, orgs, capture) -> None:
    """浚县's services move its figures (two findings; three items: one 2 days overdue, one due in 3 days, one next
    year) and its live figures and rounds reach the city."""
    county, city, today = orgs["county_a"], orgs["city"], timezone.localdate()
    admin, access = flow.users["admin"], flow.access("admin")
    with schema_context(county.schema_name), capture(execute=True):
        make_finding(flow)
        make_finding(flow, title="台账不全")
        dues = [
            today - datetime.timedelta(days=2),
            today + datetime.timedelta(days=3),
            today.replace(year=today.year + 1),
        ]
        items_due(actor=admin, access=access, feedback=signed_feedback(flow), dues=dues)
    deliver_all(county, city, record_type=LIVE)
    deliver_all(county, city, record_type=ROUNDS)


def test_the_city_sees_the_figures_the_countys_services_moved(
    client, county_flow, orgs, city_admin, make_member, django_capture_on_commit_callbacks
):
    city, today = orgs["city"], timezone.localdate()
    figures_moved(county_flow, orgs, django_capture_on_commit_callbacks)
    client.force_login(city_admin)
    html = client.get(f"{city.route}reports/oversight/").content.decode()
    assert _cell(html, "410621", "coverage") == "50.0% 1/2"
    assert _cell(html, "410621", "lights") == "红 1 黄 1 绿 1"
    assert _cell(html, "410621", "overdue") == "1"
    assert _cell(html, "410621", "stages") == "进驻巡察 1 反馈 1"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}", _cell(html, "410621", "updated"))
    assert _cell(html, "410622", "lights") == "—" and _cell(html, "410622", "updated") == "—"  # sent nothing yet
    shown = re.sub(r"<[^>]+>", " ", html)  # the text, not the markup's attributes (data-stage="feedback")
    assert "feedback" not in shown and "on_site" not in shown and "data-stage=\"feedback\"" in html
    month, shown_month = today.strftime("%Y-%m"), f"{today.year}年{today.month}月"  # the month as zh-hans writes it
    assert f'<tr data-month="{month}"><td class="nowrap">{shown_month}</td><td>2</td><td>0</td></tr>' in html
    figure = html.split('<figure class="card chart-card" data-county="410621">', 1)[1].split("</figure>", 1)[0]
    [trend] = [
        json.loads(unescape(spec)) for spec in re.findall(r'data-testid="chart-trend"[^>]*data-chart="([^"]*)"', figure)
    ]
    assert len(trend["labels"]) == 12 and trend["labels"][-1] == shown_month
    assert all(re.fullmatch(r"\d{4}年\d{1,2}月", label) for label in trend["labels"]), trend["labels"]
    assert trend["datasets"][0]["data"][-1] == 2  # findings this month
    charts = _charts(html)  # the counties by code: 鹤山区 410611, 浚县 410621, 淇县 410622
    assert charts["chart-coverage"]["labels"] == ["鹤山区", "浚县", "淇县"]
    assert charts["chart-coverage"]["datasets"][0]["data"] == [None, 50.0, None]
    assert [d["data"] for d in charts["chart-lights"]["datasets"]] == [[0, 1, 0], [0, 1, 0], [0, 1, 0]]
    assert charts["chart-overdue"]["datasets"][0]["data"] == [None, 1, None]
    assert 'src="/static/xuncha/vendor/chartjs/chart.umd.js"' in html and "cdn" not in html.lower()
    # The drill-down: the county's rounds as the city holds them, by their Chinese stage names.
    drill = client.get(f"{city.route}reports/oversight/410621/").content.decode()
    assert "市委第一轮巡察" in drill and "市委第二轮巡察" in drill
    rounds = re.findall(r'<td class="nowrap" data-testid="round-stage">([^<]*)</td>', drill)
    assert sorted(rounds) == ["反馈", "进驻巡察"]
    first = re.search(r"<tr data-round=[^>]*>\s*<td>市委第一轮巡察</td>(.*?)</tr>", drill, re.S).group(1)
    assert "共3项，已销号0项" in first and '<td class="status-red">1</td>' in first  # one open item past due
    assert "50.0% (1/2)" in drill and f'<tr data-month="{month}">' in drill


def test_the_drill_down_is_the_city_offices_only(client, orgs, city_admin, make_member):
    client.force_login(city_admin)
    assert client.get(f"{orgs['city'].route}reports/oversight/410621/").status_code == 200
    assert client.get(f"{orgs['city'].route}reports/oversight/410000/").status_code == 404  # not one of its counties
    assert client.get(f"{orgs['city'].route}reports/oversight/419999/").status_code == 404
    for role in ("unit_liaison", "team_member", "agency_receiver"):
        client.force_login(make_member(orgs["city"], role))
        assert client.get(f"{orgs['city'].route}reports/oversight/410621/").status_code == 403, role
        assert client.get(f"{orgs['city'].route}reports/oversight/").status_code == 403, role
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    assert client.get(f"{orgs['city'].route}reports/oversight/410621/").status_code == 403  # not the city's member
    assert client.get(f"{orgs['county_a'].route}reports/oversight/410621/").status_code == 403  # a county: no page


def _county_rounds(county, user, names):
    from tenants.rounds.services import round_create

    with schema_context(county.schema_name):
        for name in names:
            round_create(name=name, kind="regular", actor=user)


def _live(county):
    from tenants.reports.services import live_statistics_publish

    with schema_context(county.schema_name):
        live_statistics_publish(organization=county)


def _statements(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_cost_the_same_whatever_the_counties_and_rounds(client, orgs, city_admin, make_member):
    city = orgs["city"]
    a = orgs["county_a"]
    _county_rounds(a, make_member(a, "office_admin"), ["浚县第一轮巡察", "浚县第二轮巡察"])
    _live(a)
    deliver_all(a, city, record_type=ROUNDS)
    deliver_all(a, city, record_type=LIVE)
    client.force_login(city_admin)
    page, drill = f"{city.route}reports/oversight/", f"{city.route}reports/oversight/410621/"
    client.get(page)  # the session's and the catalog's first reads
    cache.clear()  # the county section made anew each time (kept, it costs less: the test below)
    few = (_statements(client, page), _statements(client, drill))
    for county in (orgs["county_b"], orgs["county_c"]):
        _county_rounds(county, make_member(county, "office_admin"), [f"{county.name}第一轮巡察"])
        _live(county)
        deliver_all(county, city, record_type=LIVE)
    _county_rounds(a, make_member(a, "office_admin"), [f"浚县第{n}轮巡察" for n in range(3, 11)])
    deliver_all(a, city, record_type=ROUNDS)
    html = client.get(drill).content.decode()
    assert html.count('data-testid="round-stage"') == 10  # the positive control: all ten rounds listed
    cache.clear()
    assert (_statements(client, page), _statements(client, drill)) == few


def _section(html: str) -> str:
    return html[html.index('<div class="cards charts">') : html.index('data-testid="major-findings"')]


def _replica_reads(queries: CaptureQueriesContext) -> int:
    return sum('"sync_replica"' in query["sql"] for query in queries.captured_queries)


def test_the_county_section_is_kept_until_a_county_sends_something_new(
    client, county_flow, orgs, city_admin, make_member, django_capture_on_commit_callbacks
):
    """The county section (charts, table, trends) is the same for every reader of the city: kept per city, year and
    language until any county's next arrival. Kept, a page reads the counties' replicas twice (the newest arrival per
    county, the major findings) instead of six times; a county's new round is on the next page all the same."""
    city, county = orgs["city"], orgs["county_a"]
    figures_moved(county_flow, orgs, django_capture_on_commit_callbacks)
    client.force_login(city_admin)
    page = f"{city.route}reports/oversight/"
    cache.clear()
    with CaptureQueriesContext(connection) as made:
        first = client.get(page).content.decode()
    with CaptureQueriesContext(connection) as kept:
        second = client.get(page).content.decode()
    assert (_replica_reads(made), _replica_reads(kept)) == (6, 2)
    assert _section(second) == _section(first)  # the section as it was made (the page's CSRF tokens differ)
    assert _cell(second, "410621", "stages") == "进驻巡察 1 反馈 1"
    other = make_member(city, "office_staff")  # another reader of the city: the same section
    client.force_login(other)
    with CaptureQueriesContext(connection) as theirs:
        assert _cell(client.get(page).content.decode(), "410621", "lights") == "红 1 黄 1 绿 1"
    assert _replica_reads(theirs) == 2
    _county_rounds(county, make_member(county, "office_admin"), ["浚县新一轮巡察"])  # the county plans a round
    _live(county)
    deliver_all(county, city, record_type=LIVE)
    with CaptureQueriesContext(connection) as arrived:
        html = client.get(page).content.decode()
    assert _cell(html, "410621", "stages") == "计划 1 进驻巡察 1 反馈 1"
    assert _replica_reads(arrived) == 6  # made anew for the new arrival


def test_a_trend_month_reads_in_the_active_language():
    from django.utils import translation

    from tenants.reports.live import month_label

    with translation.override("zh-hans"):
        assert [month_label("2026-01"), month_label("2026-12")] == ["2026年1月", "2026年12月"]
    with translation.override("en"):
        assert month_label("2026-01") == "January 2026"
