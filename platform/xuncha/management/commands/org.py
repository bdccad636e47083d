from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shared.orgs.models import Organization, OrganizationKind
from shared.orgs.services import organization_create, organization_specs_from_file, organizations_create_many


class Command(BaseCommand):
    help = "Manage organisations (tenants): create one, import many from CSV/XLSX, list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create one organisation with its schema")
        create.add_argument("--kind", required=True, choices=[k.value for k in OrganizationKind])
        create.add_argument("--code", required=True, help="six-digit region code, e.g. 410621")
        create.add_argument("--name", required=True)
        create.add_argument("--parent", default=None, help="region code of the parent organisation")
        bulk = sub.add_parser("import", help="create organisations from a .csv/.xlsx (kind, code, name, parent_code)")
        bulk.add_argument("path")
        sub.add_parser("list", help="list organisations")

    def handle(self, *args, **options):
        try:
            if options["action"] == "create":
                org = organization_create(
                    kind=options["kind"], code=options["code"], name=options["name"], parent_code=options["parent"]
                )
                self.stdout.write(f"created {org.kind} {org.code} {org.name} (schema {org.schema_name}, {org.route})")
            elif options["action"] == "import":
                created = organizations_create_many(specs=organization_specs_from_file(path=options["path"]))
                for org in created:
                    self.stdout.write(f"created {org.kind} {org.code} {org.name}")
                self.stdout.write(f"{len(created)} organisation(s) created")
            else:
                for org in Organization.objects.select_related("parent", "peer"):
                    parent = org.parent.code if org.parent else "-"
                    where = f"remote ({org.remote_route}, {org.peer})" if org.is_remote else org.schema_name
                    self.stdout.write(f"{org.code}\t{org.kind}\t{parent}\t{where}\t{org.name}")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
