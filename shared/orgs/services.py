"""Provisioning organisations: validate, then create the row, its route and its schema
in one transaction, so bad input leaves nothing behind (not even an empty schema:
PostgreSQL DDL is transactional)."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists
from openpyxl import load_workbook

from shared.buskeys.services import organization_bus_keys_create, organization_public_keys_store
from shared.orgs.cloning import schema_clone
from shared.orgs.models import (
    ALLOWED_PARENT_KIND,
    REGION_CODE_RE,
    Domain,
    Organization,
    OrganizationKind,
    Peer,
    RemoteRoute,
    remote_schema_name_for_code,
    schema_name_for_code,
)

TEMPLATE_SCHEMA = settings.XUNCHA_TEMPLATE_SCHEMA


@dataclass(frozen=True)
class OrganizationSpec:
    kind: str
    code: str
    name: str
    parent_code: str | None = None


class ProvisioningError(ValidationError):
    """Bad input for provisioning; carries one message per problem (row-numbered in bulk)."""


def _validate_spec(spec: OrganizationSpec, *, pending: dict[str, OrganizationSpec]) -> list[str]:
    """Problems with one spec; `pending` holds the specs earlier in the same batch."""
    problems: list[str] = []
    if spec.kind not in ALLOWED_PARENT_KIND:
        problems.append(_("unknown kind “%(kind)s” (use province, city or county)") % {"kind": spec.kind})
    if not REGION_CODE_RE.match(spec.code or ""):
        problems.append(_("“%(code)s” is not a six-digit region code") % {"code": spec.code})
    if not (spec.name or "").strip():
        problems.append(_("the name is empty"))
    if spec.code in pending or Organization.objects.filter(code=spec.code).exists():
        problems.append(_("an organisation with code %(code)s already exists") % {"code": spec.code})
    if spec.kind in ALLOWED_PARENT_KIND:
        required = ALLOWED_PARENT_KIND[spec.kind]
        if required is None and spec.parent_code:
            problems.append(_("a province has no parent"))
        elif required is not None and not spec.parent_code and spec.kind == OrganizationKind.COUNTY:
            problems.append(_("a county needs its parent city"))
        elif spec.parent_code:
            parent_kind = _parent_kind(spec.parent_code, pending=pending)
            if parent_kind is None:
                problems.append(_("unknown parent %(code)s") % {"code": spec.parent_code})
            elif parent_kind != required:
                problems.append(
                    _("the parent of a %(kind)s must be a %(required)s, but %(code)s is a %(actual)s")
                    % {
                        "kind": OrganizationKind(spec.kind).label,
                        "required": OrganizationKind(required).label,
                        "code": spec.parent_code,
                        "actual": OrganizationKind(parent_kind).label,
                    }
                )
    return problems


def _parent_kind(code: str, *, pending: dict[str, OrganizationSpec]) -> str | None:
    if code in pending:
        return pending[code].kind
    return Organization.objects.filter(code=code).values_list("kind", flat=True).first()


def _create_one(spec: OrganizationSpec) -> Organization:
    parent = Organization.objects.get(code=spec.parent_code) if spec.parent_code else None
    organization = Organization(
        kind=spec.kind,
        code=spec.code,
        name=spec.name.strip(),
        parent=parent,
        schema_name=schema_name_for_code(spec.code),
    )
    organization.full_clean()
    organization.save()
    Domain.objects.create(domain=spec.code, tenant=organization, is_primary=True)
    organization_bus_keys_create(organization=organization)
    schema_clone(source=TEMPLATE_SCHEMA, target=organization.schema_name)
    return organization


def organization_create(*, kind: str, code: str, name: str, parent_code: str | None = None) -> Organization:
    """Create one organisation with its schema cloned from the migrated template."""
    return organizations_create_many(specs=[OrganizationSpec(kind, code, name, parent_code or None)])[0]


def _remove_created(organizations: list[Organization]) -> None:
    """Undo a partly provisioned batch: children first, each schema dropped with its row."""
    for organization in reversed(organizations):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{organization.schema_name}" CASCADE')
            Organization.objects.filter(pk=organization.pk).delete()


def organizations_create_many(*, specs: Iterable[OrganizationSpec]) -> list[Organization]:
    """All or nothing: every spec is checked first, then each organisation is created in its own
    transaction (one transaction for a whole batch runs out of PostgreSQL's lock table, each cloned
    schema taking hundreds of object locks) and a failure part-way removes what the batch created."""
    specs = list(specs)
    pending: dict[str, OrganizationSpec] = {}
    problems: list[str] = []
    for number, spec in enumerate(specs, start=1):
        for problem in _validate_spec(spec, pending=pending):
            problems.append(
                _("row %(row)d (%(code)s): %(problem)s") % {"row": number, "code": spec.code, "problem": problem}
                if len(specs) > 1
                else problem
            )
        pending[spec.code] = spec
    if problems:
        raise ProvisioningError(problems)
    template_schema_ensure()
    # Parents before children, so a batch may hold a city and its counties.
    depth = {OrganizationKind.PROVINCE: 0, OrganizationKind.CITY: 1, OrganizationKind.COUNTY: 2}
    created: list[Organization] = []
    try:
        for spec in sorted(specs, key=lambda s: depth[s.kind]):
            with transaction.atomic():
                created.append(_create_one(spec))
    except BaseException:
        connection.set_schema_to_public()
        _remove_created(created)
        raise
    connection.set_schema_to_public()
    return created


@dataclass(frozen=True)
class RemoteOrganizationSpec:
    """An organisation of another deployment as its peer describes it (public keys raw, 32 bytes each)."""

    kind: str
    code: str
    name: str
    parent_code: str | None
    signing_public: bytes
    sealing_public: bytes


def _validate_route(route: str) -> list[str]:
    if route not in RemoteRoute.values:
        return [_("unknown route “%(route)s” (use link or bundle)") % {"route": route}]
    return []


@transaction.atomic
def organizations_remote_register(
    *, peer: Peer, specs: Iterable[RemoteOrganizationSpec], route: str
) -> list[Organization]:
    """Add another deployment's organisations to the registry as remote ones: a row with the peer, the
    route and the public keys, no route under /org/, no schema (nothing here creates, migrates or enters
    it). All or nothing; the same checks as provisioning (kind, code, parent), parents before children,
    and a parent may be local or remote."""
    specs = list(specs)
    pending: dict[str, OrganizationSpec] = {}
    problems: list[str] = list(_validate_route(route))
    for number, spec in enumerate(specs, start=1):
        plain = OrganizationSpec(spec.kind, spec.code, spec.name, spec.parent_code or None)
        for problem in _validate_spec(plain, pending=pending):
            problems.append(
                _("row %(row)d (%(code)s): %(problem)s") % {"row": number, "code": spec.code, "problem": problem}
            )
        pending[spec.code] = plain
    if problems:
        raise ProvisioningError(problems)
    depth = {OrganizationKind.PROVINCE: 0, OrganizationKind.CITY: 1, OrganizationKind.COUNTY: 2}
    created = []
    for spec in sorted(specs, key=lambda s: depth[s.kind]):
        organization = Organization(
            kind=spec.kind,
            code=spec.code,
            name=spec.name.strip(),
            parent=Organization.objects.get(code=spec.parent_code) if spec.parent_code else None,
            schema_name=remote_schema_name_for_code(spec.code),
            remote_route=route,
            peer=peer,
        )
        organization.full_clean()
        organization.save()
        organization_public_keys_store(
            organization=organization, signing_public=spec.signing_public, sealing_public=spec.sealing_public
        )
        created.append(organization)
    return created


@transaction.atomic
def organization_remote_route_set(*, code: str, route: str) -> Organization:
    """Change how messages reach a remote organisation (a link set up, or a link given up for bundles)."""
    problems = _validate_route(route)
    organization = Organization.objects.remote().select_for_update().filter(code=code).first()
    if organization is None:
        problems.append(_("no remote organisation with code %(code)s") % {"code": code})
    if problems:
        raise ProvisioningError(problems)
    organization.remote_route = route
    organization.save(update_fields=["remote_route"])
    return organization


def organization_specs_from_file(*, path: Path | str) -> list[OrganizationSpec]:
    """Read organisations from CSV or XLSX with columns kind, code, name, parent_code."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        sheet = load_workbook(path, read_only=True, data_only=True).active
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    elif path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ProvisioningError([_("unsupported file type %(suffix)s (use .csv or .xlsx)") % {"suffix": path.suffix}])
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ProvisioningError([_("the file is empty")])
    header = [cell.lower() for cell in rows[0]]
    missing = [column for column in ("kind", "code", "name") if column not in header]
    if missing:
        raise ProvisioningError([_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)}])

    def cell(row: list[str], column: str) -> str:
        index = header.index(column) if column in header else None
        return row[index] if index is not None and index < len(row) else ""

    return [
        OrganizationSpec(cell(row, "kind"), cell(row, "code"), cell(row, "name"), cell(row, "parent_code") or None)
        for row in rows[1:]
    ]


@functools.cache
def _latest_migrations() -> frozenset[tuple[str, str]]:
    """The newest migration of every app, as this code has them (read from disk once per process)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def schemas_behind(*, schemas: Iterable[str]) -> list[str]:
    """The schemas, among these, that lack a table or a migration this code has: one catalog query and one
    read over all of them, so an up-to-date platform is checked without asking the migrator per schema."""
    schemas = list(schemas)
    if not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid
            WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)""",
            [schemas],
        )
        with_history = [row[0] for row in cursor.fetchall()]
        applied: dict[str, set[tuple[str, str]]] = {schema: set() for schema in with_history}
        if with_history:
            cursor.execute(
                " UNION ALL ".join(
                    f'SELECT %s, app, name FROM "{schema}".django_migrations' for schema in with_history
                ),
                with_history,
            )
            for schema, app, name in cursor.fetchall():
                applied[schema].add((app, name))
    latest = _latest_migrations()
    return [schema for schema in schemas if not latest <= applied.get(schema, set())]


def template_schema_ensure(*, verbosity: int = 0) -> None:
    """Create (if missing) and migrate the template schema new organisations are cloned from; a template
    already at the latest migrations is left alone (running the migrator costs about half a second)."""
    if not schema_exists(TEMPLATE_SCHEMA):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{TEMPLATE_SCHEMA}"')
    if schemas_behind(schemas=[TEMPLATE_SCHEMA]):
        call_command(
            "migrate_schemas", tenant=True, schema_name=TEMPLATE_SCHEMA, interactive=False, verbosity=verbosity
        )
    connection.set_schema_to_public()


def platform_migrate(*, verbosity: int = 1) -> None:
    """Migrate the public schema, the template and every organisation's schema that is behind."""
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
    template_schema_ensure(verbosity=verbosity)
    organizations = list(Organization.objects.local().values_list("schema_name", flat=True))
    for schema in schemas_behind(schemas=organizations):
        call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()
