import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earful.inbox.agreement import agreement
from earful.river.pipeline.sentiment import LABELS, get_engine
from earful.river.pipeline.sentiment.evaluation import read_tweeteval_val, score, shared_data_dir


class Command(BaseCommand):
    help = (
        "How good the sentiment engine is. With --corrections: against the people who "
        "corrected or confirmed labels in the inbox; otherwise on the TweetEval validation "
        "split (../shared/data or --data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corrections", action="store_true", help="score against people")
        parser.add_argument("--data", help="folder holding tweeteval-sentiment/ (default: shared)")
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args, **options):
        if options["corrections"]:
            found = agreement()
            result = {
                "reviewed": found.reviewed,
                "corrected": found.corrected,
                "agreement": None if found.rate is None else round(found.rate, 4),
            }
            scores = found.scores
        else:
            folder = options["data"] or shared_data_dir()
            try:
                texts, gold = read_tweeteval_val(Path(folder))
            except OSError as exc:
                raise CommandError(f"cannot read the TweetEval split in {folder}: {exc}") from exc
            predicted = [label for label, _ in get_engine().analyse(texts)]
            scores = score(gold, predicted)
            result = {"texts": len(texts)}
        if scores is not None:
            result.update(
                macro_recall=round(scores.macro_recall, 4),
                macro_f1=round(scores.macro_f1, 4),
                accuracy=round(scores.accuracy, 4),
                confusion={
                    gold: dict(zip(LABELS, row, strict=True))
                    for gold, row in zip(LABELS, scores.confusion, strict=True)
                },
            )
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self._print(result, options["corrections"])

    def _print(self, result: dict, corrections: bool) -> None:
        if corrections:
            if not result["reviewed"]:
                self.stdout.write(
                    "Nobody has reviewed a label yet: correct sentiments or mark inbox items "
                    "done, then ask again."
                )
                return
            self.stdout.write(
                f"{result['reviewed']} mentions reviewed by people, {result['corrected']} "
                f"corrected: the engine agreed with people on {result['agreement']:.1%}."
            )
        else:
            self.stdout.write(f"{result['texts']} TweetEval validation texts.")
        self.stdout.write(
            f"macro recall {result['macro_recall']:.3f}  macro F1 {result['macro_f1']:.3f}  "
            f"accuracy {result['accuracy']:.3f}"
        )
        self.stdout.write("people \\ engine   " + "  ".join(f"{label:>8}" for label in LABELS))
        for gold, row in result["confusion"].items():
            self.stdout.write(f"{gold:<16}  " + "  ".join(f"{row[p]:>8}" for p in LABELS))
