"""Form round-trip guard: on the demo data, every edit page of the site, saved unchanged, changes nothing.

The edit pages are found, not listed: the organisation URL patterns are walked from the resolver, the pages
are reached by following the links the site draws (from the home page, as the office's administrator), and a
page is an edit page when its pattern marks one (a route ending in edit/, a name ending in -edit, a settings
page) or when it is the page of one existing object (a numeric id in the route, not a new/ page) with a form
posting back to itself. For each, the test GETs the page, POSTs back exactly what the page rendered (inputs,
selected options, textareas, checked boxes, with the values a browser keeps: a date input drops a value that
is not ISO), and asserts a redirect (saved) and that no row of the organisation's schema changed (timestamps
the database keeps by itself aside). Forms on other pages that show an object's recorded values and post to
that object (a county's progress report on its city's 督办 item) get the same round trip; there the values
they showed must not change. Every date input on every page reached must hold an ISO date or nothing.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from urllib.parse import urldefrag, urlparse

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django_tenants.utils import schema_context

from tests.html_forms import rendered_forms
from xuncha import demo

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SUPERVISED_PROGRESS_FORM = re.compile(
    r"/org/410621/rectification/supervised/ -> /org/410621/rectification/supervised/\d+/progress/"
)


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def org_page_patterns() -> dict[str, URLPattern]:
    """Every page route of an organisation (the API has its own guard)."""
    return {route: entry for route, entry in _patterns(get_resolver("xuncha.urls")) if not route.startswith("api/")}


def marks_edit(route: str, name: str | None) -> bool:
    return route.endswith("edit/") or (name or "").endswith("-edit") or route.endswith("settings/")


def _route_of(path: str, org: str) -> tuple[str, object] | None:
    try:
        match = resolve(path[len(org) - 1 :], urlconf="xuncha.urls")
    except Exception:  # noqa: BLE001 - a link outside the organisation's pages
        return None
    return match.route, match


SKIP_SUFFIXES = (".xlsx", ".docx", ".pdf", ".csv")


def _shape(path: str) -> str:
    """plans/phase/3/edit/ and plans/phase/4/edit/ are alike; plans/annual/2/edit/ is another kind of page."""
    return re.sub(r"\d+", "#", urlparse(path).path)


def crawl(client, org: str, *, limit_per_route: int = 3) -> dict[str, list[tuple[str, str]]]:
    """route -> [(path, html)] of the organisation's pages reached by following links from its home page."""
    seen, found = set(), {}
    queue = deque([org])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        route = response.resolver_match.route.split("/", 2)[2] if response.resolver_match else ""
        pages = found.setdefault(route, [])
        if sum(1 for seen_path, _html in pages if _shape(seen_path) == _shape(path)) >= limit_per_route:
            continue
        html = response.content.decode()
        pages.append((path, html))
        for href in re.findall(r'<a [^>]*href="([^"]+)"', html):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            link = urlparse(href)
            if link.netloc or not link.path.startswith(org) or link.path.endswith(SKIP_SUFFIXES):
                continue
            if "export" in link.path:
                continue
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return found


def edit_routes(patterns: dict[str, URLPattern]) -> set[str]:
    """Routes of edit pages: marked as such, or the object route of a view that also serves a route with fewer
    ids (its create page: targets/new/ and targets/<int:pk>/, office/categories/ and .../<int:pk>/)."""
    ids = {route: route.count("<int:") for route in patterns}
    edit = set()
    for route, entry in patterns.items():
        if marks_edit(route, entry.name) or (
            ids[route]
            and not route.endswith("new/")
            and any(other.callback is entry.callback and ids[o] < ids[route] for o, other in patterns.items())
        ):
            edit.add(route)
    return edit


def _skipped_model(model) -> bool:
    """Append-only logs a save may add to (the audit trail, the sync bus's outbox) are not the object."""
    return model._meta.app_label in ("audit", "sync", "contenttypes")


def snapshot(schema_name: str) -> dict:
    """Every row of the organisation's schema (and the public access grants, accounts and memberships), minus
    auto-updated timestamps."""
    from django.conf import settings

    tenant_labels = {apps.get_app_config(name.rsplit(".", 1)[-1]).label for name in settings.TENANT_APPS}
    rows = {}

    def take(models):
        for model in models:
            if _skipped_model(model):
                continue
            names = [f.attname for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)]
            rows[model._meta.label] = {
                r["pk"] if "pk" in r else r[model._meta.pk.attname]: r
                for r in model._base_manager.order_by("pk").values(*names)
            }

    with schema_context(schema_name):
        take(m for label in sorted(tenant_labels) for m in apps.get_app_config(label).get_models())
    take(apps.get_app_config("grants").get_models())
    take(apps.get_app_config("accounts").get_models())
    return rows


def differences(before: dict, after: dict) -> list[tuple[str, str | None]]:
    """(what changed, the column's name or None for a row created or deleted)."""
    found = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, {}), after.get(label, {})
        for pk in sorted(set(old) | set(new), key=str):
            if pk not in new:
                found.append((f"{label} #{pk} deleted", None))
            elif pk not in old:
                found.append((f"{label} #{pk} created", None))
            else:
                found.extend(
                    (f"{label} #{pk}.{name}: {old[pk][name]!r} -> {new[pk][name]!r}", name)
                    for name in old[pk]
                    if old[pk][name] != new[pk][name]
                )
    return found


def _shown(form) -> dict:
    return {name: values for name, values in form.as_post().items() if name != "csrfmiddlewaretoken"}


def _post_unchanged(client, page: str, form, schema_name: str, *, own_page: bool) -> list[str]:
    """Post a form back exactly as rendered. On an edit page nothing may change; a form on another page that
    shows an object's recorded values and posts to that object's own address (reporting progress on a
    supervised item) may record that it was sent, but none of the values it showed may change."""
    action = form.action or page
    posted, shown = form.as_post(), _shown(form)
    before = snapshot(schema_name)
    response = client.post(action, posted)
    after = snapshot(schema_name)
    where = page if own_page else f"{page} -> {action}"
    problems = []
    if response.status_code != 302:
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
        problems.append(
            f"{where}: saving unchanged answered {response.status_code}, errors: "
            f"{[re.sub(r'<[^>]+>', ' ', e).strip() for e in errors]}"
        )
    else:
        flashed = re.findall(r'<li class="error">(.*?)</li>', client.get(response["Location"]).content.decode())
        if flashed:
            problems.append(f"{where}: saving unchanged was refused: {flashed}")
    problems.extend(
        f"{where}: {change}"
        for change, column in differences(before, after)
        if own_page or column in shown or (column or "").removesuffix("_id") in shown
    )
    again = [
        _shown(f)
        for f in rendered_forms(client.get(page).content.decode())
        if f.method == "post" and (f.action or page) == action
    ]
    if shown not in again:
        problems.append(f"{where}: the page shows other values after saving unchanged")
    return problems


def _edit_forms(path: str, html: str) -> list:
    return [form for form in rendered_forms(html) if form.method == "post" and form.action in ("", path)]


def _inline_edit_forms(org: str, path: str, html: str) -> list:
    """Forms showing an object's recorded values that post to an address of that object (…/<id>/…)."""
    forms = []
    for form in rendered_forms(html):
        if form.method != "post" or form.action in ("", path) or not form.action.startswith(org):
            continue
        if re.search(r"/\d+/", form.action[len(org) - 1 :]) and form.prefilled():
            forms.append(form)
    return forms


def _non_iso_date_inputs(path: str, html: str) -> list[str]:
    """Every <input type="date"> on every page, hand-written or not, holds an ISO date or nothing."""
    found = []
    for tag in re.findall(r'<input[^>]*type="date"[^>]*>', html):
        value = re.search(r'value="([^"]*)"', tag)
        if value and value.group(1) and not ISO_DATE.match(value.group(1)):
            found.append(f"{path}: {tag}")
    return found


def _carry_the_bus(orgs) -> None:
    """What `xuncha demo`'s relay and consumers do, minus the transport: every organisation's outbox, twice
    over (a delivery may queue answers)."""
    from tests.tenants.crossorg.conftest import deliver_all

    for _pass in range(2):
        for code, _name in EDITORS_AND_COUNTIES:
            deliver_all(orgs[code], orgs)


@pytest.fixture
def demo_data(orgs, settings):
    """The demo organisations, people and rounds, with the bus carried as `xuncha demo` does, plus what the
    demo does not hold in an editable state: a draft plan of each kind (the demo's plans are approved, and an
    approved plan is no longer edited), and the county's first progress report on the item its city supervises
    (so the report form shows recorded values)."""
    from shared.accounts.models import User
    from shared.accounts.selectors import organization_access
    from tenants.ledger.services import ledger_progress_report
    from tenants.planning.models import AnnualPlan
    from tenants.planning.services import plan_create
    from tenants.rectification.models import SupervisedItem

    settings.PASSWORD_HASHERS = FAST_HASHERS
    demo.demo_seed(password="demo-password-for-test")
    _carry_the_bus(orgs)
    for code, username in EDITORS:
        author = User.objects.get(username=username)
        with schema_context(orgs[code].schema_name):
            year = max(AnnualPlan.objects.values_list("year", flat=True), default=2026) + 1
            term = plan_create(
                kind="multi_year",
                actor=author,
                title="2027—2031年巡察工作规划（草稿）",
                start_year=year,
                end_year=year + 4,
                content="五年全覆盖。",
            )
            annual = plan_create(
                kind="annual",
                actor=author,
                title=f"{year}年度巡察工作计划（草稿）",
                year=year,
                multi_year_plan=term,
                content="两轮常规巡察。",
            )
            plan_create(
                kind="phase",
                actor=author,
                title=f"{year}年第一轮巡察安排（草稿）",
                annual_plan=annual,
                start_date=date(year, 3, 2),
                end_date=date(year, 4, 30),
                content="进驻一个月。",
            )
    county_admin = User.objects.get(username="xunxian.admin")
    access = organization_access(person=county_admin, organization_id=orgs["410621"].pk)
    with schema_context(orgs["410621"].schema_name):
        item = SupervisedItem.objects.get()  # the demo's 督办 item, carried from the city
        ledger_progress_report(
            actor=county_admin,
            access=access,
            record=item,
            status="completed",
            progress_note="专项检查已完成，长效机制已建立。",
            responsible_person="王副主任",
            completed_on=date(2026, 8, 10),
        )
    return orgs


# (organisation, its office administrator in the demo): a county, the city, the province
EDITORS = [("410621", "xunxian.admin"), ("410600", "hebi.admin"), ("410000", "henan.admin")]
# the county's system and security administrators keep its accounts and memberships (三员分立)
ADMINISTRATORS = [("410621", "xunxian.sysadmin"), ("410621", "xunxian.secadmin")]
EDITORS_AND_COUNTIES = EDITORS + [("410622", "qixian.admin"), ("410611", "heshan.admin")]


def test_every_edit_page_saved_unchanged_changes_nothing(demo_data, client):
    from shared.accounts.models import User

    patterns = org_page_patterns()
    edits = edit_routes(patterns)
    assert {
        "rounds/<int:pk>/edit/",
        "targets/<int:pk>/",
        "office/settings/",
        "office/categories/<int:pk>/",
        "plans/<str:kind>/<int:pk>/edit/",
        "experts/<int:pk>/edit/",
        "users/<int:pk>/edit/",
        "memberships/<int:pk>/edit/",
    } <= edits
    reached, inline, problems = {}, [], []
    for code, username in EDITORS + ADMINISTRATORS:
        org = f"/org/{code}/"
        client.force_login(User.objects.get(username=username))
        pages = crawl(client, org)
        for found in pages.values():
            for path, html in found:
                problems.extend(_non_iso_date_inputs(path, html))
                for form in _inline_edit_forms(org, path, html):
                    inline.append(f"{path} -> {form.action}")
                    problems.extend(_post_unchanged(client, path, form, demo_data[code].schema_name, own_page=False))
        for route in sorted(edits):
            tried = []
            for path, html in pages.get(route, []):
                if tried.count(_shape(path)) >= 2:
                    continue
                tried.append(_shape(path))
                reached.setdefault(route, []).append(path)
                forms = _edit_forms(path, html)
                if not forms:
                    problems.append(f"{path}: no form posting back to the page")
                for form in forms:
                    problems.extend(_post_unchanged(client, path, form, demo_data[code].schema_name, own_page=True))
    assert sorted(route for route in edits if route not in reached) == []  # each edit page was tried
    assert len(reached["plans/<str:kind>/<int:pk>/edit/"]) >= 2  # the drafts, in several organisations
    # the county's supervised item (its id depends on what earlier tests created in the same database)
    assert [entry for entry in inline if SUPERVISED_PROGRESS_FORM.fullmatch(entry)] != []
    assert problems == [], "\n".join(problems)


def test_saving_a_targets_leadership_unchanged_keeps_its_rows(orgs):
    """Found by the guard: every save of the target page deleted and re-created the leadership rows."""
    from tenants.targets.models import TargetLeader
    from tenants.targets.services import parse_leaders, target_create, target_update

    with schema_context(orgs["county_a"].schema_name):
        target = target_create(
            name="屯子镇党委",
            level="township",
            managing_org_code="410621",
            leaders=parse_leaders("张三:党委书记*\n李四:镇长"),
        )
        rows = sorted(TargetLeader.objects.filter(target=target).values_list("pk", "name", "post", "is_principal"))
        target_update(target=target, leaders=parse_leaders("李四:镇长\n张三:党委书记*"), name="屯子镇党委")
        assert (
            sorted(TargetLeader.objects.filter(target=target).values_list("pk", "name", "post", "is_principal")) == rows
        )
        target_update(target=target, leaders=parse_leaders("张三:党委书记*\n王五:镇长"))  # a change still applies
        assert sorted(TargetLeader.objects.filter(target=target).values_list("name", "post", "is_principal")) == [
            ("张三", "党委书记", True),
            ("王五", "镇长", False),
        ]
