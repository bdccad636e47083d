from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from shared.orgs.models import Organization
from tenants.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "The access audit log: `audit verify [--org CODE]` checks the hash chain and reports the first broken link."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the hash chain of one or every organisation")
        verify.add_argument("--org", default=None, help="region code; default: every organisation")

    def handle(self, *args, **options):
        organizations = Organization.objects.order_by("code")
        if options["org"]:
            organizations = organizations.filter(code=options["org"])
            if not organizations.exists():
                raise CommandError(f"no organisation with code {options['org']}")
        broken = []
        for org in organizations:
            with schema_context(org.schema_name):
                report = audit_chain_verify()
            if report.ok:
                self.stdout.write(f"{org.code} ok: {report.rows} row(s), head {report.head_hash}")
            else:
                broken.append(org.code)
                self.stdout.write(
                    f"{org.code} BROKEN at row {report.broken_at}: {report.reason} "
                    f"({report.rows} row(s) verified before it)"
                )
        if broken:
            raise CommandError(f"audit chain broken in {', '.join(broken)}")
