import json
import os
import sys
from itertools import islice

from django.core.management.base import BaseCommand, CommandError

from earful.river.analysis import analyse_batches


class Command(BaseCommand):
    help = (
        "Analyse text without storing it: one text per line on stdin, one JSON object per "
        "line on stdout (sentiment, score, language, spam)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes for long inputs (default: one per CPU; 0 for none)",
        )

    def handle(self, *args, batch_size: int, workers: int, **options):
        if batch_size < 1 or workers < 0:
            raise CommandError("--batch-size must be at least 1 and --workers at least 0")
        lines = (raw.decode("utf-8", "replace").rstrip("\r\n") for raw in sys.stdin.buffer)
        batches = iter(lambda: list(islice(lines, batch_size)), [])
        out = sys.stdout
        for results in analyse_batches(batches, workers if workers > 1 else 0):
            out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
        out.flush()
