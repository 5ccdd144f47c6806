"""Event tours: stops at real venues, announced ahead on social channels, followed live
on the day, with a feedback form per stop whose answers enter the river."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

USER = settings.AUTH_USER_MODEL


class Channel(models.Model):
    """Where announcements go: a Mastodon account, a Bluesky account or a webhook.

    config holds what the kind needs: mastodon {"instance": "https://…", "token": "…"},
    bluesky {"service": "https://bsky.social", "handle": "…", "app_password": "…"},
    webhook {"url": "https://…", "secret": "…"} (requests are signed with HMAC-SHA256)."""

    class Kind(models.TextChoices):
        MASTODON = "mastodon", "Mastodon"
        BLUESKY = "bluesky", "Bluesky"
        WEBHOOK = "webhook", "Webhook"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    config = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Tour(models.Model):
    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Markdown")
    description_html = models.TextField(blank=True, editable=False)
    published = models.BooleanField(default=False)  # shown to the public
    announce_hours_before = models.PositiveIntegerField(default=24)
    announcement_template = models.TextField(
        blank=True,
        help_text="Text of each stop's announcement; {tour}, {venue}, {address}, {city}, "
        "{start}, {end}, {url} are filled in. Empty: a default text.",
    )
    channels = models.ManyToManyField(Channel, blank=True, related_name="tours")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:tour", args=[self.slug])


class Stop(models.Model):
    """One venue on a tour, open from starts_at to ends_at (stored in UTC, shown in the
    venue's own time zone)."""

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    venue = models.CharField(max_length=150)
    address = models.CharField(max_length=300)
    city = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    time_zone = models.CharField(max_length=64)  # IANA name, e.g. "Europe/Berlin"
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    description = models.TextField(blank=True, help_text="Markdown")
    description_html = models.TextField(blank=True, editable=False)
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_stop_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="events_stop_coordinates",
            ),
        ]
        indexes = [models.Index(fields=["tour", "starts_at"], name="events_stop_tour")]

    def __str__(self) -> str:
        return f"{self.venue}, {self.city or self.address}"

    def get_absolute_url(self) -> str:
        return reverse("events:stop", args=[self.tour.slug, self.pk])

    def phase(self, now=None) -> str:
        """ "upcoming", "live" or "past" (a cancelled stop is "cancelled")."""
        if self.cancelled:
            return "cancelled"
        now = now or timezone.now()
        if now < self.starts_at:
            return "upcoming"
        if now < self.ends_at:
            return "live"
        return "past"


class Announcement(models.Model):
    """A stop's announcement on one channel, sent once by the worker at send_at."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Being sent"  # claimed by one worker
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will retry)"
        GAVE_UP = "gave_up", "Gave up"
        CANCELLED = "cancelled", "Cancelled"

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="announcements")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="announcements")
    text = models.TextField()
    edited = models.BooleanField(default=False)  # staff changed the text by hand
    send_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)  # the post, where known
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["send_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stop", "channel"], name="events_announce_once")
        ]
        indexes = [models.Index(fields=["state", "send_at"], name="events_announce_due")]

    def __str__(self) -> str:
        return f"{self.stop} on {self.channel}"


class AnnouncementAttempt(models.Model):
    """The log: one line per try to send an announcement."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{'ok' if self.ok else 'failed'} at {self.at}"


class LiveUpdate(models.Model):
    """Staff's post from the venue on the day: text and an optional photo."""

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    text_html = models.TextField(blank=True, editable=False)
    photo = models.ForeignKey(
        "blog.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    blog_post = models.ForeignKey(
        "blog.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # when cross-posted
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["stop", "created_at"], name="events_update_stop")]

    def __str__(self) -> str:
        return f"update {self.pk} at {self.stop}"

    def get_absolute_url(self) -> str:
        return f"{self.stop.get_absolute_url()}#update-{self.pk}"


class Feedback(models.Model):
    """A visitor's feedback on a stop; it enters the river as an owned mention."""

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="feedback")
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # 1..5
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    mention_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="events_feedback_rating",
            )
        ]
        indexes = [models.Index(fields=["stop", "created_at"], name="events_feedback_stop")]

    def __str__(self) -> str:
        return f"feedback {self.pk} on {self.stop_id}"
