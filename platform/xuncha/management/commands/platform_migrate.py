from django.core.management.base import BaseCommand

from shared.orgs.services import platform_migrate


class Command(BaseCommand):
    help = "Migrate the public schema, the organisation template schema and every organisation's schema."

    def handle(self, *args, **options):
        platform_migrate(verbosity=options["verbosity"])
