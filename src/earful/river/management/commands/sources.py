from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from rich.console import Console
from rich.table import Table

from earful.river import actions
from earful.river.models import Source

# What the positional TARGET of `sources add KIND TARGET` means for each kind.
TARGET_FIELD = {
    "feed": "url",
    "mastodon": "instance",
    "bluesky": "query",
    "hackernews": "query",
    "reddit": "query",
}


class Command(BaseCommand):
    help = (
        "Sources to listen to: `sources add feed URL [--name N] [--every MINUTES]`, "
        "`sources add mastodon https://instance --set hashtag=acme`, `sources list`."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="add a polled source")
        add.add_argument("kind", choices=sorted(TARGET_FIELD))
        add.add_argument("target", help="feed URL, Mastodon instance URL, or search query")
        add.add_argument("--name", help="default: the target")
        add.add_argument("--every", type=int, default=None, metavar="MINUTES")
        add.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="more connector settings, e.g. hashtag=acme, account=user, subreddit=x",
        )
        commands.add_parser("list", help="list sources with their health")

    def handle(self, *args, action: str, **options):
        if action == "add":
            return self.add(**options)
        table = Table("name", "kind", "every", "mentions", "last ok", "last error")
        sources = Source.objects.annotate(n=Count("mentions")).order_by("name")
        for source in sources:
            table.add_row(
                source.name,
                source.kind,
                f"{source.poll_every_minutes} min" if source.poll_every_minutes else "-",
                str(source.n),
                _when(source.last_ok_at),
                f"{_when(source.last_error_at)} {source.last_error[:60]}".strip()
                if source.last_error_at
                else "",
            )
        Console(file=self.stdout._out, width=160).print(table)

    def add(self, kind: str, target: str, name: str | None, every: int | None, **options):
        config = {TARGET_FIELD[kind]: target}
        for pair in options["set"]:
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise CommandError(f"--set expects KEY=VALUE, got {pair!r}")
            config[key.strip()] = value.strip()
        try:
            source = actions.create_source(kind, name or target, config, every)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"source {source.name!r} ({source.kind}) added, "
            f"polled every {source.poll_every_minutes} minutes"
        )


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"
