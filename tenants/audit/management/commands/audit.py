from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from tenants.audit.anchors import audit_anchors_read
from tenants.audit.roles import app_role_grant
from tenants.audit.selectors import audit_anchors_held_by_parent, audit_chain_verify
from tenants.audit.services import audit_checkpoint


class Command(BaseCommand):
    help = (
        "The access audit log: `audit verify [--org CODE]` checks the keyed chain against its checkpoints (the"
        " checkpoint file's and those the parent organisation received over the bus) and reports the first break;"
        " `audit checkpoint [--org CODE]` anchors each intact chain's head outside the database (file and parent);"
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
