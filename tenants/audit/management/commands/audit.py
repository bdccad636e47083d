from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from tenants.audit.anchors import audit_anchors_read
from tenants.audit.rekey import RekeyRefused, audit_rekey
from tenants.audit.roles import app_role_grant
from tenants.audit.selectors import audit_anchors_held_by_parent, audit_chain_verify
from tenants.audit.services import audit_checkpoint


class Command(BaseCommand):
    help = (
        "The access audit log: `audit verify [--org CODE]` checks the keyed chain against its checkpoints (the"
        " checkpoint file's and those the parent organisation received over the bus) and reports the first break;"
        " `audit checkpoint [--org CODE]` anchors each intact chain's head outside the database (file and parent);"
        " `audit rekey [--org CODE] [--old-key-file F] [--legacy]` re-hashes rows written before the key existed"
        " (--legacy) or under the old key under the current one and records a signed rekey checkpoint;"
        " `audit grant-app-role ROLE` gives the application's database role its privileges."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("verify", "verify the chain of one or every organisation"),
            ("checkpoint", "verify, then anchor the head of one or every organisation's chain"),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument("--org", default=None, help="region code; default: every organisation")
        rekey = sub.add_parser(
            "rekey", help="re-hash rows written before the key existed or under an old key under the current key"
        )
        rekey.add_argument("--org", default=None, help="region code; default: every organisation")
        rekey.add_argument("--old-key-file", default=None, help="a file holding the previous XUNCHA_AUDIT_KEY")
        rekey.add_argument(
            "--legacy", action="store_true", help="accept unkeyed rows at the start (written before the key existed)"
        )
        grant = sub.add_parser(
            "grant-app-role", help="as the owner: give the application's role its privileges (audit: SELECT, INSERT)"
        )
        grant.add_argument("role", help="the PostgreSQL role the application connects as")

    def handle(self, *args, **options):
        if options["action"] == "grant-app-role":
            schemas = app_role_grant(role=options["role"])
            self.stdout.write(f"{options['role']}: privileges granted in {len(schemas)} schema(s)")
            return
        organizations = Organization.objects.local().order_by("code")
        if options["org"]:
            organizations = organizations.filter(code=options["org"])
            if not organizations.exists():
                raise CommandError(f"no organisation with code {options['org']}")
        if options["action"] == "rekey":
            self._rekey(organizations, options)
            return
        broken = []
        for org in organizations:
            with schema_context(org.schema_name):
                if options["action"] == "checkpoint":
                    report = audit_checkpoint()
                    held = audit_anchors_held_by_parent(organization_code=org.code)
                else:
                    held = audit_anchors_held_by_parent(organization_code=org.code)
                    report = audit_chain_verify(anchors=audit_anchors_read(organization_code=org.code) + (held or []))
            at_parent = f"{len(held)} held by the parent" if held is not None else "none at a parent in this database"
            if report.ok:
                self.stdout.write(
                    f"{org.code} ok: {report.rows} row(s), head {report.head_hash}, checkpoint at row {report.anchored}"
                    f" (checkpoints: {at_parent})"
                )
            else:
                broken.append(org.code)
                self.stdout.write(
                    f"{org.code} BROKEN at row {report.broken_at}: {report.reason} "
                    f"({report.rows} row(s) verified before it)"
                )
        if broken:
            raise CommandError(f"audit chain broken in {', '.join(broken)}")

    def _rekey(self, organizations, options) -> None:
        old_key = None
        if options["old_key_file"]:
            old_key = Path(options["old_key_file"]).read_text(encoding="utf-8").strip().encode("utf-8")
        refused = []
        for org in organizations:
            with schema_context(org.schema_name):
                try:
                    report = audit_rekey(old_key=old_key, legacy=options["legacy"])
                except RekeyRefused as error:
                    refused.append(org.code)
                    self.stdout.write(f"{org.code} NOT rekeyed: {error}")
                    continue
            counts = ", ".join(f"{name} {n}" for name, n in report.schemes.items() if n)
            if report.rekeyed_at is None:
                self.stdout.write(
                    f"{org.code} ok: {report.rows} row(s), all under the current key ({counts or 'none'})"
                )
            else:
                self.stdout.write(
                    f"{org.code} rekeyed: rows 1 to {report.rows} ({counts}) re-hashed under the current key;"
                    f" rekey checkpoint at row {report.rekeyed_at}"
                )
        if refused:
            raise CommandError(f"audit chain not rekeyed in {', '.join(refused)}")
