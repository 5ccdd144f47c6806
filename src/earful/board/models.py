"""The public ideas board: ideas with configurable statuses, votes, followers, comments,
the public history of status changes, and (for the loop-closing parts) evidence from the
river and a log of every notice sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Status(models.Model):
    """A step an idea can be at; the kind says what it means for voting and the roadmap."""

    class Kind(models.TextChoices):
        OPEN = "open", "Open"
        ACTIVE = "active", "Active (on the roadmap)"
        CLOSED_DONE = "closed_done", "Closed: done"
        CLOSED_DECLINED = "closed_declined", "Closed: declined"

    CLOSED_KINDS = (Kind.CLOSED_DONE, Kind.CLOSED_DECLINED)

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    order = models.PositiveIntegerField(default=0)
    colour = models.CharField(max_length=7, default="#64748b")

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "statuses"

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.kind in self.CLOSED_KINDS


class Idea(models.Model):
    class State(models.TextChoices):
        PUBLISHED = "published", "Published"
        HELD = "held", "Held for moderation"
        REMOVED = "removed", "Removed"

    title = models.CharField(max_length=150)
    body = models.TextField(blank=True, help_text="Markdown")
    body_html = models.TextField(blank=True, editable=False)  # sanitised rendering of body
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="ideas",
    )  # fmt: skip
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="ideas")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    held_for = models.JSONField(default=list, blank=True)  # why moderation holds it
    spam_score = models.FloatField(default=0.0)
    vote_count = models.PositiveIntegerField(default=0)  # kept by the vote actions
    comment_count = models.PositiveIntegerField(default=0)  # published comments
    trend_score = models.PositiveIntegerField(default=0)  # see trending.py
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_ideas"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    mention_id = models.BigIntegerField(null=True, blank=True)  # the idea in the river
    content_hash = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="board_idea_new"),
            models.Index(fields=["state", "vote_count"], name="board_idea_top"),
            models.Index(fields=["state", "trend_score"], name="board_idea_trending"),
            models.Index(fields=["status", "state"], name="board_idea_status"),
            models.Index(fields=["mention_id"], name="board_idea_mention"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:idea", args=[self.pk])

    @property
    def is_live(self) -> bool:
        """Shown on the public board: published and not merged into another idea."""
        return self.state == self.State.PUBLISHED and self.merged_into_id is None


class Vote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    mention_id = models.BigIntegerField(null=True, blank=True)  # the vote in the river

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="board_vote_once")]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="board_vote_recent"),
            models.Index(fields=["created_at"], name="board_vote_when"),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.idea}"


class Follow(models.Model):
    class Reason(models.TextChoices):
        AUTHOR = "author", "Wrote the idea"
        VOTER = "voter", "Voted"
        CHOSE = "chose", "Chose to follow"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows"
    )
    reason = models.CharField(max_length=8, choices=Reason.choices, default=Reason.CHOSE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="board_follow_once")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.idea}"


class IdeaComment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Held for moderation"
        REMOVED = "removed", "Removed"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="idea_comments",
    )  # fmt: skip
    body = models.TextField()  # the Markdown subset as written
    body_html = models.TextField(blank=True)  # sanitised rendering
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    held_for = models.JSONField(default=list, blank=True)
    staff = models.BooleanField(default=False)  # written by the company
    spam_score = models.FloatField(default=0.0)
    content_hash = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    mention_id = models.BigIntegerField(null=True, blank=True)  # the comment in the river

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["idea", "status", "created_at"], name="board_comment_thread"),
            models.Index(fields=["status", "created_at"], name="board_comment_queue"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.idea_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('board:idea', args=[self.idea_id])}#comment-{self.pk}"


class StatusChange(models.Model):
    """One step of an idea's public history: from, to, and the note the company wrote."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.ForeignKey(
        Status, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)  # Markdown, public
    note_html = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_status", "at"], name="board_change_to")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} -> {self.to_status}"


class Evidence(models.Model):
    """A mention from any channel that raises the idea, linked by staff."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="evidence")
    mention = models.ForeignKey(
        "river.Mention", on_delete=models.CASCADE, related_name="board_evidence"
    )
    quote = models.BooleanField(default=False)  # one of the best quotes, shown on the idea
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "mention"], name="board_evidence_once")
        ]

    def __str__(self) -> str:
        return f"mention {self.mention_id} for idea {self.idea_id}"


class Notice(models.Model):
    """One notice about a status change to one person on one channel; the unique key
    makes sending twice impossible."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        THREAD_REPLY = "thread_reply", "Reply in their thread"
        WEBMENTION = "webmention", "Webmention"
        BY_HAND = "by_hand", "For staff to answer by hand"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"  # by hand: to do
        SENDING = "sending", "Being sent"  # claimed by one worker (notices.send_notices)
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (retried by the next run)"
        GAVE_UP = "gave_up", "Gave up"
        SKIPPED = "skipped", "Skipped"
        ANSWERED = "answered", "Answered by hand"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="notices")
    status_change = models.ForeignKey(
        StatusChange, on_delete=models.CASCADE, related_name="notices"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices)
    recipient = models.CharField(max_length=2000)  # an address, a mention key, a URL
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    mention = models.ForeignKey(
        "river.Mention", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    detail = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    attempted_at = models.DateTimeField(null=True, blank=True)  # the last claim
    sent_at = models.DateTimeField(null=True, blank=True)  # sent, or answered by hand

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_change", "channel", "recipient"], name="board_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient}"


class Merge(models.Model):
    """A duplicate idea merged into the survivor: the public record on both ("#12 was
    merged into this"), with the staff's note and what moved."""

    duplicate = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    survivor = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    duplicate_title = models.CharField(max_length=150)  # as it was when merged
    note = models.TextField(blank=True)  # Markdown, public
    note_html = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(default=timezone.now)
    votes_moved = models.PositiveIntegerField(default=0)
    votes_merged = models.PositiveIntegerField(default=0)  # people who had voted on both
    followers_moved = models.PositiveIntegerField(default=0)
    comments_moved = models.PositiveIntegerField(default=0)
    evidence_moved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.duplicate_id} merged into #{self.survivor_id}"


class Unsubscribe(models.Model):
    """A person who wants no more board mail: about one idea, or (idea empty) about any.
    Made from the signed link in every notice (notify_email); the fan-out reads it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_unsubscribes"
    )
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="unsubscribes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "idea"], name="board_unsubscribe_once"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(idea__isnull=True),
                name="board_unsubscribe_all_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} from {'all board mail' if self.idea_id is None else self.idea}"
