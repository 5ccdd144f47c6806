from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from earful.accounts.actions import demo_logins
from earful.blog.demo import seed_blog
from earful.board.demo import seed_board
from earful.community.demo import seed_community
from earful.events.demo import seed_tours
from earful.river.demo.generator import DEFAULT_SEED, MAX_MENTIONS
from earful.river.demo.seeding import DEFAULT_MENTIONS, DemoError, seed_demo


class Command(BaseCommand):
    help = (
        "Seed demo data: a fictional gadget maker, its rivals, topics and a few thousand "
        "mentions over the last 60 days. Running it again with the same seed adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mentions",
            type=int,
            default=DEFAULT_MENTIONS,
            help=f"how many mentions to generate (default {DEFAULT_MENTIONS})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed; the same seed gives the same mentions (default {DEFAULT_SEED})",
        )

    def handle(self, *args, **options):
        mentions, seed = options["mentions"], options["seed"]
        if not 0 <= mentions <= MAX_MENTIONS:
            raise CommandError(f"--mentions must be between 0 and {MAX_MENTIONS}")
        if seed < 0:
            raise CommandError("--seed must be zero or a positive whole number")
        try:
            report = seed_demo(mentions, seed)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        console = Console(file=self.stdout._out, width=100)
        table = Table("source", "generated", "new", "already there", "rejected")
        for line in report.channels:
            table.add_row(
                line.source,
                str(line.generated),
                str(line.imported),
                str(line.duplicates),
                str(line.rejected),
            )
        console.print(table)
        console.print(
            f"{report.imported} new mentions, {report.duplicates} already there; "
            f"{report.sources_created} sources and {report.topics_created} topics created."
        )
        password, users = demo_logins(settings.DATA_DIR / "demo-password")
        blog = seed_blog()
        admin = get_user_model().objects.get(username="admin")
        board = seed_board(admin)
        community = seed_community(admin)
        tours = seed_tours()
        console.print(
            f"Blog: {blog['posts']} posts and {blog['comments']} comments added "
            "(http://127.0.0.1:8000/blog/)."
        )
        console.print(
            f"Ideas board: {board['ideas']} ideas and {board['votes']} votes added "
            "(http://127.0.0.1:8000/ideas/)."
        )
        console.print(
            f"Community: {community['questions']} questions, {community['answers']} answers "
            f"and {community['votes']} votes added (http://127.0.0.1:8000/community/)."
        )
        console.print(
            f"Tours: {tours['stops']} stops, {tours['feedback']} feedback messages and "
            f"{tours['updates']} live updates added (http://127.0.0.1:8000/tours/)."
        )
        console.print(
            "Log in at http://127.0.0.1:8000/console/ as "
            + ", ".join(f"[bold]{name}[/bold] ({role})" for name, role in users.items())
            + f" with the password [bold]{password}[/bold] "
            f"(kept in {settings.DATA_DIR / 'demo-password'})."
        )
