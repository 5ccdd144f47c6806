from __future__ import annotations

from django.db import models
from django.utils import timezone


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "RSS/Atom feed"
        MASTODON = "mastodon", "Mastodon"
        BLUESKY = "bluesky", "Bluesky"
        HACKERNEWS = "hackernews", "Hacker News"
        REDDIT = "reddit", "Reddit"
        IMPORT = "import", "File import"
        API = "api", "Push API"
        OWNED = "owned", "Owned channel"

    POLLED_KINDS = ("feed", "mastodon", "bluesky", "hackernews", "reddit")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200, unique=True)
    config = models.JSONField(default=dict, blank=True)
    poll_every_minutes = models.PositiveIntegerField(null=True, blank=True)
    state = models.JSONField(default=dict, blank=True)  # ETag, Last-Modified, cursors
    enabled = models.BooleanField(default=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def healthy(self) -> bool:
        if self.last_error_at is None:
            return True
        return self.last_ok_at is not None and self.last_ok_at > self.last_error_at


class Author(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="authors")
    handle = models.CharField(max_length=300)
    name = models.CharField(max_length=300, blank=True)
    profile_url = models.URLField(max_length=1000, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    mention_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "handle"], name="river_author_unique")
        ]

    def __str__(self) -> str:
        return self.name or self.handle


class Topic(models.Model):
    class Kind(models.TextChoices):
        BRAND = "brand", "Brand"
        COMPETITOR = "competitor", "Competitor"
        PRODUCT = "product", "Product"
        THEME = "theme", "Theme"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.THEME)
    query = models.TextField()
    colour = models.CharField(max_length=7, default="#4f46e5")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    class Sentiment(models.TextChoices):
        POSITIVE = "positive"
        NEUTRAL = "neutral"
        NEGATIVE = "negative"

    NOT_SCORED = ""
    # How "not scored" is written in query strings, the API and the CLI.
    NOT_SCORED_NAME = "unscored"

    # Indexes: most mentions are not replies nor duplicates, so the indexes on those
    # columns are partial (rows that have a value only); (source, published_at) serves
    # the source foreign key. Every index costs time on each of thousands of inserts a second.
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    key = models.CharField(max_length=600, unique=True)
    external_id = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    canonical_url = models.URLField(max_length=2000, blank=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    title = models.TextField(blank=True)
    text = models.TextField()
    language = models.CharField(max_length=12, blank=True)
    published_at = models.DateTimeField()
    fetched_at = models.DateTimeField(default=timezone.now)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        db_index=False,
    )
    parent_key = models.CharField(max_length=600, blank=True)
    owned = models.BooleanField(default=False)
    # "" (NOT_SCORED): the text's language has no sentiment model (docs/sentiment.md).
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(default=0.0)
    spam_score = models.FloatField(default=0.0)
    content_hash = models.CharField(max_length=32, db_index=True)
    site = models.CharField(max_length=255, blank=True)  # host of the URL, without www.
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,
    )
    topics = models.ManyToManyField(Topic, through="MentionTopic", related_name="mentions")

    class Meta:
        indexes = [
            models.Index(fields=["source", "published_at"], name="river_mention_src_pub"),
            # Time order for search, and every column the dashboard groups or filters by,
            # so its breakdowns over a period read this index and never the rows.
            models.Index(
                fields=[
                    "published_at",
                    "source",
                    "sentiment",
                    "language",
                    "spam_score",
                    "author",
                    "site",
                ],
                name="river_mention_pub_cover",
            ),
            models.Index(
                fields=["parent"],
                name="river_mention_parent",
                condition=models.Q(parent__isnull=False),
            ),
            models.Index(
                fields=["parent_key"],
                name="river_mention_parent_key",
                condition=~models.Q(parent_key=""),
            ),
            models.Index(
                fields=["duplicate_of"],
                name="river_mention_duplicate_of",
                condition=models.Q(duplicate_of__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:80]


class MentionTopic(models.Model):
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, db_index=False)
    # The mention's, copied: a topic's mentions over a period come from one index range.
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mention", "topic"], name="river_mention_topic_unique")
        ]
        indexes = [
            models.Index(fields=["topic", "published_at", "mention"], name="river_topic_pub")
        ]

    def __str__(self) -> str:
        return f"mention {self.mention_id} in topic {self.topic_id}"


class MentionBand(models.Model):
    """An LSH band key of a near-duplicate cluster root (see pipeline/near_duplicates.py)."""

    band = models.BigIntegerField()
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")

    class Meta:
        # Covering: the importer asks for the oldest mention of thousands of bands per
        # batch, answered from the index alone without visiting the table.
        indexes = [models.Index(fields=["band", "mention"], name="river_band_mention")]

    def __str__(self) -> str:
        return f"band {self.band} of mention {self.mention_id}"


class ImportRun(models.Model):
    """Progress of a file import, so that an interrupted import resumes where it stopped."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="imports")
    path = models.CharField(max_length=1000)
    fingerprint = models.CharField(max_length=64)
    rows_done = models.PositiveBigIntegerField(default=0)
    imported = models.PositiveBigIntegerField(default=0)
    duplicates = models.PositiveBigIntegerField(default=0)
    rejected = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "fingerprint"], name="river_import_unique")
        ]

    def __str__(self) -> str:
        return f"import of {self.path} into {self.source_id}"


class DailyCount(models.Model):
    """Mentions per UTC day and source, sentiment, language and spam flag; kept in step by
    every write (see rollups.py) so the dashboard's charts never count mentions one by one.

    Rows with topic_id 0 count every mention; other rows count a topic's mentions.
    """

    day = models.DateField()
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    topic_id = models.BigIntegerField(default=0)
    sentiment = models.CharField(max_length=8)
    language = models.CharField(max_length=12, blank=True)
    spam = models.BooleanField(default=False)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic_id", "day", "source", "sentiment", "language", "spam"],
                name="river_dailycount_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} source {self.source_id} topic {self.topic_id}: {self.count}"


class TopicSet(models.Model):
    """A set of topics some mentions are in: all of these and no other (see rollups.py).

    `key` is the sorted topic ids, "3,7,12"; `topics` holds the same ids as rows, so that
    the sets meeting a filter's topics are one indexed subquery."""

    key = models.TextField(unique=True)
    topics = models.ManyToManyField(Topic, related_name="+")

    def __str__(self) -> str:
        return f"topics {self.key}"

    @property
    def topic_ids(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.key.split(","))


class TopicSetCount(models.Model):
    """Mentions per UTC day and source, sentiment, language and spam flag whose topics are
    exactly one TopicSet: a filter on several topics sums the sets that meet them, so a
    mention in two of them counts once. Mentions without topics have no rows here."""

    day = models.DateField()
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    topic_set = models.ForeignKey(
        TopicSet, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    sentiment = models.CharField(max_length=8)
    language = models.CharField(max_length=12, blank=True)
    spam = models.BooleanField(default=False)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic_set", "day", "source", "sentiment", "language", "spam"],
                name="river_topicsetcount_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} source {self.source_id} topic set {self.topic_set_id}: {self.count}"


class TopicExclusion(models.Model):
    """A person said this mention is not about this topic: tagging never adds it back."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mention", "topic"], name="river_topic_exclusion")
        ]

    def __str__(self) -> str:
        return f"mention {self.mention_id} is not in topic {self.topic_id}"
