"""The province on its own system, linked by real shovels (issue 16, "Done when", the shovel half).

Two deployments on this machine, each its own database and RabbitMQ vhost, provisioned and run by the same CLI:
the province's (河南省, and 淇县 as a county on a server of its own) and the city platform's (鹤壁市 and 浚县). They
trust each other by `xuncha peer export/import` (route link) and each declares its link to the
other with `xuncha peer link ... --apply`. Then, through the services the pages call, each step in its own deployment:
- the city files its annual plan; the province receives it, returns it with a comment; the city sees the comment,
  re-files; the province receives revision 2 and acknowledges it; the city sees it acknowledged;
- the city puts a rectification item under 淇县's 督办; it reaches 淇县's ledger at the province's deployment;
  淇县 reports progress; the city holds it;
and `sync verify` is clean on both sides.
"""

from __future__ import annotations

import json

import pytest

from tests.deployments.harness import wait_for
from tests.deployments.stories import step_result

pytestmark = pytest.mark.bus

STORIES = "import json; from tests.deployments.stories import *; "


def _trust(first, second, path, *, name: str) -> None:
    """`first` exports its organisations and public keys, signed as deployment `name`; `second` imports them as
    remote organisations reached over a link."""
    first.cli("peer", "export", str(path), "--name", name)
    imported = second.cli("peer", "import", str(path), "--route", "link", "--yes")
    assert name in imported, imported


def _filing(city_deployment, key: str) -> tuple[str, str, int] | None:
    rows = city_deployment.query(
        "SELECT status, status_comment, revision FROM org_410600.reports_filing WHERE key = %s", [key]
    )
    return rows[0] if rows else None


def _receipt(province_deployment, key: str) -> tuple[str, int] | None:
    rows = province_deployment.query(
        "SELECT status, filing_revision FROM org_410000.reports_filingreceipt WHERE source_code = %s "
        "AND filing_key = %s",
        ["410600", key],
    )
    return rows[0] if rows else None


def test_the_filing_story_and_a_countys_progress_cross_two_linked_deployments(deployments, tmp_path):
    province = deployments.create("province", organizations=[("province", "410000", "河南省", None)])
    _trust(province, city := deployments.create("city"), tmp_path / "province-1.json", name="province")
    city.organizations_create([("city", "410600", "鹤壁市", "410000"), ("county", "410621", "浚县", "410600")])
    _trust(city, province, tmp_path / "hebi.json", name="hebi")
    province.organizations_create([("county", "410622", "淇县", "410600")])
    _trust(province, city, tmp_path / "province-2.json", name="province")
    # Each side links to the other: the peer's organisations with route link, by default.
    assert "for 410000, 410622 (shovel" in city.cli(
        "peer", "link", "province", "--peer-uri", province.broker_url, "--peer-prefix", province.prefix,
        "--reconnect-delay", "1", "--apply",
    )  # fmt: skip
    assert "for 410600, 410621 (shovel" in province.cli(
        "peer", "link", "hebi", "--peer-uri", city.broker_url, "--peer-prefix", city.prefix,
        "--reconnect-delay", "1", "--apply",
    )  # fmt: skip
    for deployment in (province, city):
        deployment.start("sync", "relay", "--poll", "1")
        deployment.start("sync", "consume")
    logs = lambda: province.logs() + city.logs()  # noqa: E731

    # The city files; the province receives it and returns it with a comment.
    key = step_result(city.python(STORIES + "city_files_annual_plan(city='410600', year=2031)"))["key"]
    wait_for(lambda: _receipt(province, key) == ("received", 1), timeout=90, logs=logs, what="the filing")
    wait_for(lambda: _filing(city, key) == ("received", "", 1), timeout=90, logs=logs, what="the receipt at the city")
    province.python(
        STORIES + f"province_decides(province='410000', source='410600', key='{key}', status='returned', "
        "comment='请补充本年度专项巡察安排')"
    )
    wait_for(
        lambda: _filing(city, key) == ("returned", "请补充本年度专项巡察安排", 1),
        timeout=90,
        logs=logs,
        what="returned",
    )

    # The city re-files; the province sees revision 2 and acknowledges it; the city sees it acknowledged.
    assert step_result(city.python(STORIES + f"city_refiles(city='410600', key='{key}', note='已补充。')")) == {
        "revision": 2,
        "status": "sent",
    }
    wait_for(lambda: _receipt(province, key) == ("received", 2), timeout=90, logs=logs, what="revision 2")
    province.python(
        STORIES + f"province_decides(province='410000', source='410600', key='{key}', status='acknowledged', "
        "comment='')"
    )
    wait_for(lambda: _filing(city, key) == ("acknowledged", "", 2), timeout=90, logs=logs, what="acknowledged")
    notices = city.query("SELECT kind FROM org_410600.reminders_notification WHERE kind LIKE 'filing_%%' ORDER BY id")
    assert [kind for (kind,) in notices] == ["filing_returned", "filing_acknowledged"]

    # 督办: the city's item reaches 淇县's ledger in the province's deployment; 淇县's progress comes back.
    item = step_result(city.python(STORIES + "city_supervises_item(city='410600', county='410622')"))["item"]
    ledger = "SELECT count(*) FROM org_410622.rectification_superviseditem WHERE source = '410600' AND record_key = %s"
    wait_for(lambda: province.query(ledger, [str(item)]) == [(1,)], timeout=90, logs=logs, what="淇县's ledger item")
    province.python(
        STORIES + f"county_reports_progress(county='410622', city='410600', item={item}, note='已召开专题会')"
    )
    progress = (
        "SELECT body FROM org_410600.sync_replica WHERE source = '410622' AND record_type = 'rectification.progress' "
        "AND NOT tombstone"
    )
    wait_for(lambda: city.query(progress), timeout=90, logs=logs, what="淇县's progress at the city")
    [(body,)] = city.query(progress)
    body = body if isinstance(body, dict) else json.loads(body)
    assert (body["status"], body["progress_note"]) == ("in_progress", "已召开专题会")

    # Nothing dead-lettered on either side, and each side's own verify is clean.
    assert city.query("SELECT count(*) FROM org_410600.sync_deadletter") == [(0,)]
    assert province.query("SELECT count(*) FROM org_410000.sync_deadletter") == [(0,)]
    assert province.query("SELECT count(*) FROM org_410622.sync_deadletter") == [(0,)]
    for deployment in (city, province):
        assert "all replicas match their owners" in deployment.cli("sync", "verify", "--dry-run")
    # Across: each side writes what it shared with the other's organisations; the other compares its replicas.
    for owner, holder, codes in ((city, province, ["410000", "410622"]), (province, city, ["410600", "410621"])):
        expected = tmp_path / f"expected-from-{owner.name}.json"
        owner.cli("sync", "verify", "--expected-out", str(expected), *[arg for code in codes for arg in ("--to", code)])
        document = json.loads(expected.read_text(encoding="utf-8"))
        assert sum(len(pair["records"]) for pair in document["pairs"]) >= 2
        checked = holder.cli("sync", "verify", "--expected-in", str(expected))
        assert "differences found" not in checked and "all replicas match their owners" in checked, checked

    # Positive control: a record the city says is newer than the province holds is reported, and re-sent.
    expected = tmp_path / "expected-from-city.json"
    document = json.loads(expected.read_text(encoding="utf-8"))
    pair = next(pair for pair in document["pairs"] if pair["destination"] == "410000")
    pair["records"][0][2] += 1
    expected.write_text(json.dumps(document), encoding="utf-8")
    differences = tmp_path / "differences.json"
    checked = province.cli(
        "sync", "verify", "--expected-in", str(expected), "--differences-out", str(differences), check=False
    )
    assert "410600 -> 410000" in checked and "stale 1" in checked and "differences found" in checked, checked
    assert "1 message(s) queued" in city.cli("sync", "verify", "--resend", str(differences))
