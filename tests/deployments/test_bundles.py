"""The province filing story across two deployments over bundles carried by the test (issue 16, "Done when",
the bundle half): the province on deployment P, the city on deployment C, joined by nothing but files.

Trust is set up by the CLI (`peer export` on each side, `peer import --yes` on the other). Each step runs in the
deployment whose office acts, as a `xuncha shell -c` (the services the pages call), followed by `sync bundle
export`; the other side's `sync bundle import` applies it and writes the ack, which the sender imports with its
next bundle. At the end `sync verify` is clean on both sides, the last import finds nothing missing, and a
replayed, an altered and a forged bundle are refused with their reasons."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.envelope import canonical_json

pytestmark = pytest.mark.bus

PROVINCE = ("province", "410000", "河南省", None)


def _user(deployment, code, username):
    deployment.python(
        "from shared.accounts.models import Membership, User\n"
        "from shared.orgs.models import Organization\n"
        f"user = User.objects.create(username={username!r}, display_name={username!r})\n"
        f"Membership.objects.create(user=user, organization=Organization.objects.get(code={code!r}), "
        "role='office_admin', clearance=1)\n"
    )


def _in(code, body):
    """Python run in organisation `code`'s schema of the deployment, with its office's user at hand."""
    return (
        "from django_tenants.utils import schema_context\n"
        "from shared.accounts.models import User\n"
        "from shared.orgs.models import Organization\n"
        f"org = Organization.objects.get(code={code!r})\n"
        "user = User.objects.get(memberships__organization=org)\n"
        "with schema_context(org.schema_name):\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())
    )


def _carry(sender, receiver, to, tmp_path, step):
    """One bundle from `sender` to organisation `to` on `receiver`, and its ack back; returns the import's output."""
    bundle, ack = tmp_path / f"{step}.bundle", tmp_path / f"{step}.ack"
    sender.cli("sync", "bundle", "export", "--to", to, str(bundle))
    out = receiver.cli("sync", "bundle", "import", str(bundle), "--ack-out", str(ack))
    sender.cli("sync", "bundle", "import", str(ack))
    return out, bundle


def test_the_filing_story_across_two_deployments_over_bundles(deployments, tmp_path):
    province = deployments.create("prov", organizations=[PROVINCE])
    city = deployments.create("city")
    # Trust: the province's list to the city's deployment, then the city (under the remote province) back.
    province.cli("peer", "export", str(tmp_path / "prov.json"), "--name", "prov")
    shown = city.cli("peer", "import", str(tmp_path / "prov.json"), "--yes", "--route", "bundle")
    assert "410000" in shown and "指纹" in shown
    city.cli("org", "create", "--kind", "city", "--code", "410600", "--name", "鹤壁市", "--parent", "410000")
    city.cli("peer", "export", str(tmp_path / "city.json"), "--name", "city")
    province.cli("peer", "import", str(tmp_path / "city.json"), "--yes", "--route", "bundle")
    _user(city, "410600", "city-office")
    _user(province, "410000", "province-office")

    # 1. The city files its annual plan; the province receives it ("received" goes back with the next bundle).
    key = (
        city.python(
            _in(
                "410600",
                """
from tests.tenants.reports.helpers import approved_annual_plan
from tenants.reports.services import filing_submit
plan = approved_annual_plan(user, year=2034)
print("KEY", filing_submit(kind="annual_plan", subject_id=plan.pk, actor=user, organization=org).key)
""",
            )
        )
        .split("KEY ")[1]
        .split()[0]
    )
    out, first_bundle = _carry(city, province, "410000", tmp_path, "1-file")
    assert "applied 1" in out and "仍缺 0 条记录" in out
    # 2. The province returns it with a comment.
    province.python(
        _in(
            "410000",
            f"""
from tenants.reports.models import FilingReceipt
from tenants.reports.services import filing_decide
receipt = FilingReceipt.objects.get(filing_key={key!r})
filing_decide(receipt=receipt, status="returned", comment="请补充轮次安排", actor=user)
""",
        )
    )
    _carry(province, city, "410600", tmp_path, "2-return")
    # 3. The city sees the comment and re-files.
    status = city.python(
        _in(
            "410600",
            f"""
from tenants.reports.models import Filing
from tenants.reports.services import filing_refile
filing = Filing.objects.get(key={key!r})
print("STATUS", filing.status, filing.status_comment)
filing_refile(filing=filing, actor=user, organization=org, note="已补充")
""",
        )
    )
    assert "STATUS returned 请补充轮次安排" in status
    _carry(city, province, "410000", tmp_path, "3-refile")
    # 4. The province acknowledges revision 2; the city's filing is acknowledged.
    province.python(
        _in(
            "410000",
            f"""
from tenants.reports.models import FilingReceipt
from tenants.reports.services import filing_decide
receipt = FilingReceipt.objects.get(filing_key={key!r})
assert receipt.filing_revision == 2, receipt.filing_revision
filing_decide(receipt=receipt, status="acknowledged", comment="", actor=user)
""",
        )
    )
    out, _ = _carry(province, city, "410600", tmp_path, "4-acknowledge")
    assert "仍缺 0 条记录" in out
    final = city.python(
        _in(
            "410600",
            f"""
from tenants.reports.models import Filing
from sync.models import OutboxMessage
print("STATUS", Filing.objects.get(key={key!r}).status, OutboxMessage.objects.filter(sent_at__isnull=True).count())
""",
        )
    )
    assert "STATUS acknowledged 0" in final  # and every row the city sent was acknowledged

    for side in (city, province):
        assert "all replicas match their owners" in side.cli("sync", "verify")

    # Replayed: the first bundle again changes nothing, and says so.
    replayed = province.cli("sync", "bundle", "import", str(first_bundle), "--ack-out", str(tmp_path / "r.ack"))
    assert "此前已导入过" in replayed and "duplicate 1" in replayed
    # Altered: one character of the sealed contents changed.
    document = json.loads(first_bundle.read_bytes())
    ct = document["payload"]["sealed"]["ct"]
    document["payload"]["sealed"]["ct"] = ("A" if ct[0] != "A" else "B") + ct[1:]
    (tmp_path / "altered.bundle").write_text(json.dumps(document), encoding="utf-8")
    altered = province.cli("sync", "bundle", "import", str(tmp_path / "altered.bundle"), check=False)
    assert "签名与 city 的密钥不符" in altered
    # Forged: the same bundle signed by another key under the city's name.
    document = json.loads(first_bundle.read_bytes())
    signature = Ed25519PrivateKey.generate().sign(
        canonical_json({"header": document["header"], "payload": document["payload"]})
    )
    document["signature"] = base64.b64encode(signature).decode()
    (tmp_path / "forged.bundle").write_text(json.dumps(document), encoding="utf-8")
    forged = province.cli("sync", "bundle", "import", str(tmp_path / "forged.bundle"), check=False)
    assert "签名与 city 的密钥不符" in forged
    # Truncated.
    (tmp_path / "truncated.bundle").write_bytes(first_bundle.read_bytes()[:-50])
    truncated = province.cli("sync", "bundle", "import", str(tmp_path / "truncated.bundle"), check=False)
    assert "已被截断" in truncated
