from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from earful.river.models import Mention, Topic


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Triage(models.Model):
    """A mention in the inbox: it needs an answer, or someone took it in by hand."""

    class Status(models.TextChoices):
        NEW = "new"
        OPEN = "open"
        DONE = "done"
        IGNORED = "ignored"

    mention = models.OneToOneField(Mention, on_delete=models.CASCADE, related_name="triage")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    negative = models.BooleanField(default=False)
    question = models.BooleanField(default=False)
    high_reach = models.BooleanField(default=False)
    # Copied from the mention and its author, so the queue sorts without joins.
    published_at = models.DateTimeField()
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_triage",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="triage")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["status", "published_at"], name="inbox_triage_queue"),
            models.Index(fields=["assignee", "status"], name="inbox_triage_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.status}: mention {self.mention_id}"

    @property
    def reasons(self) -> list[str]:
        flags = {"negative": self.negative, "question": self.question, "reach": self.high_reach}
        return [name for name, on in flags.items() if on]


class Note(models.Model):
    """An internal note on an inbox item; never shown outside the console."""

    triage = models.ForeignKey(Triage, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Reply(models.Model):
    """An answer to a mention: published on an owned channel, or recorded after the
    responder answered on the external site."""

    triage = models.ForeignKey(Triage, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField()
    published = models.BooleanField(default=False)
    published_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "replies"

    def __str__(self) -> str:
        return self.text[:80]


class LabelCorrection(models.Model):
    """A person's correction of a machine label, kept with who and when. The mention
    itself carries the corrected label, so it holds everywhere."""

    class Kind(models.TextChoices):
        SENTIMENT = "sentiment"
        TOPIC_ADDED = "topic_added"
        TOPIC_REMOVED = "topic_removed"

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    machine_value = models.CharField(max_length=20, blank=True)  # the engine's own label
    old_value = models.CharField(max_length=20, blank=True)
    new_value = models.CharField(max_length=20, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of mention {self.mention_id}: {self.old_value} -> {self.new_value}"


class AlertRule(models.Model):
    """Watch a topic (or a query, or everything) for spikes in volume or in the share of
    negative mentions, against a trailing baseline of the same rule's own history."""

    class Metric(models.TextChoices):
        VOLUME = "volume", "Volume spike"
        NEGATIVE_SHARE = "negative_share", "Negative share spike"

    class Bucket(models.TextChoices):
        HOUR = "hour", "Hourly"
        DAY = "day", "Daily"

    name = models.CharField(max_length=200, unique=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE)
    query = models.TextField(blank=True)
    metric = models.CharField(max_length=16, choices=Metric.choices, default=Metric.VOLUME)
    bucket = models.CharField(max_length=4, choices=Bucket.choices, default=Bucket.HOUR)
    window = models.PositiveIntegerField(default=168)  # buckets of baseline (7 days hourly)
    sigmas = models.FloatField(default=3.0)
    min_count = models.PositiveIntegerField(default=10)
    cooldown_minutes = models.PositiveIntegerField(default=360)
    email_to = models.TextField(blank=True)  # comma-separated addresses
    webhook_url = models.URLField(max_length=2000, blank=True)
    webhook_secret = models.CharField(max_length=64, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def recipients(self) -> list[str]:
        return [a.strip() for a in self.email_to.split(",") if a.strip()]


class Alert(models.Model):
    """One spike a rule found, and how its delivery went."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    bucket_start = models.DateTimeField()
    fired_at = models.DateTimeField(default=timezone.now)
    value = models.FloatField()  # mentions, or negative share
    mentions = models.PositiveIntegerField(default=0)
    baseline = models.FloatField()
    threshold = models.FloatField()
    email_status = models.CharField(max_length=300, blank=True)
    webhook_status = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-fired_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "bucket_start"], name="inbox_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule.name} at {self.bucket_start:%Y-%m-%d %H:%M}"
