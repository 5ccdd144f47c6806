import json

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from earful.river.stats import totals


class Command(BaseCommand):
    help = "Totals by sentiment, source, topic and language, and duplicate clusters."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        data = totals()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        console = Console(file=self.stdout._out, width=120)
        console.print(
            f"{data['mentions']} mentions, {data['authors']} authors, "
            f"{data['duplicate_clusters']['clusters']} duplicate clusters "
            f"({data['duplicate_clusters']['duplicates']} duplicates)"
        )
        for title in ("by_sentiment", "by_source", "by_topic", "by_language"):
            table = Table(title.replace("_", " "), "mentions")
            for key, count in data[title].items():
                table.add_row(key, str(count))
            console.print(table)
