"""The province filing story and a county's 督办 progress across two deployments over bundles carried by the test
(issue 16, "Done when", the bundle half): nothing joins them but files.

The topology of tests/deployments/test_linked_story.py: the province's deployment (河南省, and 淇县 as a county on
a server of its own) and the city platform's (鹤壁市 and 浚县), trusting each other by `xuncha peer export/import`
with route bundle. Each step runs in its own deployment through the services the pages call
(tests/deployments/stories.py); then `sync bundle export --to CODE` there, `sync bundle import` on the other side
(which writes the ack) and the ack imported back. At the end the last imports find nothing missing, no outbox
row is left unacknowledged and `sync verify` is clean on both sides; a replayed bundle changes nothing and says
so, and altered, forged and truncated bundles are refused with their reasons."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.envelope import canonical_json
from tests.deployments.harness import wait_for
from tests.deployments.stories import step_result

pytestmark = pytest.mark.bus

STORIES = "from tests.deployments.stories import *; "


def _trust(first, second, path, *, name: str) -> None:
    first.cli("peer", "export", str(path), "--name", name)
    shown = second.cli("peer", "import", str(path), "--route", "bundle", "--yes")
    assert "指纹" in shown and "已导入" in shown, shown


def _carry(sender, receiver, to: str, path) -> str:
    """One bundle from `sender` for organisation `to` (hosted by `receiver`), and its ack back; the import's output."""
    sender.cli("sync", "bundle", "export", "--to", to, str(path))
    out = receiver.cli("sync", "bundle", "import", str(path), "--ack-out", f"{path}.ack")
    assert "仍缺 0 条记录" in out, out  # the expected-replica digests found nothing missing
    assert "条消息已送达" in sender.cli("sync", "bundle", "import", f"{path}.ack")
    return out


def _filing(city, key):
    return city.query("SELECT status, status_comment, revision FROM org_410600.reports_filing WHERE key = %s", [key])


def _receipt(province, key):
    return province.query(
        "SELECT status, filing_revision FROM org_410000.reports_filingreceipt WHERE filing_key = %s", [key]
    )


def _unacknowledged(deployment, schemas, destinations):
    """Rows for the other deployment's organisations not yet acknowledged (rows for organisations hosted alongside
    wait for this deployment's own relay, which the test does not run)."""
    return sum(
        deployment.query(
            f"SELECT count(*) FROM {schema}.sync_outboxmessage WHERE sent_at IS NULL AND destination = ANY(%s)",
            [destinations],
        )[0][0]
        for schema in schemas
    )


def test_the_filing_story_and_a_countys_progress_cross_two_deployments_over_bundles(deployments, tmp_path):
    province = deployments.create("province", organizations=[("province", "410000", "河南省", None)])
    _trust(province, city := deployments.create("city"), tmp_path / "province-1.json", name="province")
    city.organizations_create([("city", "410600", "鹤壁市", "410000"), ("county", "410621", "浚县", "410600")])
    _trust(city, province, tmp_path / "hebi.json", name="hebi")
    province.organizations_create([("county", "410622", "淇县", "410600")])
    _trust(province, city, tmp_path / "province-2.json", name="province")

    # The city files; the province receives it and returns it with a comment; the city sees the comment.
    key = step_result(city.python(STORIES + "city_files_annual_plan(city='410600', year=2031)"))["key"]
    first = tmp_path / "1-file.bundle"
    # Two messages: the approved plan itself (planning.annual_plan, filed with the province) and the filing.
    assert "applied 2" in _carry(city, province, "410000", first)
    assert _receipt(province, key) == [("received", 1)]
    province.python(
        STORIES + f"province_decides(province='410000', source='410600', key='{key}', status='returned', "
        "comment='请补充本年度专项巡察安排')"
    )
    _carry(province, city, "410600", tmp_path / "2-return.bundle")
    assert _filing(city, key) == [("returned", "请补充本年度专项巡察安排", 1)]

    # The city re-files; the province acknowledges revision 2; the city sees it acknowledged.
    assert (
        step_result(city.python(STORIES + f"city_refiles(city='410600', key='{key}', note='已补充。')"))["revision"]
        == 2
    )
    _carry(city, province, "410000", tmp_path / "3-refile.bundle")
    assert _receipt(province, key) == [("received", 2)]
    province.python(
        STORIES + f"province_decides(province='410000', source='410600', key='{key}', status='acknowledged', "
        "comment='')"
    )
    _carry(province, city, "410600", tmp_path / "4-acknowledge.bundle")
    assert _filing(city, key) == [("acknowledged", "", 2)]

    # 督办: the city's item reaches 淇县's ledger in the province's deployment; 淇县's progress comes back.
    item = step_result(city.python(STORIES + "city_supervises_item(city='410600', county='410622')"))["item"]
    _carry(city, province, "410622", tmp_path / "5-item.bundle")
    ledger = "SELECT count(*) FROM org_410622.rectification_superviseditem WHERE source = '410600' AND record_key = %s"
    assert province.query(ledger, [str(item)]) == [(1,)]
    province.python(
        STORIES + f"county_reports_progress(county='410622', city='410600', item={item}, note='已召开专题会')"
    )
    _carry(province, city, "410600", tmp_path / "6-progress.bundle")
    progress = (
        "SELECT body FROM org_410600.sync_replica WHERE source = '410622' AND record_type = 'rectification.progress' "
        "AND NOT tombstone"
    )
    [(body,)] = city.query(progress)
    body = body if isinstance(body, dict) else json.loads(body)
    assert (body["status"], body["progress_note"]) == ("in_progress", "已召开专题会")

    # What else the steps shared across (the round's schedule filed with the province, its progress...) goes in
    # one more bundle each way; then everything sent was acknowledged, nothing was dead-lettered, verify is clean.
    _carry(city, province, "410000", tmp_path / "7-city-to-province.bundle")
    _carry(city, province, "410622", tmp_path / "8-city-to-qixian.bundle")
    _carry(province, city, "410600", tmp_path / "9-province-to-city.bundle")
    assert _unacknowledged(city, ["org_410600", "org_410621"], ["410000", "410622"]) == 0
    assert _unacknowledged(province, ["org_410000", "org_410622"], ["410600", "410621"]) == 0
    # Positive control: the city's messages for 浚县 (hosted beside it) do wait, for its own bus; once the city's
    # relay and consumer run they are delivered there, and nothing for the province's side is published by them.
    assert _unacknowledged(city, ["org_410600"], ["410621"]) > 0
    city.start("sync", "relay", "--poll", "1")
    city.start("sync", "consume")
    wait_for(lambda: _unacknowledged(city, ["org_410600"], ["410621"]) == 0, timeout=90, logs=city.logs, what="浚县")
    assert _unacknowledged(city, ["org_410600", "org_410621"], ["410000", "410622"]) == 0
    for deployment, schemas in ((city, ["org_410600"]), (province, ["org_410000", "org_410622"])):
        for schema in schemas:
            assert deployment.query(f"SELECT count(*) FROM {schema}.sync_deadletter") == [(0,)]
        assert "all replicas match their owners" in deployment.cli("sync", "verify", "--dry-run")

    # Replayed: the first bundle again changes nothing, and says so.
    replayed = province.cli("sync", "bundle", "import", str(first), "--ack-out", str(tmp_path / "replay.ack"))
    assert "此前已导入过" in replayed and "duplicate 2" in replayed
    assert _receipt(province, key) == [("acknowledged", 2)]
    # Altered: one character of the sealed contents.
    document = json.loads(first.read_bytes())
    ct = document["payload"]["sealed"]["ct"]
    document["payload"]["sealed"]["ct"] = ("A" if ct[0] != "A" else "B") + ct[1:]
    (tmp_path / "altered.bundle").write_text(json.dumps(document), encoding="utf-8")
    altered = province.cli("sync", "bundle", "import", str(tmp_path / "altered.bundle"), check=False)
    assert "签名与 hebi 的密钥不符" in altered
    # Forged: the same bundle signed by another key under the city's name.
    document = json.loads(first.read_bytes())
    signature = Ed25519PrivateKey.generate().sign(
        canonical_json({"header": document["header"], "payload": document["payload"]})
    )
    document["signature"] = base64.b64encode(signature).decode()
    (tmp_path / "forged.bundle").write_text(json.dumps(document), encoding="utf-8")
    assert "签名与 hebi 的密钥不符" in province.cli(
        "sync", "bundle", "import", str(tmp_path / "forged.bundle"), check=False
    )
    # Truncated.
    (tmp_path / "truncated.bundle").write_bytes(first.read_bytes()[:-50])
    assert "已被截断" in province.cli("sync", "bundle", "import", str(tmp_path / "truncated.bundle"), check=False)
