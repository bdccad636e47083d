"""Time to provision one county: by clone (organization_create) vs by plain migration, then at scale.

    DATABASE_URL=postgresql://... python bench/provisioning.py [RUNS] [EXISTING]      (or: make bench)

Works in a throwaway database next to the one DATABASE_URL names (created and
dropped here), so it never touches real organisations. Prints min/median/max of:
- one county by clone and by CREATE SCHEMA + migrate_schemas, in an almost empty database (the ratio);
- one county by clone once EXISTING (default 200) organisations exist (the issue's goal: < 300 ms, flat);
- `xuncha migrate` (platform_migrate) when every schema is already at the latest migration, over all of
  them (goal: < 20 s for about 209 schemas), beside the per-schema figure.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "platform")]

from common import connect_maintenance, table_row  # noqa: E402  (bench/common.py, beside this file)


def main(runs: int, existing: int) -> None:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        sys.exit("DATABASE_URL is not set (or run `make bench`, which starts an embedded PostgreSQL)")
    maintenance, base_name = connect_maintenance(base_url)
    bench_name = f"{base_name}_bench_{os.getpid()}"
    with maintenance.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{bench_name}"')
    try:
        os.environ["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/" + bench_name
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
        import django

        django.setup()
        results = measure(runs)
        results.update(measure_at_scale(runs, existing))
        from django.db import connections

        connections.close_all()
    finally:
        with maintenance.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
        maintenance.close()
    report(results, runs)
    print(f"load average {os.getloadavg()[0]:.1f} (the machine is shared)")


def measure(runs: int) -> dict[str, list[float]]:
    from django.core.management import call_command
    from django.db import connection

    from shared.orgs.services import organization_create, platform_migrate

    platform_migrate(verbosity=0)
    organization_create(kind="province", code="410000", name="河南省")
    organization_create(kind="city", code="410600", name="鹤壁市", parent_code="410000")
    organization_create(kind="county", code="410699", name="预热县", parent_code="410600")  # warm-up

    timings: dict[str, list[float]] = {
        "clone (organization_create)": [],
        "migrate (CREATE SCHEMA + migrate_schemas)": [],
    }
    for run in range(runs):
        started = time.perf_counter()
        organization_create(kind="county", code=f"4107{run:02d}", name=f"测试县{run}", parent_code="410600")
        timings["clone (organization_create)"].append(time.perf_counter() - started)

        schema = f"bench_migrated_{run}"
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
        call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        timings["migrate (CREATE SCHEMA + migrate_schemas)"].append(time.perf_counter() - started)
    return timings


def measure_at_scale(runs: int, existing: int) -> dict[str, list[float]]:
    """Counties added after `existing` organisations exist, and a no-op migrate over all their schemas."""
    from shared.orgs.models import Organization
    from shared.orgs.services import OrganizationSpec, organizations_create_many, platform_migrate

    have = Organization.objects.filter(kind="county").count()
    organizations_create_many(
        specs=[OrganizationSpec("county", f"42{n:04d}", f"规模县{n}", "410600") for n in range(existing - have)]
    )
    total = Organization.objects.count()
    timings: dict[str, list[float]] = {f"clone among {total} organisations": [], f"no-op migrate, {total} schemas": []}
    for run in range(runs):
        started = time.perf_counter()
        organizations_create_many(specs=[OrganizationSpec("county", f"43{run:04d}", f"新增县{run}", "410600")])
        timings[f"clone among {total} organisations"].append(time.perf_counter() - started)
    for _run in range(max(1, runs // 2)):
        started = time.perf_counter()
        platform_migrate(verbosity=0)
        timings[f"no-op migrate, {total} schemas"].append(time.perf_counter() - started)
    return timings


def report(results: dict[str, list[float]], runs: int) -> None:
    from django.conf import settings

    apps = [app for app in settings.TENANT_APPS]
    print(f"Provisioning one county, {runs} run(s) each; tenant apps: {', '.join(apps)}")
    print(f"{'method':<44} {'min':>9} {'median':>9} {'max':>9}  (of each run)")
    for method, values in results.items():
        print(
            f"{method:<44} {min(values) * 1000:>7.0f}ms {statistics.median(values) * 1000:>7.0f}ms "
            f"{max(values) * 1000:>7.0f}ms"
        )
    clone = statistics.median(results["clone (organization_create)"])
    migrate = statistics.median(results["migrate (CREATE SCHEMA + migrate_schemas)"])
    print(f"median speed-up of clone over migrate: {migrate / clone:.1f}x")
    table_row(
        "provision one county by clone, nearly empty database",
        f"{clone * 1000:.0f} ms",
        f"by migrate {migrate * 1000:.0f} ms",
        f"x{migrate / clone:.1f}",
        "≥ 10x",
    )
    for method, values in results.items():
        if method.startswith("clone among"):
            table_row(
                f"provision one county, {method}",
                f"{statistics.median(values) * 1000:.0f} ms",
                f"nearly empty {clone * 1000:.0f} ms",
                f"x{statistics.median(values) / clone:.2f}",
                "< 300 ms, flat",
            )
        if method.startswith("no-op migrate"):
            schemas = int(method.split(", ")[1].split()[0])
            table_row(
                method,
                f"{statistics.median(values):.1f} s",
                f"{statistics.median(values) / schemas * 1000:.0f} ms per schema",
                "",
                "< 20 s (209 schemas)",
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
