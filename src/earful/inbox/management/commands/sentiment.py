import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from earful.inbox import sentiment_learning
from earful.river.pipeline.sentiment.adjustment import DEFAULT_STRENGTH


class Command(BaseCommand):
    help = (
        "Sentiment learnt from the team: `sentiment learn` fits the installation's "
        "adjustment on people's corrections and confirmations, and reports agreement before "
        "and after on the ones it held back."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        learn = commands.add_parser("learn", help="fit the adjustment on people's labels")
        learn.add_argument(
            "--holdout", type=float, default=0.2, help="fraction held back to measure (0.2)"
        )
        learn.add_argument("--dry-run", action="store_true", help="measure, write nothing")
        learn.add_argument(
            "--force", action="store_true", help="write even if it did worse on held-back labels"
        )
        learn.add_argument(
            "--strength",
            type=float,
            default=DEFAULT_STRENGTH,
            help=f"pull toward the shipped models ({DEFAULT_STRENGTH})",
        )
        learn.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args, command: str, **options):
        getattr(self, f"_{command}")(options)

    def _learn(self, options) -> None:
        if not 0 <= options["holdout"] < 1:
            raise CommandError("--holdout must be at least 0 and below 1")
        if options["strength"] <= 0:
            raise CommandError("--strength must be positive")
        quiet = options["json"]
        console = Console(file=self.stderr._out, width=100, quiet=quiet)
        try:
            with console.status("learning") as status:

                def progress(step: str) -> None:
                    status.update(f"fitting: {step}")

                report = sentiment_learning.learn(
                    holdout=options["holdout"],
                    dry_run=options["dry_run"],
                    force=options["force"],
                    strength=options["strength"],
                    progress=progress,
                )
        except sentiment_learning.TooFewExamples as error:
            raise CommandError(str(error)) from None
        result = report.as_dict()
        if quiet:
            self.stdout.write(json.dumps(result))
            return
        out = Console(file=self.stdout._out, width=100)
        table = Table("language", "labels", "corrected", "held back", "before", "after")
        for code, counts in result["languages"].items():
            found = result["per_language"].get(code, {})
            table.add_row(
                code, str(counts.get("examples", 0)), str(counts.get("corrected", 0)),
                str(counts.get("held_out", 0)),
                f"{found['before_accuracy']:.1%}" if found else "-",
                f"{found['after_accuracy']:.1%}" if found else "-",
            )  # fmt: skip
        out.print(table)
        before, after = result["before"], result["after"]
        if before and after:
            self.stdout.write(
                f"On {result['held_out']} held-back labels: agreement "
                f"{before['accuracy']:.1%} -> {after['accuracy']:.1%}, macro F1 "
                f"{before['macro_f1']:.3f} -> {after['macro_f1']:.3f} (shipped models -> "
                "with the adjustment)."
            )
        else:
            self.stdout.write("Nothing held back: no before/after measure.")
        if result["kept_out"]:
            self.stdout.write(f"Kept the shipped models: {result['kept_out']}.")
        elif result["written"]:
            self.stdout.write(
                f"Fitted on all {result['examples']} labels; written to {result['written']}."
            )
        else:
            self.stdout.write("Dry run: nothing written.")
