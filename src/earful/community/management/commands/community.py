from bisect import bisect_right

from django.core.management.base import BaseCommand
from django.db.models import Sum
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from earful.community.actions.reputation import recount
from earful.community.badges import award_badges
from earful.community.models import Level, Member, ReputationEvent

BATCH = 2000


class Command(BaseCommand):
    help = (
        "The support community: `community badges` (award the badges earned now), "
        "`community recount [--dry-run]` (set every member's points and level from the "
        "reputation ledger, listing each member whose figures were wrong)."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("badges", help="award every badge its rule gives now")
        recount_ = commands.add_parser(
            "recount", help="rebuild members' points and levels from the ledger"
        )
        recount_.add_argument(
            "--dry-run", action="store_true", help="only list the differences, change nothing"
        )

    def handle(self, *args, command: str, **options):
        getattr(self, f"_{command}")(options)

    def _badges(self, options) -> None:
        awarded = award_badges()
        for slug, count in sorted(awarded.new.items()):
            self.stdout.write(f"{slug}: {count} new")
        for slug in awarded.unknown_rules:
            self.stderr.write(f"badge {slug!r} has a rule this version does not know; skipped")
        self.stdout.write(f"awarded={awarded.total}")

    def _recount(self, options) -> None:
        dry_run = options["dry_run"]
        levels = list(Level.objects.order_by("threshold").values_list("threshold", "number"))
        thresholds = [threshold for threshold, _ in levels]

        def level_of(points: int) -> int:
            place = bisect_right(thresholds, points)
            return levels[place - 1][1] if place else 0

        # Users with a member row, and any with ledger lines but no row (recount makes one).
        user_ids = sorted(
            set(Member.objects.values_list("user_id", flat=True))
            | set(ReputationEvent.objects.values_list("user_id", flat=True).distinct())
        )
        changed = 0
        console = Console(file=self.stderr._out)
        columns = (TextColumn("recount"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            bar = progress.add_task("members", total=len(user_ids))
            for start in range(0, len(user_ids), BATCH):
                chunk = user_ids[start : start + BATCH]
                sums = dict(
                    ReputationEvent.objects.filter(user_id__in=chunk)
                    .values("user_id")
                    .annotate(total=Sum("points"))
                    .values_list("user_id", "total")
                )
                members = {
                    m.user_id: m
                    for m in Member.objects.filter(user_id__in=chunk).select_related("user")
                }
                for user_id in chunk:
                    total = sums.get(user_id) or 0
                    member = members.get(user_id)
                    points, level = (member.points, member.level) if member else (0, 0)
                    if (points, level) != (total, level_of(total)):
                        changed += 1
                        if member is None:
                            member = Member(user_id=user_id)
                        name = member.user.get_username()
                        self.stdout.write(
                            f"{name}: points {points} -> {total}, "
                            f"level {level} -> {level_of(total)}"
                        )
                        if not dry_run:
                            recount(member.user)
                    progress.advance(bar)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"members={len(user_ids)} {verb}={changed}")
