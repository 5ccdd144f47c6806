from django.core.management.base import BaseCommand, CommandError

from earful.river import actions
from earful.river.models import Source


class Command(BaseCommand):
    help = "Poll polled sources once, now (all enabled ones, or the one named)."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="the source name")

    def handle(self, *args, source: str | None, **options):
        sources = Source.objects.filter(kind__in=Source.POLLED_KINDS)
        if source:
            sources = sources.filter(name=source)
            if not sources.exists():
                raise CommandError(f"no polled source named {source!r}")
        else:
            sources = sources.filter(enabled=True)
        failed = 0
        for item in sources.order_by("name"):
            report = actions.poll_source(item)
            item.refresh_from_db()
            if item.last_error_at and item.last_error_at == item.last_polled_at:
                failed += 1
                self.stdout.write(f"{item.name}: error: {item.last_error}")
                continue
            self.stdout.write(f"{item.name}: {report}")
            for reason in report.errors[:10]:
                self.stdout.write(f"  skipped: {reason}")
        if failed and source:
            raise CommandError(f"polling {source!r} failed")
