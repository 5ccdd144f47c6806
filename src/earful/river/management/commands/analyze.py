import json
import sys
from itertools import islice

from django.core.management.base import BaseCommand

from earful.river.analysis import analyse_texts


class Command(BaseCommand):
    help = (
        "Analyse text without storing it: one text per line on stdin, one JSON object per "
        "line on stdout (sentiment, score, language, spam)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        lines = (raw.decode("utf-8", "replace").rstrip("\r\n") for raw in sys.stdin.buffer)
        out = sys.stdout
        while batch := list(islice(lines, max(1, batch_size))):
            for result in analyse_texts(batch):
                out.write(json.dumps(result, ensure_ascii=False))
                out.write("\n")
        out.flush()
