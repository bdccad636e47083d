from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from shared.accounts.models import User
from shared.apitokens.models import ApiToken
from shared.orgs.models import Organization
from xuncha.api_tokens import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = (
        "API tokens for machine clients: `token create --user U --org CODE --name N [--days D]` prints the token"
        " once; `token list --user U`; `token revoke KEY` (each change is in the organisation's audit log)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token for a member of one organisation")
        create.add_argument("--user", required=True)
        create.add_argument("--org", required=True, help="region code")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--days", type=int, default=None)
        listing = sub.add_parser("list", help="a person's tokens")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="revoke a token by its key (the first characters, as listed)")
        revoke.add_argument("key")

    def handle(self, *args, **options):
        if options["action"] == "revoke":
            token = ApiToken.objects.filter(token_key=options["key"]).select_related("user", "organization").first()
            if token is None:
                raise CommandError(f"no token with key {options['key']}")
            api_token_revoke(token=token, actor=None)
            self.stdout.write(f"revoked {token.token_key} ({token.user.get_username()}, {token.organization.code})")
            return
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']}")
        if options["action"] == "list":
            for token in ApiToken.objects.filter(user=user).select_related("organization"):
                self.stdout.write(f"{token.token_key}  {token.organization.code}  {token.name}  expires {token.expiry}")
            return
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(f"no organisation with code {options['org']}")
        try:
            token, text = api_token_create(
                actor=user, organization=organization, name=options["name"], days=options["days"]
            )
        except PermissionDenied:
            raise CommandError(f"{user.get_username()} is not a member of {organization.code}") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{text}\n(key {token.token_key}, {organization.code}, expires {token.expiry})")
