from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from earful.inbox import actions
from earful.inbox.models import Alert, AlertRule
from earful.river.models import Topic


class Command(BaseCommand):
    help = "Alert rules: `alerts check` (now, by hand), `alerts list`, `alerts add NAME ...`."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("check", help="check every enabled rule now and deliver alerts")
        commands.add_parser("list", help="the rules and their latest alerts")
        add = commands.add_parser("add", help="a new rule")
        add.add_argument("name")
        add.add_argument("--topic", help="topic name (default: every mention)")
        add.add_argument("--query", default="", help="a search query instead of, or within, it")
        add.add_argument("--metric", choices=AlertRule.Metric.values, default="volume")
        add.add_argument("--bucket", choices=AlertRule.Bucket.values, default="hour")
        add.add_argument("--window", type=int, help="buckets of baseline (168 hourly, 28 daily)")
        add.add_argument("--sigmas", type=float, default=3.0)
        add.add_argument("--min-count", type=int, default=10)
        add.add_argument("--cooldown", type=int, default=360, help="minutes between alerts")
        add.add_argument("--email", default="", help="comma-separated addresses")
        add.add_argument("--webhook", default="", help="URL receiving signed JSON")

    def handle(self, *args, command: str, **options):
        getattr(self, f"_{command}")(options)

    def _check(self, options) -> None:
        fired = actions.check_alerts()
        for alert in fired:
            self.stdout.write(
                f"FIRED {alert.rule.name}: {alert.value:g} at {alert.bucket_start:%Y-%m-%d %H:%M}"
                f" (threshold {alert.threshold:.2f}); e-mail {alert.email_status or '-'}; "
                f"webhook {alert.webhook_status or '-'}"
            )
        checked = AlertRule.objects.filter(enabled=True).count()
        self.stdout.write(f"checked={checked} fired={len(fired)}")

    def _list(self, options) -> None:
        table = Table("rule", "watches", "metric", "bucket", "last fired", "alerts")
        for rule in AlertRule.objects.select_related("topic"):
            watches = rule.topic.name if rule.topic_id else "everything"
            if rule.query:
                watches += f" matching {rule.query}"
            table.add_row(
                rule.name, watches, rule.metric, rule.bucket,
                f"{rule.last_fired_at:%Y-%m-%d %H:%M}" if rule.last_fired_at else "never",
                str(Alert.objects.filter(rule=rule).count()),
            )  # fmt: skip
        Console(file=self.stdout._out, width=120).print(table)

    def _add(self, options) -> None:
        topic = None
        if options["topic"]:
            topic = Topic.objects.filter(name=options["topic"]).first()
            if topic is None:
                raise CommandError(f"there is no topic named {options['topic']!r}")
        try:
            rule = actions.create_alert_rule(
                options["name"], topic=topic, query=options["query"], metric=options["metric"],
                bucket=options["bucket"], window=options["window"], sigmas=options["sigmas"],
                min_count=options["min_count"], cooldown_minutes=options["cooldown"],
                email_to=options["email"], webhook_url=options["webhook"],
            )  # fmt: skip
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"added alert rule {rule.name!r}")
        if rule.webhook_secret:
            self.stdout.write(f"webhook signing secret: {rule.webhook_secret}")
