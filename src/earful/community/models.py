"""The support community: questions and answers with votes and accepted answers, a
reputation ledger with levels and badges, flags and moderation, and the ambassador
program's word-of-mouth reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

USER = settings.AUTH_USER_MODEL


class Category(models.Model):
    """A product line; every question is filed under one."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class State(models.TextChoices):
    """Where a question, answer or comment stands; only PUBLISHED is shown to everyone."""

    PUBLISHED = "published", "Published"
    HELD = "held", "Held for moderation"  # new members' links, spam score, rate
    HIDDEN = "hidden", "Hidden by flags"  # waits for a moderator's review
    REMOVED = "removed", "Removed"


class Question(models.Model):
    title = models.CharField(max_length=150)
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(blank=True, editable=False)  # sanitised rendering of body
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    held_for = models.JSONField(default=list, blank=True)  # why moderation holds it
    spam_score = models.FloatField(default=0.0)
    score = models.IntegerField(default=0)  # up minus down votes, kept by the vote actions
    answer_count = models.PositiveIntegerField(default=0)  # published answers
    accepted_answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    mention_id = models.BigIntegerField(null=True, blank=True)  # the question in the river
    content_hash = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["state", "last_activity_at"], name="community_q_active"),
            models.Index(fields=["state", "created_at"], name="community_q_new"),
            models.Index(fields=["state", "score"], name="community_q_votes"),
            models.Index(fields=["state", "answer_count"], name="community_q_answers"),
            models.Index(
                fields=["category", "state", "last_activity_at"], name="community_q_category"
            ),
            models.Index(fields=["author", "created_at"], name="community_q_author"),
            models.Index(fields=["mention_id"], name="community_q_mention"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:question", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def is_answered(self) -> bool:
        return self.accepted_answer_id is not None


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    held_for = models.JSONField(default=list, blank=True)
    spam_score = models.FloatField(default=0.0)
    score = models.IntegerField(default=0)
    is_accepted = models.BooleanField(default=False)  # mirrors question.accepted_answer
    is_official = models.BooleanField(default=False)  # marked by staff as the company's word
    official_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    mention_id = models.BigIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-is_official", "-is_accepted", "-score", "created_at", "id"]
        indexes = [
            models.Index(fields=["question", "state", "score"], name="community_a_thread"),
            models.Index(fields=["author", "created_at"], name="community_a_author"),
            models.Index(fields=["mention_id"], name="community_a_mention"),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} to {self.question_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('community:question', args=[self.question_id])}#answer-{self.pk}"


class Comment(models.Model):
    """A short remark under a question or an answer (exactly one of the two)."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField()
    body_html = models.TextField(blank=True)
    author = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_comments"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    held_for = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    mention_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="community_comment_one_target",
            )
        ]
        indexes = [
            models.Index(fields=["question", "state"], name="community_c_question"),
            models.Index(fields=["answer", "state"], name="community_c_answer"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{reverse('community:question', args=[self.thread_question_id])}#comment-{self.pk}"

    @property
    def thread_question_id(self) -> int:
        return self.question_id or self.answer.question_id


class Vote(models.Model):
    """One person's up (+1) or down (-1) vote on a question or an answer; the unique
    constraints make a second vote impossible, whatever the timing."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_votes")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField()  # +1 or -1
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="community_vote_one_target",
            ),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="community_vote_value"),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="community_vote_question_once",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="community_vote_answer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} by {self.user_id}"


class Revision(models.Model):
    """The text a question or answer had before someone edited it."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    editor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"revision {self.pk} by {self.editor_id}"


# -- reputation ---------------------------------------------------------------------


class EventKind(models.TextChoices):
    QUESTION_UPVOTED = "question_upvoted", "Question upvoted"
    QUESTION_DOWNVOTED = "question_downvoted", "Question downvoted"
    ANSWER_UPVOTED = "answer_upvoted", "Answer upvoted"
    ANSWER_DOWNVOTED = "answer_downvoted", "Answer downvoted"
    DOWNVOTE_CAST = "downvote_cast", "Downvoted an answer"
    ANSWER_ACCEPTED = "answer_accepted", "Answer accepted"
    ACCEPTED_ANSWER = "accepted_answer", "Accepted an answer"
    ANSWER_OFFICIAL = "answer_official", "Answer marked official"
    HELPFUL_FLAG = "helpful_flag", "Flag found helpful"
    REPORT_APPROVED = "report_approved", "Ambassador report approved"
    REMOVED_AS_SPAM = "removed_as_spam", "Post removed as spam"
    REVERSAL = "reversal", "Reversal"
    ADJUSTMENT = "adjustment", "Adjusted by staff"


class PointRule(models.Model):
    """How many points an event is worth; `capped` events count toward the daily cap."""

    kind = models.CharField(max_length=24, choices=EventKind.choices, unique=True)
    points = models.IntegerField()
    capped = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.points:+d}"


class ReputationEvent(models.Model):
    """One line of the append-only ledger. A member's points are the sum of their lines;
    nothing is ever updated or deleted: a withdrawn vote adds a REVERSAL line pointing at
    the line it cancels. `key` names the cause ("vote:12:up"), so the same cause can never
    be counted twice, however many requests race."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="reputation_events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    points = models.IntegerField()  # what was credited, after the daily cap
    rule_points = models.IntegerField(default=0)  # what the rule gave before the cap
    toward_cap = models.BooleanField(default=False)  # counts in its day's capped total
    key = models.CharField(max_length=120, unique=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="community_rep_user"),
            models.Index(fields=["created_at", "user", "points"], name="community_rep_period"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.points:+d} ({self.kind})"


class Level(models.Model):
    """A step of trust, reached at `threshold` points, with the privileges it unlocks."""

    class Privilege(models.TextChoices):
        POST_LINKS = "post_links", "Post links without review"
        FLAG_TO_HIDE = "flag_to_hide", "Flags count toward hiding a post"
        EDIT_OTHERS = "edit_others", "Edit others' questions and answers"
        MODERATE = "moderate", "Review flags and held posts"

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=40)
    threshold = models.IntegerField(unique=True)
    privileges = models.JSONField(default=list, blank=True)  # Privilege values, cumulative
    posts_per_hour = models.PositiveIntegerField(default=10)  # questions+answers+comments

    class Meta:
        ordering = ["threshold"]

    def __str__(self) -> str:
        return f"{self.number}: {self.name}"


class Member(models.Model):
    """A person's standing in the community; `points` and `level` are the ledger's sum and
    what it reaches, kept in the same transaction as each ledger line."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="member")
    points = models.IntegerField(default=0)
    level = models.PositiveSmallIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    accepted_answers = models.PositiveIntegerField(default=0)
    is_ambassador = models.BooleanField(default=False)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=300, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["-points"], name="community_member_points")]

    def __str__(self) -> str:
        return f"{self.user} ({self.points})"

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()


class Badge(models.Model):
    """A badge and the rule that earns it; the worker awards it (community/badges.py)."""

    class Tier(models.TextChoices):
        BRONZE = "bronze", "Bronze"
        SILVER = "silver", "Silver"
        GOLD = "gold", "Gold"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=300)
    tier = models.CharField(max_length=6, choices=Tier.choices, default=Tier.BRONZE)
    rule = models.CharField(max_length=40)  # a key of community.badges.RULES
    threshold = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tier", "name"]

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="badge_awards")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "user"], name="community_badge_once")
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} to {self.user_id}"


# -- moderation -----------------------------------------------------------------------


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        RUDE = "rude", "Rude or abusive"
        OFF_TOPIC = "off_topic", "Off topic"
        OTHER = "other", "Something else"

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        HELPFUL = "helpful", "Helpful"  # a moderator agreed
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_flags")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="community_flag_question_once",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="community_flag_answer_once",
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="community_flag_comment_once",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "created_at"], name="community_flag_queue")]

    def __str__(self) -> str:
        return f"{self.reason} flag by {self.user_id}"


class ModerationLog(models.Model):
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)  # "hide", "restore", "remove", "suspend" ...
    target = models.CharField(max_length=60)  # "question:12", "user:7"
    summary = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.target}"


# -- ambassadors ----------------------------------------------------------------------


class Decision(models.TextChoices):
    PENDING = "pending", "Waiting for staff"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class AmbassadorApplication(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="ambassador_applications")
    motivation = models.TextField()
    state = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    reason = models.CharField(max_length=500, blank=True)  # staff's, when rejected
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="pending"),
                name="community_one_pending_application",
            )
        ]

    def __str__(self) -> str:
        return f"application by {self.user_id} ({self.state})"


class AmbassadorReport(models.Model):
    """Word of mouth offline: where, to whom, what was said about which product."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="ambassador_reports")
    place = models.CharField(max_length=200)
    audience = models.CharField(max_length=200)  # whom they talked to
    said = models.TextField()  # what was said
    product = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    happened_on = models.DateField(default=timezone.localdate)
    photo = models.ImageField(upload_to="community/reports/%Y/%m/", blank=True)
    state = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    reason = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    mention_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "decided_at"], name="community_report_week"),
            models.Index(fields=["user", "state"], name="community_report_user"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} by {self.user_id} at {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("community:report", args=[self.pk])
