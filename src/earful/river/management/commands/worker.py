import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from earful.blog.tasks import enqueue_blog_work
from earful.board.tasks import enqueue_board_work
from earful.community.tasks import enqueue_community_work
from earful.events.tasks import enqueue_events_work
from earful.inbox.tasks import enqueue_alert_checks
from earful.river.tasks import enqueue_due_polls

log = logging.getLogger("earful.worker")


class Scheduler(threading.Thread):
    """Every `every` seconds: queues a poll for each source whose interval has come round,
    an alert check every few minutes, the blog's scheduled posts and linkback retries, the
    board's notice retries and the community's badge rounds."""

    def __init__(self, every: float) -> None:
        super().__init__(name="earful-scheduler", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                enqueue_due_polls()
                enqueue_alert_checks()
                enqueue_blog_work()
                enqueue_board_work()
                enqueue_community_work()
                enqueue_events_work()
            except Exception:  # a database hiccup must not kill the scheduler
                log.exception("scheduling failed")
            finally:
                connection.close()
            self.stopped.wait(self.every)


class Command(BaseCommand):
    help = (
        "Run the background worker: schedules source polls on their intervals and runs "
        "queued tasks. Run as many as you like; each task goes to one worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between checks")
        parser.add_argument("--schedule-every", type=float, default=30.0)
        parser.add_argument(
            "--once",
            action="store_true",
            help="queue what is due, run every queued task, then exit",
        )
        parser.add_argument("--no-scheduler", action="store_true")

    def handle(self, *args, interval: float, schedule_every: float, once: bool, **options):
        if once:
            queued = enqueue_due_polls()
            enqueue_alert_checks(every=0)
            enqueue_blog_work()
            enqueue_board_work()
            enqueue_community_work(force=True)
            enqueue_events_work()
            self.stdout.write(f"queued {queued} poll(s) and an alert check")
            call_command("db_worker", batch=True, interval=0, startup_delay=False)
            return
        scheduler = None
        if not options["no_scheduler"]:
            scheduler = Scheduler(schedule_every)
            scheduler.start()
        try:
            call_command("db_worker", interval=interval)
        finally:
            if scheduler is not None:
                scheduler.stopped.set()
