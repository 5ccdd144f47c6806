from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from earful.accounts.actions import set_roles
from earful.accounts.roles import ROLES


class Command(BaseCommand):
    help = (
        "Console roles: `roles list`, `roles set USER ROLE [ROLE ...]` (no role: none). "
        f"Roles: {', '.join(ROLES)}."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("list", help="every user and their roles")
        set_ = commands.add_parser("set", help="give a user exactly these roles")
        set_.add_argument("user")
        set_.add_argument("roles", nargs="*", metavar="ROLE")

    def handle(self, *args, command: str, **options):
        users = get_user_model().objects.order_by("username").prefetch_related("groups")
        if command == "list":
            for user in users:
                roles = sorted(g.name for g in user.groups.all() if g.name in ROLES)
                extra = " (superuser)" if user.is_superuser else ""
                self.stdout.write(f"{user.get_username()}: {', '.join(roles) or '-'}{extra}")
            return
        user = users.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"there is no user {options['user']!r}")
        try:
            set_roles(user, options["roles"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{user.get_username()}: {', '.join(options['roles']) or 'no role'}")
