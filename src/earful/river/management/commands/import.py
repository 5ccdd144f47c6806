import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from earful.river import actions
from earful.river.files import FORMATS, guess_format, parse_mapping

AUTO_WORKERS_BYTES = 4 * 1024 * 1024  # below this, starting worker processes costs more


class Command(BaseCommand):
    help = (
        "Import mentions from a JSONL or CSV file (fields id, url, author, text, title, "
        "published_at, language, parent_id). An interrupted import resumes when run again."
    )
    # Django's system checks import every URL conf, view and API module of the project:
    # ~0.9 s of CPU at start-up that an import never uses (its own errors are reported
    # by the import itself). `earful check` still runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", required=True, help="source name (created if new)")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file suffix")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="read FIELD from COLUMN, e.g. --map text=body --map id=tweet_id",
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes for the pipeline (default: one per CPU for files over 4 MB)",
        )

    def handle(self, *args, path: Path, source: str, format: str | None, **options):
        if not path.exists():
            raise CommandError(f"cannot read {path}: no such file")
        if not path.is_file():
            raise CommandError(f"cannot read {path}: not a file")
        try:
            fmt = format or guess_format(path)
            mapping = parse_mapping(options["map"])
            with path.open("rb"):
                pass
        except (ValueError, OSError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        workers = options["workers"]
        if workers is None:
            workers = (os.cpu_count() or 1) if path.stat().st_size > AUTO_WORKERS_BYTES else 0
        if workers < 0:
            raise CommandError("--workers cannot be negative")

        def reject(line: int, reason: str) -> None:
            self.stdout.write(f"rejected line {line}: {reason}")

        console = Console(stderr=True)
        columns = (
            TextColumn("importing"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rows]} rows"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            bar = progress.add_task("import", total=path.stat().st_size, rows=0)

            def advance(state: actions.ImportProgress) -> None:
                progress.update(bar, completed=state.position, rows=state.rows)

            try:
                report = actions.import_file(
                    source,
                    path,
                    fmt,
                    mapping,
                    batch_size=options["batch_size"],
                    workers=workers,
                    on_progress=advance,
                    on_reject=reject,
                )
            except (ValueError, OSError) as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
        self.stdout.write(str(report))
