from django.core.management.base import BaseCommand
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from earful.events.models import Announcement
from earful.events.sending import send_due_announcements


class Command(BaseCommand):
    help = "Tours: `tours send` sends the announcements that are due now; `tours due` lists them."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("send", help="send every announcement that is due, now")
        upcoming = commands.add_parser("due", help="announcements not sent yet, soonest first")
        upcoming.add_argument("--limit", type=int, default=50)

    def handle(self, *args, command: str, **options):
        getattr(self, f"_{command}")(options)

    def _send(self, options) -> None:
        tried = send_due_announcements()
        for announcement in tried:
            where = announcement.remote_url or announcement.last_error or ""
            self.stdout.write(
                f"{announcement.get_state_display().upper():<20} #{announcement.pk} "
                f"{announcement.stop.venue} on {announcement.channel.name} "
                f"(attempt {announcement.attempts}) {where}".rstrip()
            )
        states = [a.state for a in tried]
        self.stdout.write(
            f"tried={len(tried)} sent={states.count('sent')} failed={states.count('failed')} "
            f"gave_up={states.count('gave_up')}"
        )

    def _due(self, options) -> None:
        now = timezone.now()
        table = Table("when (UTC)", "tour", "stop", "channel", "state", "attempts")
        unsent = (
            Announcement.objects.filter(state__in=["scheduled", "failed", "sending"])
            .select_related("stop__tour", "channel")
            .order_by("send_at", "id")[: options["limit"]]
        )
        for a in unsent:
            when = f"{a.send_at:%Y-%m-%d %H:%M}" + (" (due)" if a.send_at <= now else "")
            table.add_row(
                when, a.stop.tour.title, a.stop.venue, a.channel.name, a.state, str(a.attempts)
            )
        Console(file=self.stdout._out, width=140).print(table)
