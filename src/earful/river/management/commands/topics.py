from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from rich.console import Console
from rich.table import Table

from earful.river import actions
from earful.river.models import MentionTopic, Topic


class Command(BaseCommand):
    help = "Saved topics: `topics add NAME QUERY [--kind K]`, `topics list`."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="save a topic with its boolean query")
        add.add_argument("name")
        add.add_argument("query")
        add.add_argument("--kind", choices=Topic.Kind.values, default=Topic.Kind.THEME)
        add.add_argument("--colour", default="")
        add.add_argument(
            "--tag-existing",
            action="store_true",
            help="also tag the mentions already stored that match the query",
        )
        commands.add_parser("list", help="list saved topics")

    def handle(self, *args, action: str, **options):
        if action == "add":
            try:
                topic = actions.add_topic(
                    options["name"], options["query"], options["kind"], options["colour"]
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            tagged = actions.tag_existing(topic) if options["tag_existing"] else None
            suffix = f", {tagged} stored mentions tagged" if tagged is not None else ""
            self.stdout.write(f"topic {topic.name!r} ({topic.kind}) saved{suffix}")
            return
        table = Table("name", "kind", "query", "mentions")
        per_topic = MentionTopic.objects.values_list("topic_id").annotate(n=Count("id"))
        counts = dict(per_topic.order_by())
        for topic in Topic.objects.order_by("kind", "name"):
            table.add_row(topic.name, topic.kind, topic.query, str(counts.get(topic.id, 0)))
        Console(file=self.stdout._out, width=160).print(table)
