import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from earful.river.query import QuerySyntaxError
from earful.river.search import search
from earful.river.serialise import mention_json


class Command(BaseCommand):
    help = (
        'Search stored mentions with the boolean query language: AND OR NOT, "phrases", '
        "wildcard*, a NEAR/5 b, author: site: lang: source:"
    )

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--offset", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="one JSON object per line")

    def handle(self, *args, query: str, limit: int, offset: int, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        try:
            mentions = search(query, limit=limit, offset=max(0, offset))
        except QuerySyntaxError as exc:
            raise CommandError(f"invalid query: {exc}") from exc
        if options["json"]:
            for row in mention_json(mentions):
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        table = Table("id", "published", "source", "author", "sentiment", "text")
        for row in mention_json(mentions):
            text = row["text"].replace("\n", " ")
            table.add_row(
                str(row["id"]),
                (row["published_at"] or "")[:16],
                row["source"],
                row["author"] or "",
                row["sentiment"],
                text[:120] + ("…" if len(text) > 120 else ""),
            )
        Console(file=self.stdout._out, width=160).print(table)
        self.stdout.write(f"{len(mentions)} shown")
