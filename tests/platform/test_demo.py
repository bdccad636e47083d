"""The demo seed (idempotent, extensible) and `xuncha demo` as a process tree."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from django.db import connection

from shared.accounts.models import Membership, User
from xuncha import demo

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def demo_usernames() -> set[str]:
    return {
        f"{slug}.{demo.DEMO_ROLES[role][0]}"
        for kind, _code, _name, _parent, slug in demo.DEMO_ORGANIZATIONS
        for role in demo.ROLES_BY_KIND[kind]
    }


def test_demo_seed_creates_one_user_per_role_per_organisation_and_is_idempotent(orgs, fast_passwords):
    first = demo.demo_seed(password="demo-password-for-test")
    assert first.created.get("organisations") is None  # the session already holds them
    assert first.created["users"] == len(demo_usernames()) == 45  # with the three administrators (三员分立)
    for kind, code, _name, _parent, slug in demo.DEMO_ORGANIZATIONS:
        roles = set(
            Membership.objects.filter(organization__code=code, user__username__startswith=f"{slug}.").values_list(
                "role", flat=True
            )
        )
        assert roles == set(demo.ROLES_BY_KIND[kind])
    county_admin = User.objects.get(username="xunxian.admin")
    assert User.objects.get(username="xunxian.auditor").home_organization.code == "410621"
    assert county_admin.check_password("demo-password-for-test")
    assert county_admin.display_name == "浚县巡察办管理员"
    assert User.objects.get(username="henan.admin").display_name == "河南省巡视办管理员"  # the province's 巡视办
    assert county_admin.memberships.get().organization.code == "410621"

    users, memberships = User.objects.count(), Membership.objects.count()
    second = demo.demo_seed(password="another-password")
    assert second.created == {}
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert User.objects.get(username="xunxian.admin").check_password("demo-password-for-test")
    table = demo.logins_table(second)
    assert "xunxian.admin" in table and "410621 浚县" in table and "office_admin" in table


def test_demo_seeds_a_finished_and_a_running_round_per_office_once(orgs, fast_passwords):
    """Each demo office gets a round walked to closed through the services, with its whole ledger, and a
    round on site; a second run creates nothing."""
    from io import BytesIO

    from django.utils import timezone
    from django_tenants.utils import schema_context
    from openpyxl import load_workbook

    from tenants.findings.models import Finding
    from tenants.rectification.documents import rectification_ledger_xlsx
    from tenants.rectification.models import RectificationItem
    from tenants.rounds.models import Round
    from xuncha.demo.core import EXAMPLE_SUFFIXES, FINISHED_SUFFIX, RUNNING_SUFFIX, demo_core_remove

    demo.demo_seed(password="demo-password-for-test")
    today = timezone.localdate()
    for code, target_count in (("410621", 2), ("410600", 1)):
        with schema_context(f"org_{code}"):
            finished = Round.objects.get(name__endswith=FINISHED_SUFFIX)
            assert finished.state == "closed" and finished.annual_plan.status == "approved"
            assert finished.annual_plan.approvals.get().decision == "approved"
            assert finished.onsite_end < today - timedelta(days=150)
            team = finished.teams.get()
            assert team.leader.expert.name == "陈组长" and team.members.count() == 2
            assert team.team_targets.count() == target_count
            assert [t.to_state for t in finished.transitions.order_by("id")] == [
                "team_formed",
                "announced",
                "on_site",
                "reporting",
                "hearing",
                "feedback",
                "rectification",
                "closed",
            ]
            assert finished.transitions.get(to_state="feedback").by.username.endswith(".leader")
            assert finished.hearing_records.count() == 1
            findings = Finding.objects.filter(round=finished)
            assert findings.count() == 4 and findings.filter(fixed_on_spot=True).count() == 1
            transfer = finished.transfers.get()
            assert transfer.status == "reported" and transfer.fast_track and transfer.signatures.count() == 3
            assert transfer.handed_over_on < transfer.handling_reported_on <= transfer.feedback_due < today
            feedbacks = list(finished.feedbacks.all())
            assert len(feedbacks) == target_count
            for feedback in feedbacks:
                assert feedback.receipt_signatures.count() == 3
                assert feedback.receipt_signed_on < feedback.plan_due < feedback.report_due < today
                assert {s.kind: s.on_time for s in feedback.submissions.all()} == {
                    "plan": True,
                    "report": True,
                    "principal_report": True,
                }
            items = RectificationItem.objects.filter(feedback__round=finished).order_by("id")
            assert items.count() == 4 and {item.status for item in items} == {"closed"}
            assert all(item.evidence and item.verified_by and item.verified_on <= item.due_date for item in items)
            assert all(item.finding is not None for item in items)
            ledger = load_workbook(BytesIO(rectification_ledger_xlsx(items=items, yellow_within_days=7))).active
            rows = list(ledger.iter_rows(min_row=2, values_only=True))
            assert len(rows) == 4 and all(row[1] == finished.name for row in rows)
            assert {row[9] for row in rows} == {"绿"}  # every line green: closed

            running = Round.objects.get(name__endswith=RUNNING_SUFFIX)
            assert running.state == "on_site" and running.onsite_start <= today <= running.onsite_end
            assert Finding.objects.filter(round=running).count() == 2
            assert not running.feedbacks.exists()

    # Each demo sign-in sees its part of the finished round (what the README's walk promises).
    from shared.accounts.selectors import organization_access
    from tenants.rectification.selectors import feedback_list, item_list
    from tenants.rounds.selectors import round_list_for
    from tenants.transfers.selectors import transfer_list

    def sign_in(role):
        user = User.objects.get(username=f"xunxian.{role}")
        return {"actor": user, "access": organization_access(person=user, organization_id=orgs["county_a"].pk)}

    with schema_context("org_410621"):
        # the finished round's two units and, from the workload step, 县教育局党组's feedback with two items
        assert feedback_list(**sign_in("liaison")).count() == 3 and item_list(**sign_in("liaison")).count() == 6
        transfers = transfer_list(**sign_in("agency"))  # the finished round's; two of the workload step
        assert sorted(t.status for t in transfers) == ["awaiting", "handed_over", "reported"]
        assert transfers.get(status="reported").round.name.endswith(FINISHED_SUFFIX)

        def suffix(name):
            return next(s for s in EXAMPLE_SUFFIXES if name.endswith(s))

        assert {suffix(round.name) for round in round_list_for(**sign_in("teamlead"))} == set(EXAMPLE_SUFFIXES)

    counts = {}
    for code in ("410621", "410600"):
        with schema_context(f"org_{code}"):
            counts[code] = (Round.objects.count(), Finding.objects.count(), RectificationItem.objects.count())
    again = demo.demo_seed(password="demo-password-for-test")
    assert again.created == {}
    for code in ("410621", "410600"):
        with schema_context(f"org_{code}"):
            assert (Round.objects.count(), Finding.objects.count(), RectificationItem.objects.count()) == counts[code]

    demo_core_remove()  # what tests running the demo on a shared database clean up with
    for code in ("410621", "410600"):
        with schema_context(f"org_{code}"):
            assert not Round.objects.filter(name__contains="（示例·").exists()
            assert not RectificationItem.objects.filter(feedback__round__name__contains="（示例·").exists()


def test_setting_django_up_loads_no_demo_module():
    """Demo seeding is loaded by the demo command and the tests only: what every process does first (web,
    worker, relay, consumer) imports no demo module. The apps' ready() ran (rounds' sharing is loaded)."""
    probe = (
        "import json, sys, django; django.setup(); "
        "print(json.dumps({'demo': sorted(m for m in sys.modules if m.split('.')[-1] in ('demo', 'demo_seed')"
        " or m.startswith('xuncha.demo.')), 'ready': 'tenants.rounds.sharing' in sys.modules}))"
    )
    environment = dict(os.environ, DEBUG="1", DJANGO_SETTINGS_MODULE="xuncha.settings")
    result = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == '{"demo": [], "ready": true}'


def test_apps_add_seed_steps_that_run_in_order(orgs, fast_passwords):
    calls = []

    def late_step(context):
        calls.append(("late", context.organization("410622").name))

    def early_step(context):
        calls.append(("early", None))

    demo.seed_step("test-late", order=500)(late_step)
    demo.seed_step("test-early", order=15)(early_step)
    try:
        demo.demo_seed()
    finally:
        demo._steps.pop("test-late")
        demo._steps.pop("test-early")
    assert calls == [("early", None), ("late", "淇县")]


def test_a_failing_step_is_named_and_its_own_writes_are_rolled_back(orgs, fast_passwords):
    def broken_step(context):
        User.objects.create(username="half-written-by-demo-step")
        raise ValueError("no such campaign template")

    demo.seed_step("test-broken", order=900)(broken_step)
    try:
        with pytest.raises(demo.DemoSeedError, match="test-broken.*no such campaign template"):
            demo.demo_seed()
    finally:
        demo._steps.pop("test-broken")
    assert not User.objects.filter(username="half-written-by-demo-step").exists()
    assert User.objects.filter(username="qixian.admin").exists()  # earlier steps kept


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> set[int]:
    """All descendants of pid, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(parent, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_demo_command_serves_the_site_and_stops_every_process_on_sigterm(django_db_setup, django_db_blocker, tmp_path):
    """`xuncha demo` against the test database: sign in as a seeded county admin, then SIGTERM leaves nothing."""
    port = free_port()
    environment = dict(
        os.environ,
        DEBUG="1",
        XUNCHA_DEMO_PASSWORD="demo-process-test",
        XUNCHA_DEMO_CORE_ONLY="1",
        DATABASE_URL=test_database_url_for_subprocesses(),
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "demo.log").open("w+")  # a file, not a pipe: a full pipe would block the children
    process = subprocess.Popen(
        [sys.executable, "-m", "xuncha", "demo", "--bind", f"127.0.0.1:{port}"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    descendants: set[int] = set()
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz", process, log, timeout=120)
        descendants = children_of(process.pid)
        assert len(descendants) >= 3  # web, worker, beat (+ their own children)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        login_page = opener.open(f"{base}/accounts/login/").read().decode()
        token = login_page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        form = urlencode(
            {"csrfmiddlewaretoken": token, "username": "xunxian.admin", "password": "demo-process-test", "next": "/"}
        ).encode()
        home = opener.open(
            urllib.request.Request(f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"})
        )
        assert home.url == f"{base}/org/410621/"
        assert 'data-testid="org-home-title">浚县<' in home.read().decode()
        descendants |= children_of(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.seek(0)
        output = log.read()
        with django_db_blocker.unblock():
            from xuncha.demo.core import demo_core_remove

            demo_core_remove()  # tenant rows that reference the demo users
            User.objects.filter(username__in=demo_usernames()).delete()
    assert "xunxian.admin" in output and "demo-process-test" in output  # the sign-in table
    assert "started web" in output and "started celery worker" in output and "started celery beat" in output
    assert "all processes stopped" in output
    time.sleep(0.5)
    assert [pid for pid in descendants if alive(pid)] == []


def test_database_url_for_subprocesses() -> str:
    settings_dict = connection.settings_dict
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{settings_dict['NAME']}"


test_database_url_for_subprocesses.__test__ = False


def wait_until_up(url: str, process: subprocess.Popen, log, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise AssertionError(f"exited early:\n{log.read()}")
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not come up in {timeout}s")
