from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from earful.accounts import actions
from earful.accounts.models import ApiToken


class Command(BaseCommand):
    help = "API tokens: `tokens add NAME [--user U]`, `tokens list`, `tokens revoke PREFIX`."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="create a token; it is shown once")
        add.add_argument("name")
        add.add_argument("--user", default="api", help="owner (created if new); default: api")
        commands.add_parser("list")
        revoke = commands.add_parser("revoke")
        revoke.add_argument("prefix", help="the token's first characters, as listed")

    def handle(self, *args, action: str, **options):
        if action == "add":
            try:
                user = actions.api_user(options["user"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            token, plain = actions.create_api_token(user, options["name"])
            self.stderr.write(f"token {token.name!r} for {user}; it will not be shown again:")
            self.stdout.write(plain)
        elif action == "list":
            table = Table("prefix", "name", "user", "created", "last used", "revoked")
            for token in ApiToken.objects.select_related("user").order_by("created_at"):
                table.add_row(
                    token.prefix,
                    token.name,
                    str(token.user),
                    f"{token.created_at:%Y-%m-%d}",
                    f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "-",
                    f"{token.revoked_at:%Y-%m-%d}" if token.revoked_at else "",
                )
            Console(file=self.stdout._out, width=140).print(table)
        else:
            tokens = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            if not tokens.exists():
                raise CommandError(f"no active token starts with {options['prefix']!r}")
            revoked = list(tokens)
            for token in revoked:
                actions.revoke_api_token(token)
            self.stdout.write(f"revoked {len(revoked)} token(s)")
