"""Anti-entropy: compare, per owner and destination, what the owner says the destination should
hold (SharedCopy) with the destination's replicas, and re-send what is missing, stale, diverged
or orphaned. It reads digests and versions only (never bodies) from both schemas of the one
deployment database; see docs/SYNC.md for why and for the message-based variant across sites."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django_tenants.utils import schema_context

from sync.models import Replica, SharedCopy
from sync.orgs import organizations
from sync.outbox import copies_republish, copies_resend, orphan_withdraw, record_changed, record_deleted
from sync.policy import SEALED_UP
from sync.registry import record_types

RecordId = tuple[str, str]  # (record type, record key)


@dataclass
class PairReport:
    owner: str
    destination: str
    checked: int = 0
    missing: list[RecordId] = field(default_factory=list)
    stale: list[RecordId] = field(default_factory=list)
    diverged: list[RecordId] = field(default_factory=list)
    orphaned: list[RecordId] = field(default_factory=list)
    resent: int = 0

    @property
    def healthy(self) -> bool:
        return not (self.missing or self.stale or self.diverged or self.orphaned)


@dataclass
class VerifyReport:
    pairs: list[PairReport] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(pair.healthy for pair in self.pairs)

    def lines(self) -> list[str]:
        lines = []
        for pair in self.pairs:
            state = (
                "ok"
                if pair.healthy
                else (
                    f"missing {len(pair.missing)}, stale {len(pair.stale)}, diverged {len(pair.diverged)}, "
                    f"orphaned {len(pair.orphaned)}; re-sent {pair.resent}"
                )
            )
            lines.append(f"{pair.owner} -> {pair.destination}: {pair.checked} record(s) {state}")
        lines.append("all replicas match their owners" if self.healthy else "differences found")
        return lines


def sync_verify(*, codes: list[str] | None = None, repair: bool = True) -> VerifyReport:
    """Check the records owned by `codes` (all organisations when None) at every destination."""
    everyone = {org.code: org for org in organizations(None)}
    report = VerifyReport()
    for owner in organizations(codes):
        with schema_context(owner.schema_name):
            copies: dict[str, dict[RecordId, Mapping[str, Any]]] = {}
            for copy in SharedCopy.objects.values(
                "record_type", "record_key", "destination", "version", "digest", "tombstone"
            ):
                copies.setdefault(copy["destination"], {})[(copy["record_type"], copy["record_key"])] = copy
        destinations = set(copies)
        for org in everyone.values():
            if org.code != owner.code:
                with schema_context(org.schema_name):
                    if Replica.objects.filter(source=owner.code).exists():
                        destinations.add(org.code)
        for code in sorted(destinations):
            if code not in everyone:
                continue
            with schema_context(everyone[code].schema_name):
                replicas = {
                    (row["record_type"], row["record_key"]): row
                    # Sealed escalations have no shared copy at the owner by design (never withdrawn).
                    for row in Replica.objects.filter(source=owner.code)
                    .exclude(record_type__in=SEALED_UP)
                    .values("record_type", "record_key", "version", "digest", "tombstone")
                }
            pair = _compare(owner.code, code, copies.get(code, {}), replicas)
            report.pairs.append(pair)
            if repair and not pair.healthy:
                with schema_context(owner.schema_name):
                    pair.resent += copies_resend(destination=code, keys=pair.missing + pair.stale)
                    for key in pair.diverged:
                        pair.resent += copies_republish(
                            record_type=key[0], record_key=key[1], above=replicas[key]["version"]
                        )
                    for key in pair.orphaned:
                        pair.resent += orphan_withdraw(
                            record_type=key[0], record_key=key[1], destination=code, above=replicas[key]["version"]
                        )
    return report


def _compare(
    owner: str,
    destination: str,
    copies: Mapping[RecordId, Mapping[str, Any]],
    replicas: Mapping[RecordId, Mapping[str, Any]],
) -> PairReport:
    pair = PairReport(owner=owner, destination=destination)
    for key, copy in copies.items():
        pair.checked += 1
        replica = replicas.get(key)
        if replica is None:
            if not copy["tombstone"]:
                pair.missing.append(key)
        elif replica["version"] < copy["version"]:
            pair.stale.append(key)
        elif replica["version"] > copy["version"] or replica["digest"] != copy["digest"]:
            pair.diverged.append(key)
    for key, replica in replicas.items():
        if key not in copies and not replica["tombstone"]:
            pair.checked += 1
            pair.orphaned.append(key)
    return pair


def shared_records_reevaluate(*, codes: list[str] | None = None, dry_run: bool = False) -> dict[str, int]:
    """The policy safety net (`xuncha sync verify --policy`): for each owner, every record some
    destination holds is shared again from its current row (record_changed: a destination that lost
    the right gets a tombstone, a changed projection is sent, an unchanged one is not), and a held
    record whose row is gone is withdrawn. Catches what a change made outside the services (a bulk
    `QuerySet.update()`, a manual SQL fix) left shared. Returns {owner code: messages queued};
    dry_run counts them and rolls back."""
    counts = {}
    for owner in organizations(codes):
        with schema_context(owner.schema_name), transaction.atomic():
            held: dict[str, set[str]] = {}
            for record_type, record_key in SharedCopy.objects.filter(tombstone=False).values_list(
                "record_type", "record_key"
            ):
                held.setdefault(record_type, set()).add(record_key)
            written = 0
            for record_type, keys in sorted(held.items()):
                spec = record_types().get(record_type)
                if spec is None or spec.model is None:  # computed state: its publisher re-sends it
                    continue
                found = set()
                for instance in spec.model._default_manager.all():  # keys may be computed, not the primary key
                    key = spec.key(instance)
                    if key in keys:
                        found.add(key)
                        written += len(record_changed(instance=instance, owner=owner))
                for key in sorted(keys - found):
                    written += len(record_deleted(record_type=record_type, record_key=key, owner=owner))
            counts[owner.code] = written
            if dry_run:
                transaction.set_rollback(True)
    return counts


# --- across deployments (a linked or bundled peer: its replicas are in its own database) -----------------------
EXPECTED_FORMAT = "xuncha-expected-replicas/1"
REPORT_FORMAT = "xuncha-replica-differences/1"


def expected_replicas(*, destinations: list[str], owners: list[str] | None = None) -> dict[str, Any]:
    """What the organisations hosted here (all, or `owners`) have shared with `destinations` (organisations of
    another deployment), per owner and destination: each record's type, key, version, digest and whether it is
    withdrawn. Versions and digests only, never a body: the document may be carried anywhere (`xuncha sync verify
    --expected-out`)."""
    wanted = set(destinations)
    pairs = []
    for owner in organizations(owners):
        with schema_context(owner.schema_name):
            rows = (
                SharedCopy.objects.filter(destination__in=wanted)
                .order_by("destination", "record_type", "record_key")
                .values_list("destination", "record_type", "record_key", "version", "digest", "tombstone")
            )
            by_destination: dict[str, list[list[Any]]] = {}
            for destination, *record in rows:
                by_destination.setdefault(destination, []).append(record)
        pairs += [
            {"owner": owner.code, "destination": destination, "records": records}
            for destination, records in sorted(by_destination.items())
        ]
    return {"format": EXPECTED_FORMAT, "pairs": pairs}


def expected_replicas_check(*, expected: Mapping[str, Any]) -> VerifyReport:
    """On the far side: compare what the owners say each destination hosted here should hold with its replicas
    (the same comparison as `sync_verify`). Destinations not hosted here are left out."""
    if not isinstance(expected, Mapping) or expected.get("format") != EXPECTED_FORMAT:
        raise ValueError(f"not an expected-replicas document ({EXPECTED_FORMAT})")
    hosted = {org.code: org for org in organizations(None)}
    report = VerifyReport()
    for pair in expected.get("pairs", []):
        destination = hosted.get(pair["destination"])
        if destination is None:
            continue
        copies = {
            (record_type, key): {"version": version, "digest": digest, "tombstone": tombstone}
            for record_type, key, version, digest, tombstone in pair["records"]
        }
        with schema_context(destination.schema_name):
            replicas = {
                (row["record_type"], row["record_key"]): row
                for row in Replica.objects.filter(source=pair["owner"])
                .exclude(record_type__in=SEALED_UP)
                .values("record_type", "record_key", "version", "digest", "tombstone")
            }
        report.pairs.append(_compare(pair["owner"], destination.code, copies, replicas))
    return report


def differences_document(report: VerifyReport) -> dict[str, Any]:
    """The far side's differences, for the owners' deployment to re-send (`xuncha sync verify --resend`)."""
    return {
        "format": REPORT_FORMAT,
        "pairs": [
            {"owner": pair.owner, "destination": pair.destination, "resend": sorted(pair.missing + pair.stale)}
            for pair in report.pairs
            if pair.missing or pair.stale
        ],
    }


def differences_resend(*, differences: Mapping[str, Any]) -> int:
    """Queue again, at their current version, the copies the far side lacks or holds stale (owners hosted here)."""
    if not isinstance(differences, Mapping) or differences.get("format") != REPORT_FORMAT:
        raise ValueError(f"not a differences document ({REPORT_FORMAT})")
    hosted = {org.code: org for org in organizations(None)}
    queued = 0
    for pair in differences.get("pairs", []):
        owner = hosted.get(pair["owner"])
        if owner is not None:
            with schema_context(owner.schema_name), transaction.atomic():
                keys = [(record_type, key) for record_type, key in pair["resend"]]
                queued += copies_resend(destination=pair["destination"], keys=keys)
    return queued
