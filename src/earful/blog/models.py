"""The company blog: posts by named authors, threaded comments, linkbacks in and out."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class AuthorProfile(models.Model):
    """A person who writes on the blog: the lead blogger has a name, a bio and a page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_author"
    )
    slug = models.SlugField(max_length=80, unique=True)
    display_name = models.CharField(max_length=120)
    bio = models.TextField(blank=True, help_text="Markdown")
    bio_html = models.TextField(blank=True, editable=False)
    photo = models.ForeignKey(
        "Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("blog:author", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", args=[self.slug])


class Photo(models.Model):
    """An uploaded photo; renditions are resized copies for the widths posts use."""

    image = models.ImageField(upload_to="blog/photos/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(max_length=300, blank=True)
    caption = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.alt or self.image.name


class PhotoRendition(models.Model):
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    image = models.ImageField(upload_to="blog/renditions/%Y/%m/")

    class Meta:
        ordering = ["width"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "width"], name="blog_rendition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.photo} at {self.width}px"


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    author = models.ForeignKey(AuthorProfile, on_delete=models.PROTECT, related_name="posts")
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(blank=True, editable=False)  # sanitised rendering of body
    summary = models.CharField(max_length=500, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    cover = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True, db_index=True)  # when scheduled
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    comments_enabled = models.BooleanField(default=True)
    # Comments close this many days after publication; None: the site's default
    # (EARFUL_BLOG_COMMENTS_CLOSE_DAYS, 0 = never).
    close_comments_after_days = models.PositiveIntegerField(null=True, blank=True)
    mention_id = models.BigIntegerField(null=True, blank=True)  # the post in the river

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="blog_post_live")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:post", args=[self.slug])

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at is not None

    def comments_close_at(self):
        days = self.close_comments_after_days
        if days is None:
            days = settings.EARFUL_BLOG_COMMENTS_CLOSE_DAYS
        if not days or self.published_at is None:
            return None
        return self.published_at + timedelta(days=days)

    def comments_open(self, now=None) -> bool:
        if not (self.is_live and self.comments_enabled):
            return False
        closes = self.comments_close_at()
        return closes is None or (now or timezone.now()) < closes


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Held for moderation"
        PUBLISHED = "published", "Published"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)  # never shown
    website = models.URLField(max_length=500, blank=True)
    body = models.TextField()  # the Markdown subset as written
    body_html = models.TextField(blank=True)  # sanitised rendering
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    held_for = models.JSONField(default=list, blank=True)  # why moderation holds it
    staff = models.BooleanField(default=False)  # written by the company
    spam_score = models.FloatField(default=0.0)
    content_hash = models.CharField(max_length=32, db_index=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    mention_id = models.BigIntegerField(null=True, blank=True)  # the comment in the river

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="blog_comment_thread"),
            models.Index(fields=["status", "created_at"], name="blog_comment_queue"),
            models.Index(fields=["email", "status"], name="blog_comment_email"),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.post}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"


class Linkback(models.Model):
    """Another page that links to a post: a Webmention, a Pingback or a TrackBack."""

    class Protocol(models.TextChoices):
        WEBMENTION = "webmention", "Webmention"
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "TrackBack"

    class Status(models.TextChoices):
        VERIFYING = "verifying", "Waiting for verification"
        PENDING = "pending", "Held for moderation"
        PUBLISHED = "published", "Published"
        SPAM = "spam", "Spam"
        REJECTED = "rejected", "Rejected (does not link here)"
        REMOVED = "removed", "Removed (the source is gone or no longer links)"

    class Kind(models.TextChoices):
        MENTION = "mention", "Mention"
        REPLY = "reply", "Reply"
        LIKE = "like", "Like"
        REPOST = "repost", "Repost"
        BOOKMARK = "bookmark", "Bookmark"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="linkbacks")
    protocol = models.CharField(max_length=10, choices=Protocol.choices)
    source_url = models.URLField(max_length=2000)
    target_url = models.URLField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VERIFYING)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MENTION)
    title = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True)  # plain text
    author_name = models.CharField(max_length=200, blank=True)
    author_url = models.URLField(max_length=2000, blank=True)
    author_photo = models.URLField(max_length=2000, blank=True)
    site_name = models.CharField(max_length=200, blank=True)  # TrackBack blog_name
    published_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    spam_score = models.FloatField(default=0.0)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    mention_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_url", "target_url"], name="blog_linkback_unique"
            )
        ]
        indexes = [models.Index(fields=["post", "status"], name="blog_linkback_post")]

    def __str__(self) -> str:
        return f"{self.source_url} -> {self.target_url}"


class OutgoingLink(models.Model):
    """A link in a published post and what telling its page about the post gave."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        NO_ENDPOINT = "no_endpoint", "The page takes no linkbacks"
        FAILED = "failed", "Failed (retrying)"
        GAVE_UP = "gave_up", "Failed (gave up)"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="outgoing_links")
    target_url = models.URLField(max_length=2000)
    protocol = models.CharField(max_length=10, blank=True)  # webmention / pingback / ""
    endpoint = models.URLField(max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    detail = models.TextField(blank=True)  # the last answer or error, for the author
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    still_linked = models.BooleanField(default=True)  # False once removed from the post

    class Meta:
        ordering = ["post", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "target_url"], name="blog_outgoing_unique")
        ]

    def __str__(self) -> str:
        return f"{self.post} -> {self.target_url}"


class ModerationLog(models.Model):
    """Who did what to a comment or linkback, and when."""

    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE)
    linkback = models.ForeignKey(Linkback, null=True, blank=True, on_delete=models.CASCADE)
    action = models.CharField(max_length=30)
    detail = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"
